#include "bench/load_driver.hpp"

#include <deque>
#include <future>
#include <memory>
#include <thread>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/atoms.hpp"
#include "bench/run_watch.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

using clock_type = std::chrono::steady_clock;

/// What the driver actor and the waiting caller share.
struct run_state {
  std::vector<wallet_endpoint> wallets;
  std::vector<address> addresses;
  order_source orders;
  load_options opts;
  size_t next = 0;
  /// Orders a wallet refused for want of a free output while others of its sender were in
  /// flight: issued again, before `next`, once one of those returns its change.
  std::deque<size_t> retry;
  size_t in_flight = 0;
  std::vector<size_t> sender_busy;
  load_result result;
  caf::error failure;
  run_watch watch;

  size_t slots_of(size_t sender) const {
    return sender < opts.sender_slots.size() ? std::max<size_t>(1, opts.sender_slots[sender]) : 1;
  }

  /// One output fewer for `sender`: the wallet spends the smallest output that covers a payment,
  /// so a split part can run down to nothing and take its slot with it.
  void lose_slot(size_t sender) {
    if (sender >= opts.sender_slots.size())
      opts.sender_slots.resize(sender + 1, 1);
    opts.sender_slots[sender] = std::max<size_t>(1, slots_of(sender) - 1);
  }
};

void issue(caf::event_based_actor* self, std::shared_ptr<run_state> st);

void settle(caf::event_based_actor* self, const std::shared_ptr<run_state>& st, size_t sender) {
  ++st->watch.ended;
  --st->in_flight;
  --st->sender_busy[sender];
  issue(self, st);
}

void issue(caf::event_based_actor* self, std::shared_ptr<run_state> st) {
  while (!st->failure && st->in_flight < st->opts.inflight
         && (!st->retry.empty() || st->next < st->orders.count)) {
    bool again = !st->retry.empty();
    size_t index = again ? st->retry.front() : st->next;
    auto o = st->orders.at(index);
    if (o.sender >= st->sender_busy.size())
      st->sender_busy.resize(o.sender + 1, 0);
    if (st->sender_busy[o.sender] >= st->slots_of(o.sender))
      break; // its outputs are all spent by orders in flight: wait for one to finish
    if (again)
      st->retry.pop_front();
    else
      ++st->next;
    ++st->in_flight;
    ++st->sender_busy[o.sender];
    auto sender = o.sender;
    auto start = clock_type::now();
    auto on_final = [=]() {
      st->result.latency_ms.push_back(
        std::chrono::duration<double, std::milli>(clock_type::now() - start).count());
      ++st->result.final_orders;
      if (st->opts.progress)
        ++*st->opts.progress;
      settle(self, st, sender);
    };
    auto on_error = [=](const caf::error& err) {
      if (code_of(err) == ec::insufficient_funds && st->sender_busy[sender] > 1) {
        st->retry.push_back(index);
        st->lose_slot(sender);
        settle(self, st, sender);
        return;
      }
      if (!st->failure)
        st->failure = make_error(code_of(err) == ec::none ? ec::timeout : code_of(err),
                                 "payment from " + st->addresses.at(sender).hex().substr(0, 8)
                                   + "… failed: " + describe(err));
      settle(self, st, sender);
    };
    const auto& w = st->wallets.at(o.wallet);
    auto done = [=](caf::expected<hash32> tx) {
      if (tx)
        on_final();
      else
        on_error(tx.error());
    };
    const auto& from = st->addresses.at(o.sender);
    if (o.split_parts > 0)
      request_split(self, w, caf::infinite, from, o.split_parts, done);
    else
      request_payment(self, w, caf::infinite, from, st->addresses.at(o.receiver), o.value, done);
  }
  bool all_issued = st->failure || (st->next == st->orders.count && st->retry.empty());
  if (all_issued && st->in_flight == 0)
    st->watch.finish(self);
}

} // namespace

order_source order_source::of(std::vector<payment_order> orders) {
  auto shared = std::make_shared<const std::vector<payment_order>>(std::move(orders));
  return order_source{shared->size(), [shared](size_t i) { return shared->at(i); }};
}

caf::expected<load_result> drive(caf::actor_system& sys,
                                 const std::vector<wallet_endpoint>& wallets,
                                 const std::vector<address>& addresses, order_source orders,
                                 const load_options& opts) {
  auto st = std::make_shared<run_state>();
  st->addresses = addresses;
  st->wallets = wallets;
  st->orders = std::move(orders);
  st->opts = opts;
  st->opts.inflight = std::max<size_t>(1, opts.inflight);
  st->result.latency_ms.reserve(st->orders.count);
  st->watch.limit = opts.timeout;
  auto done = st->watch.done.get_future();
  // The state goes in as a spawn argument: CAF 0.17 dereferences a null argument tuple when a
  // function is spawned with none (UBSan reports it).
  sys.spawn(
    [](caf::event_based_actor* self, std::shared_ptr<run_state> state) -> caf::behavior {
      issue(self, state);
      state->watch.start(self);
      return {[=](retry_atom) {
        if (auto err = state->watch.look(self, state->in_flight, "no payment ended")) {
          if (!state->failure)
            state->failure = std::move(err);
          state->watch.finish(self);
        }
      }};
    },
    st);
  done.wait();
  if (st->failure)
    return st->failure;
  return std::move(st->result);
}

} // namespace acfts
