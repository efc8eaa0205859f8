#include "actors/wallet_client.hpp"

#include <thread>

namespace acfts {

namespace {

const auto query_timeout = std::chrono::seconds(30);

} // namespace

void request_payment(caf::event_based_actor* self, const wallet_endpoint& w, caf::duration timeout,
                     const address& from, const address& to, amount value, payment_done done) {
  request_wallet(
    self, w, timeout, control::pay{from, to, value, {}, true}, [done](hash32 tx) { done(tx); },
    [done](caf::error err) { done(std::move(err)); });
}

void request_split(caf::event_based_actor* self, const wallet_endpoint& w, caf::duration timeout,
                   const address& owner, uint64_t parts, payment_done done) {
  request_wallet(
    self, w, timeout, control::split{owner, parts}, [done](hash32 tx) { done(tx); },
    [done](caf::error err) { done(std::move(err)); });
}

caf::expected<hash32> pay_and_wait(caf::actor_system& sys, const wallet_endpoint& w,
                                   const address& from, const address& to, amount value,
                                   caf::timespan timeout) {
  return ask(sys, w, timeout, control::pay{from, to, value, {}, true});
}

caf::expected<amount> query_balance(caf::actor_system& sys, const wallet_endpoint& w,
                                    const address& owner) {
  return ask(sys, w, query_timeout, control::balance{owner});
}

caf::expected<amount> query_total(caf::actor_system& sys, const wallet_endpoint& w) {
  return ask(sys, w, query_timeout, control::total{});
}

caf::expected<uint64_t> query_unsettled(caf::actor_system& sys, const wallet_endpoint& w) {
  return ask(sys, w, query_timeout, control::unsettled{});
}

bool wait_settled(caf::actor_system& sys, const std::vector<wallet_endpoint>& wallets,
                  caf::timespan timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    uint64_t unsettled = 0;
    for (const auto& w : wallets) {
      auto n = query_unsettled(sys, w);
      if (!n)
        return false;
      unsettled += *n;
    }
    if (unsettled == 0)
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

} // namespace acfts
