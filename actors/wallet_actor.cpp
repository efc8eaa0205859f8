#include "actors/wallet_actor.hpp"

#include <deque>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/detail/address_actor.hpp"
#include "actors/detail/wallet_metrics.hpp"
#include "actors/atoms.hpp"
#include "actors/gate.hpp"
#include "actors/local_types.hpp"
#include "actors/payee_gates.hpp"
#include "config/payment_uri.hpp"
#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "messages/limits.hpp"
#include "messages/sign_batch.hpp"
#include "persistence/wallet_store.hpp"
#include "protocol/wallet_core.hpp"

namespace acfts {

namespace {

/// How a caller is answered on success: with the transaction's hash, an acknowledgement, the
/// request held under that hash, or a count.
enum class success_as { tx, ack, held, count };

struct wallet_state {
  std::unique_ptr<wallet_core> core;
  std::shared_ptr<wallet_store> store;
  /// Gates to the committee members, by index; null: not connected.
  std::vector<caf::actor> validators;
  std::unordered_map<address, caf::actor> signers;
  std::unique_ptr<payee_gates> payees;
  std::unordered_map<caller_id, std::pair<caf::response_promise, success_as>> callers;
  caller_id next_caller = 1;
  std::chrono::milliseconds retry_interval{1000};
  bool tick_scheduled = false;
  /// Writes queued while the mailbox drains; one synced write covers them all.
  std::vector<wallet_effects::write> write_queue;
  bool flush_scheduled = false;
  /// Sign requests queued while the mailbox drains, by validator: one message each.
  std::map<uint16_t, std::vector<wallet_effects::sign_out>> sign_queue;
  /// (transaction, validator) sent in a batch and not answered yet: asked again, it goes alone,
  /// so that a validator whose gate drops batches (one older than this wallet) still answers.
  struct sent_key_hash {
    size_t operator()(const std::pair<hash32, uint16_t>& k) const noexcept {
      return std::hash<hash32>{}(k.first) ^ k.second;
    }
  };
  std::unordered_set<std::pair<hash32, uint16_t>, sent_key_hash> batched;
  std::deque<std::pair<hash32, uint16_t>> batched_order;
  std::function<void(const caf::error&)> on_fault;
  bool fault_reported = false;
  std::function<void(const equivocation_proof&)> on_equivocation;
  static inline const char* name = "acfts.wallet";

  caller_id add_caller(caf::response_promise rp, success_as as) {
    auto id = next_caller++;
    callers.emplace(id, std::make_pair(std::move(rp), as));
    return id;
  }

  /// The wallet's gates let go of their peers with it.
  ~wallet_state() {
    for (auto& v : validators)
      close_gate(v);
  }
};

using wallet_self = wallet_api::stateful_pointer<wallet_state>;

void perform(wallet_self self, wallet_effects fx);

void answer(wallet_state& st, const wallet_effects::answer& a) {
  auto i = st.callers.find(a.caller);
  if (i == st.callers.end())
    return;
  auto& [rp, as] = i->second;
  if (a.error)
    rp.deliver(a.error);
  else if (as == success_as::ack)
    rp.deliver(ack_atom::value);
  else if (as == success_as::held)
    rp.deliver(*st.core->held(a.tx)); // answered right after it is held
  else if (as == success_as::count)
    rp.deliver(a.count);
  else
    rp.deliver(a.tx);
  st.callers.erase(i);
}

/// Writes the queued changes in one batch (group commit; synced when one of them needs it,
/// protocol/wallet_records.hpp's needs_sync): a `flush` message to itself is
/// processed after every message already in the mailbox, so concurrent payments share one write.
/// (Why not persistence/group_committer, as the validator does: a wallet's writes are few and
/// most of what it does waits on them, so a write on its own thread would gain nothing and add a
/// hand-over per payment; a validator must keep verifying while its fsync runs.)
void flush_writes(wallet_self self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  if (st.write_queue.empty()) // scheduled for sign requests only
    return;
  auto batch = std::move(st.write_queue);
  st.write_queue.clear();
  std::vector<const wallet_change*> changes;
  changes.reserve(batch.size());
  for (const auto& w : batch)
    changes.push_back(&w.change);
  auto err = st.store->apply_grouped(changes);
  if (err && !st.fault_reported) {
    st.fault_reported = true;
    if (st.on_fault)
      st.on_fault(err);
  }
  for (const auto& w : batch)
    perform(self, st.core->written(w.id, err));
}

void ask_witness(wallet_self self, const wallet_effects::witness_needed& w) {
  auto tx = w.tx;
  self->request(self->state.signers.at(w.owner), caf::infinite, witness_atom::value, tx)
    .then([=](const owner_proof& wit) { perform(self, self->state.core->witnessed(tx, wit)); },
          [=](caf::error& err) { perform(self, self->state.core->witnessed(tx, err)); });
}

void send_request(wallet_self self, const wallet_effects::sign_out& r);

constexpr size_t max_batched_keys = 1 << 16;

/// Asks validator `v` for its signatures of `batch` in one message; each reply is taken as a
/// single request's (send_request), an empty one or a failed call as no answer.
void send_batch(wallet_self self, uint16_t v, std::vector<wallet_effects::sign_out> batch) {
  auto& st = self->state;
  if (v >= st.validators.size() || !st.validators[v]) {
    for (const auto& r : batch)
      st.core->unanswered(r.tx, v); // asked again on a later tick, once connected
    return;
  }
  sign_batch call;
  std::vector<hash32> txs;
  for (const auto& r : batch) {
    call.requests.push_back(*r.request);
    txs.push_back(r.tx);
    if (st.batched.emplace(r.tx, v).second)
      st.batched_order.emplace_back(r.tx, v);
  }
  // Bounded: a batch whose payments ended without its answer leaves its keys behind.
  while (st.batched_order.size() > max_batched_keys) {
    st.batched.erase(st.batched_order.front());
    st.batched_order.pop_front();
  }
  self->request(st.validators[v], caf::infinite, signs_atom::value, encode_sign_batch(call))
    .then(
      [=](replies_atom, const bytes& raw) {
        auto got = decode_reply_batch(raw.data(), raw.size());
        for (size_t i = 0; i < txs.size(); ++i) {
          self->state.batched.erase({txs[i], v});
          if (got && got->replies.size() == txs.size() && !got->replies[i].empty())
            perform(self, self->state.core->replied(txs[i], v, got->replies[i]));
          else
            self->state.core->unanswered(txs[i], v);
        }
      },
      [=](caf::error&) {
        for (const auto& tx : txs)
          self->state.core->unanswered(tx, v);
      });
}

/// Sends the sign requests queued while the mailbox drained: one message per validator (a
/// lone request as a single call).
void flush_signs(wallet_self self) {
  auto& st = self->state;
  auto queue = std::move(st.sign_queue);
  st.sign_queue.clear();
  for (auto& [v, all] : queue) {
    std::vector<wallet_effects::sign_out> batch;
    for (auto& r : all) {
      if (st.batched.erase({r.tx, v}) != 0) // asked again: this time alone
        send_request(self, r);
      else
        batch.push_back(std::move(r));
    }
    if (batch.empty())
      continue;
    if (batch.size() == 1) {
      send_request(self, batch.front());
      continue;
    }
    for (size_t at = 0; at < batch.size(); at += limits::max_sign_batch) {
      auto end = std::min(batch.size(), at + limits::max_sign_batch);
      send_batch(self, v, {batch.begin() + at, batch.begin() + end});
    }
  }
}

void send_request(wallet_self self, const wallet_effects::sign_out& r) {
  auto& st = self->state;
  auto tx = r.tx;
  auto v = r.validator;
  if (v >= st.validators.size() || !st.validators[v]) {
    st.core->unanswered(tx, v); // asked again on a later tick, once connected
    return;
  }
  // No timeout: the core asks again after some ticks, and the gate answers what it gives up.
  self->request(st.validators[v], caf::infinite, sign_atom::value, *r.request)
    .then(
      [=](reply_atom, const bytes& raw) { perform(self, self->state.core->replied(tx, v, raw)); },
      [=](caf::error&) { self->state.core->unanswered(tx, v); });
}

void hand_off(wallet_self self, const wallet_effects::handoff_out& h) {
  auto& st = self->state;
  auto tx = h.tx;
  auto payee = h.payee;
  auto offer = h.offer;
  // A payment with a route of its own goes there and nowhere else; one without, to the payee's
  // wallet as the wallet's file names it.
  auto gate = h.endpoint.empty() ? st.payees->to(payee) : st.payees->at(h.endpoint);
  if (!gate) {
    // Offered again on a later tick, or as soon as the payee's wallet is reached.
    perform(self,
            st.core->handoff_failed(
              tx, payee, offer,
              make_error(ec::timeout, h.endpoint.empty() ? "the payee's wallet is not connected"
                                                         : "no connection to " + h.endpoint)));
    return;
  }
  bytes named(payee.bytes.begin(), payee.bytes.end());
  self->request(gate, caf::infinite, deliver_atom::value, *h.certified, named)
    .then([=](ack_atom) { perform(self, self->state.core->acknowledged(tx, payee)); },
          [=](caf::error& err) {
            perform(self, self->state.core->handoff_failed(tx, payee, offer, err));
          });
}

void perform(wallet_self self, wallet_effects fx) {
  auto& st = self->state;
  for (const auto& a : fx.answers)
    answer(st, a);
  if (!fx.writes.empty()) {
    for (auto& w : fx.writes)
      st.write_queue.push_back(std::move(w));
    if (!st.flush_scheduled) {
      st.flush_scheduled = true;
      self->send(self, flush_atom::value);
    }
  }
  for (const auto& w : fx.witnesses)
    ask_witness(self, w);
  // Sign requests wait for the end of the mailbox too: the payments that arrive together reach
  // each validator in one message (bench/RESULTS.md, "Sign requests in batches").
  for (auto& r : fx.requests)
    st.sign_queue[r.validator].push_back(std::move(r));
  if (!st.sign_queue.empty() && !st.flush_scheduled) {
    st.flush_scheduled = true;
    self->send(self, flush_atom::value);
  }
  for (const auto& h : fx.handoffs)
    hand_off(self, h);
  if (st.on_equivocation)
    for (const auto& p : fx.proofs)
      st.on_equivocation(p);
  if (!st.tick_scheduled && st.core->wants_tick()) {
    st.tick_scheduled = true;
    self->delayed_send(self, st.retry_interval, retry_atom::value);
  }
}

std::string render_metrics(const wallet_state& st, const std::string& name) {
  size_t connected = 0;
  for (const auto& v : st.validators)
    connected += v ? 1 : 0;
  return wallet_metrics(*st.core, name, connected, st.fault_reported);
}

/// The wallet reaches every other node through a gate of its own per peer (actors/gate.hpp): a
/// Byzantine validator or payee must hold neither the wallet's handle (it could send `pay`) nor
/// any scheduled actor of it (it could kill it with exit_msg).
caf::actor validator_gate(wallet_self self, uint16_t index, const caf::actor& v) {
  const auto& net = self->state.core->net();
  return make_gate(self->system(), v, courier_to_validator_rules(net.members.members[index].name));
}

/// An expected value as an actor's answer.
template <class T>
caf::result<T> lift(caf::expected<T> x) {
  if (!x)
    return x.error();
  return std::move(*x);
}

/// A caller waiting for the answer to the current message.
caller_id new_caller(wallet_self self, success_as as = success_as::tx) {
  return self->state.add_caller(self->make_response_promise(), as);
}

/// The store's records of single-key addresses (with where their keys live) and policies.
std::vector<address_record>
records_of(const std::vector<key_pair_ptr>& keys, const std::vector<std::string>& key_refs,
           const std::vector<wallet_options::policy_address_options>& policies) {
  std::vector<address_record> out;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto ref = i < key_refs.size() ? key_refs[i] : "";
    out.push_back(address_record{address_of(keys[i]->public_key()), keys[i]->public_key(), ref});
  }
  for (const auto& pa : policies) // no single key: the record names it a policy
    out.push_back(address_record{policy_address(pa.spend_policy), public_key{}, "policy"});
  return out;
}

/// Adopts the addresses of `xs` the wallet does not hold yet: their address actors now (an
/// address is used only once the core holds it), the core once they are durable.
void adopt_new(wallet_self self, const wallet_addresses& xs) {
  auto& st = self->state;
  auto signer_for = [&](const address& a, auto spawn) {
    if (st.core->owns(a) || st.signers.count(a) != 0)
      return;
    auto signer = spawn();
    self->link_to(signer);
    st.signers[a] = std::move(signer);
  };
  for (const auto& key : xs.keys)
    signer_for(address_of(key->public_key()), [&] { return spawn_address(self->system(), key); });
  for (const auto& pa : xs.policies)
    signer_for(policy_address(pa.spend_policy),
               [&] { return spawn_policy_address(self->system(), pa.spend_policy, pa.keys); });
  perform(self, st.core->adopt_new(new_caller(self, success_as::count),
                                   records_of(xs.keys, xs.key_refs, xs.policies)));
}

/// A route ("host:port") that does not parse, as an error; none for a good or empty one.
caf::error bad_route(const std::string& route) {
  if (route.empty())
    return {};
  auto where = parse_endpoint(route);
  return where ? caf::error{} : where.error();
}

void start_payment(wallet_self self, const address& from, const address& to, amount value,
                   wallet_core::answer_when when, std::string endpoint = {}) {
  perform(self,
          self->state.core->pay(new_caller(self), from, to, value, when, std::move(endpoint)));
}

wallet_api::behavior_type wallet_behavior(wallet_self self, std::shared_ptr<wallet_options> opts,
                                          std::shared_ptr<wallet_store> store,
                                          std::shared_ptr<wallet_snapshot> snapshot) {
  auto& st = self->state;
  st.store = std::move(store);
  st.retry_interval = opts->retry_interval;
  st.on_fault = opts->on_fault;
  st.on_equivocation = opts->on_equivocation;
  std::vector<address> owners;
  auto adopt = [&](const address& a, caf::actor signer) {
    owners.push_back(a);
    self->link_to(signer);
    st.signers[a] = std::move(signer);
  };
  for (const auto& key : opts->keys)
    adopt(address_of(key->public_key()), spawn_address(self->system(), key));
  for (const auto& pa : opts->policies)
    adopt(policy_address(pa.spend_policy),
          spawn_policy_address(self->system(), pa.spend_policy, pa.keys));
  st.core = std::make_unique<wallet_core>(opts->net, std::move(owners), st.store);
  st.payees = std::make_unique<payee_gates>(self->system());
  st.validators.resize(opts->net.size());
  for (uint16_t i = 0; i < opts->validators.size() && i < st.validators.size(); ++i)
    if (opts->validators[i])
      st.validators[i] = validator_gate(self, i, opts->validators[i]);
  perform(self, st.core->restore(std::move(*snapshot)));
  return {
    // -- the wallet's API (messages/control.hpp) ------------------------------------------------
    [=](control::pay& q) -> caf::result<hash32> {
      if (auto bad = bad_route(q.route))
        return bad;
      start_payment(self, q.from, q.to, q.value,
                    q.final ? wallet_core::answer_when::final : wallet_core::answer_when::recorded,
                    std::move(q.route));
      return caf::delegated<hash32>{};
    },
    [=](const control::await& q) {
      perform(self, self->state.core->await(new_caller(self), q.tx));
      return caf::delegated<hash32>{};
    },
    [=](const control::status& q) { return lift(self->state.core->status_reply(q.tx)); },
    [=](const control::hold& q) {
      perform(self,
              self->state.core->hold(new_caller(self, success_as::held), q.from, q.to, q.value));
      return caf::delegated<sign_request>{};
    },
    [=](control::submit& q) -> caf::result<hash32> {
      if (auto bad = bad_route(q.creator))
        return bad;
      perform(self,
              self->state.core->submit_request(new_caller(self), q.request, std::move(q.creator)));
      return caf::delegated<hash32>{};
    },
    [=](const control::abandon& q) {
      perform(self, self->state.core->abandon(new_caller(self), q.tx));
      return caf::delegated<hash32>{};
    },
    [=](const control::split& q) {
      perform(self, self->state.core->split(new_caller(self), q.owner, q.parts));
      return caf::delegated<hash32>{};
    },
    [=](const control::export_tx& q) { return lift(self->state.core->certified(q.tx)); },
    [=](const control::export_all&) { return lift(self->state.core->certified_sources()); },
    [=](control::import_tx& q) {
      // Verified, stored and acknowledged as a delivery from the payer's wallet would be.
      perform(self, self->state.core->delivered(new_caller(self), std::move(q.certified)));
      return caf::delegated<hash32>{};
    },
    [=](const control::proofs&) { return self->state.core->proofs(); },
    [=](const control::backup&) -> caf::result<std::vector<control::store_record>> {
      // Between group commits: queued writes are not durable yet, so not in the backup either.
      auto records = self->state.store->records();
      if (!records)
        return records.error();
      std::vector<control::store_record> out;
      out.reserve(records->size());
      for (auto& [key, value] : *records)
        out.push_back(control::store_record{std::move(key), std::move(value)});
      return out;
    },
    [=](const control::handoffs&) { return self->state.core->handoffs(); },
    [=](control::resend& q) -> caf::result<hash32> {
      std::optional<handoff_route> redirect;
      if (!q.route.empty()) {
        if (auto bad = bad_route(q.route))
          return bad;
        redirect = handoff_route{q.tx, q.payee, std::move(q.route)};
      }
      perform(self, self->state.core->resend(new_caller(self), q.tx, std::move(redirect)));
      return caf::delegated<hash32>{};
    },
    [=](const control::history& q) -> caf::result<std::vector<control::history_line>> {
      auto lines = self->state.store->history();
      if (!lines)
        return lines.error();
      return lift(self->state.core->history(*lines, q.limit));
    },
    [=](const control::unsettled&) { return static_cast<uint64_t>(self->state.core->unsettled()); },
    [=](const control::balance& q) { return lift(self->state.core->balance(q.owner)); },
    [=](const control::spendable& q) { return lift(self->state.core->spendable(q.owner)); },
    [=](const control::total&) { return lift(self->state.core->total()); },
    [=](const control::stats&) { return self->state.core->stats(); },
    [=](const control::reload_addresses&) -> caf::result<uint64_t> {
      if (!opts->reload)
        return make_error(ec::invalid_config, "this wallet has no configuration file to reload");
      auto xs = opts->reload();
      if (!xs)
        return xs.error();
      adopt_new(self, *xs);
      return caf::delegated<uint64_t>{};
    },
    // -- in-process only: the node's connector, the committee, timers, tests
    // ------------------------
    [=](endpoints_atom) { return self->state.core->endpoints(); },
    [=](route_atom, const std::string& endpoint, const caf::actor& wallet) {
      self->state.payees->route_endpoint(endpoint, wallet);
      perform(self, self->state.core->resend_handoffs_to(endpoint));
    },
    [=](deliver_atom, const bytes& raw) {
      perform(self, self->state.core->delivered(new_caller(self, success_as::ack), raw));
      return caf::delegated<ack_atom>{};
    },
    [=](deliver_atom, const bytes& raw, const bytes& payee) -> caf::result<ack_atom> {
      address named;
      if (payee.size() != named.bytes.size())
        return make_error(ec::malformed_message, "a payee address is 32 bytes");
      std::copy(payee.begin(), payee.end(), named.data());
      perform(self, self->state.core->delivered(new_caller(self, success_as::ack), raw, named));
      return caf::delegated<ack_atom>{};
    },
    [=](peer_atom, const address& payee, const caf::actor& wallet) {
      self->state.payees->route(payee, wallet);
      perform(self, self->state.core->resend_handoffs(payee));
    },
    [=](validator_atom, uint16_t index, const caf::actor& v) -> caf::result<void> {
      auto& st = self->state;
      if (index >= st.validators.size())
        return make_error(ec::invalid_config, "no validator " + std::to_string(index));
      close_gate(st.validators[index]);
      st.validators[index] = validator_gate(self, index, v);
      perform(self, st.core->resend_requests());
      return caf::unit;
    },
    [=](retry_atom) {
      self->state.tick_scheduled = false;
      perform(self, self->state.core->tick());
    },
    [=](flush_atom) {
      flush_writes(self);
      flush_signs(self);
    },
    [=](pending_atom) { return static_cast<uint64_t>(self->state.core->pending()); },
    [=](addresses_atom) { return self->state.core->addresses(); },
    [=](addresses_atom, const wallet_addresses& xs) {
      adopt_new(self, xs);
      return caf::delegated<uint64_t>{};
    },
    [=](metrics_atom) { return render_metrics(self->state, opts->name); },
  };
}

} // namespace

caf::expected<wallet_api> spawn_wallet(caf::actor_system& sys, wallet_options opts) {
  std::vector<hash32> earlier;
  for (const auto& p : opts.net.past)
    earlier.push_back(p.id);
  auto store = wallet_store::open(opts.data_dir, opts.net.id, opts.faults, earlier);
  if (!store)
    return store.error();
  auto known = (*store)->addresses();
  if (!known)
    return known.error();
  auto fresh = records_of(opts.keys, opts.key_refs, opts.policies);
  if (auto change = adopt_addresses(opts.net, *known, fresh))
    if (auto err = (*store)->apply(*change))
      return err;
  std::vector<address> owners;
  for (const auto& rec : fresh)
    owners.push_back(rec.addr);
  auto snapshot = (*store)->snapshot(owners);
  if (!snapshot)
    return snapshot.error();
  std::shared_ptr<wallet_store> shared_store{std::move(*store)};
  return sys.spawn(wallet_behavior, std::make_shared<wallet_options>(std::move(opts)),
                   std::move(shared_store),
                   std::make_shared<wallet_snapshot>(std::move(*snapshot)));
}

} // namespace acfts
