#include "actors/wallet_actor.hpp"

#include <functional>
#include <map>
#include <memory>
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/address_actor.hpp"
#include "actors/atoms.hpp"
#include "actors/gate.hpp"
#include "actors/local_types.hpp"
#include "crypto/hashing.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "persistence/wallet_store.hpp"
#include "protocol/payment.hpp"
#include "protocol/rules.hpp"
#include "protocol/wallet_ledger.hpp"

namespace acfts {

namespace {

/// A payment whose request is recorded and out to the committee.
struct payment {
  sign_request req;
  bytes encoded;
  std::unique_ptr<quorum_collector> collector;
  std::vector<bool> in_flight;
  std::vector<utxo> inputs;
  /// Callers of `pay` waiting for the outcome (none for a payment resumed after a restart).
  std::vector<caf::response_promise> waiters;
  /// Its outcome is decided and being written: later replies change nothing.
  bool finishing = false;
};

/// A store change waiting for the next group commit, and what to do once it is durable (or not).
struct queued_write {
  wallet_change change;
  /// Keep what `change` points to alive until the write.
  std::shared_ptr<const certified_transaction> certified;
  std::shared_ptr<const sign_request> pending;
  std::function<void(const caf::error&)> then;
};

/// A certified transaction on its way to the payee's wallet.
struct handoff {
  bytes encoded;
  address payee;
  bool in_flight = false;
};

struct wallet_state {
  network net;
  std::shared_ptr<wallet_store> store;
  /// Gates to the committee members (see `courier_to`), by index; null: not connected.
  std::vector<caf::actor> validators;
  std::vector<address> order; // addresses in key order
  std::unordered_map<address, caf::actor> signers;
  /// Unspent outputs per address, and which of them pending payments reserved.
  wallet_ledger ledger;
  std::unordered_map<hash32, payment> payments;
  /// Gates to the wallets that receive payments to each address (see `courier_to`).
  std::unordered_map<address, caf::actor> directory;
  /// The gates of `directory`, by the payee wallet they lead to.
  std::map<caf::actor_addr, caf::actor> payee_gates;
  std::unordered_map<hash32, handoff> outbox;
  std::chrono::milliseconds retry_interval{1000};
  bool tick_scheduled = false;
  /// Changes queued while the mailbox drains; one synced write covers them all.
  std::vector<queued_write> write_queue;
  bool flush_scheduled = false;
  std::function<void(const caf::error&)> on_fault;
  bool fault_reported = false;
  /// Received payments queued for the next group commit (a repeat waits for the same write).
  std::unordered_set<hash32> receiving;
  uint64_t n_final = 0, n_failed = 0, n_dropped = 0, n_received = 0, n_refused = 0;
  /// Why recent payments failed, for `status` and `await` (in memory: bounded, not kept across
  /// a restart).
  std::map<hash32, caf::error> failures;
  std::deque<hash32> failure_order;
  static inline const char* name = "acfts.wallet";

  bool owns(const address& a) const { return signers.count(a) != 0; }

  /// The wallet's gates let go of their peers with it.
  ~wallet_state() {
    for (auto& v : validators)
      close_gate(v);
    for (auto& [payee, g] : payee_gates)
      close_gate(g);
  }
};

using wallet_self = caf::stateful_actor<wallet_state>;

/// Queues `w` for the next group commit: a `flush` message to itself is processed after every
/// message already in the mailbox, so concurrent payments share one synced write. Nothing that
/// depends on the change (a request, a reply, an ack, a spendable output) happens before `then`.
/// (Why not persistence/group_committer, as the validator does: a wallet's writes are few and
/// most of what it does waits on them, so a write on its own thread would gain nothing and add a
/// hand-over per payment; a validator must keep verifying while its fsync runs.)
void write_later(wallet_self* self, queued_write w) {
  auto& st = self->state;
  st.write_queue.push_back(std::move(w));
  if (!st.flush_scheduled) {
    st.flush_scheduled = true;
    self->send(self, flush_atom::value);
  }
}

void flush_writes(wallet_self* self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  auto batch = std::move(st.write_queue);
  st.write_queue.clear();
  std::vector<const wallet_change*> changes;
  changes.reserve(batch.size());
  for (const auto& w : batch)
    changes.push_back(&w.change);
  auto err = st.store->apply_all(changes);
  if (err && !st.fault_reported) {
    st.fault_reported = true;
    if (st.on_fault)
      st.on_fault(err);
  }
  for (auto& w : batch)
    if (w.then)
      w.then(err);
}

/// The wallet reaches every other node through a gate of its own per peer (actors/gate.hpp):
/// a message's receiver can always answer its sender, so a Byzantine validator or payee must
/// hold neither the wallet's handle (it could send `pay`) nor any scheduled actor of it (it could
/// kill it with exit_msg). A gate passes on only `sign` or `deliver` to its one peer and relays
/// only the answers of the expected shape back.
caf::actor courier_to(wallet_self* self, const caf::actor& peer, gate_rules rules) {
  return make_gate(self->system(), peer, std::move(rules));
}

/// Closes the gates to payee wallets that no address of the directory uses any more.
void close_unused_couriers(wallet_state& st) {
  for (auto i = st.payee_gates.begin(); i != st.payee_gates.end();) {
    bool used = false;
    for (const auto& [a, g] : st.directory)
      used = used || g == i->second;
    if (used) {
      ++i;
    } else {
      close_gate(i->second);
      i = st.payee_gates.erase(i);
    }
  }
}

void schedule_tick(wallet_self* self);

/// The outputs of `tx` that belong to this wallet.
std::vector<utxo> own_outputs(const wallet_state& st, const hash32& tx_hash,
                              const transaction& tx) {
  std::vector<utxo> out;
  for (uint32_t i = 0; i < tx.outputs.size(); ++i)
    if (st.owns(tx.outputs[i].owner))
      out.push_back(utxo{output_ref{tx_hash, i}, tx.outputs[i].owner, tx.outputs[i].value});
  return out;
}

void send_handoff(wallet_self* self, const hash32& tx) {
  auto& st = self->state;
  auto i = st.outbox.find(tx);
  if (i == st.outbox.end() || i->second.in_flight)
    return;
  auto peer = st.directory.find(i->second.payee);
  if (peer == st.directory.end() || !peer->second)
    return; // retried on a later tick, once the payee's wallet is known
  i->second.in_flight = true;
  self->request(peer->second, st.retry_interval, deliver_atom::value, i->second.encoded)
    .then(
      [=](ack_atom) {
        auto& st = self->state;
        if (st.outbox.erase(tx) == 0)
          return;
        queued_write w;
        w.change.outbox_done = tx;
        write_later(self, std::move(w)); // lost: at worst the payee sees it again, harmlessly
      },
      [=](caf::error& err) {
        auto& st = self->state;
        auto j = st.outbox.find(tx);
        if (j == st.outbox.end())
          return;
        j->second.in_flight = false;
        // A payee that refuses the certificate will refuse it again: stop offering it.
        if (code_of(err) != ec::none && code_of(err) != ec::timeout
            && code_of(err) != ec::storage_error) {
          st.outbox.erase(j);
          queued_write w;
          w.change.outbox_done = tx;
          write_later(self, std::move(w));
        }
      });
  schedule_tick(self);
}

/// What runs once the write that ends payment `tx` (final or failed) is done. On success,
/// `settle(state, payment)` updates memory and answers the callers, then the payment is
/// forgotten. On failure the outcome is known but not on disk: the payment stays pending (a later
/// reply or a restart tries again; validators answer a retry with the same signatures) and its
/// callers learn of the failure.
template <class Settle>
std::function<void(const caf::error&)> after_ending_write(wallet_self* self, hash32 tx,
                                                          Settle settle) {
  return [=](const caf::error& err) {
    auto& st = self->state;
    auto i = st.payments.find(tx);
    if (i == st.payments.end())
      return;
    auto& p = i->second;
    if (err) {
      p.finishing = false;
      for (auto& rp : p.waiters)
        rp.deliver(err);
      p.waiters.clear();
      return;
    }
    settle(st, p);
    st.payments.erase(i);
  };
}

void finish_payment(wallet_self* self, const hash32& tx) {
  auto& st = self->state;
  auto i = st.payments.find(tx);
  if (i == st.payments.end() || i->second.finishing)
    return;
  auto& p = i->second;
  p.finishing = true;
  auto ct = std::make_shared<const certified_transaction>(
    certified_transaction{p.req.tx, p.collector->cert()});
  auto added = own_outputs(st, tx, ct->tx);
  queued_write w;
  w.certified = ct;
  w.change.certified = ct.get();
  w.change.spent = p.inputs;
  w.change.added = added;
  w.change.finished_payment = tx;
  std::optional<address> payee;
  for (const auto& out : ct->tx.outputs)
    if (!st.owns(out.owner)) {
      payee = out.owner;
      break;
    }
  if (payee)
    w.change.outbox_add = outbox_entry{tx, *payee};
  w.then = after_ending_write(self, tx, [=](wallet_state& st, payment& p) {
    st.ledger.remove(p.inputs);
    st.ledger.add(added);
    ++st.n_final;
    st.n_dropped += p.collector->dropped();
    for (auto& rp : p.waiters)
      rp.deliver(tx.hex());
    if (payee) {
      st.outbox[tx] = handoff{encode(*ct), *payee};
      send_handoff(self, tx);
    }
  });
  write_later(self, std::move(w));
}

constexpr size_t max_remembered_failures = 4096;

void remember_failure(wallet_state& st, const hash32& tx, const caf::error& reason) {
  if (st.failures.emplace(tx, reason).second)
    st.failure_order.push_back(tx);
  if (st.failure_order.size() > max_remembered_failures) {
    st.failures.erase(st.failure_order.front());
    st.failure_order.pop_front();
  }
}

void fail_payment(wallet_self* self, const hash32& tx, const caf::error& reason) {
  auto& st = self->state;
  auto i = st.payments.find(tx);
  if (i == st.payments.end() || i->second.finishing)
    return;
  auto& p = i->second;
  p.finishing = true;
  // More than f members refused: this transaction can never be certified. With a conflict the
  // inputs are locked to another transaction (an equivocation) and are lost to this wallet.
  bool lost = code_of(reason) == ec::payment_conflict;
  queued_write w;
  w.change.finished_payment = tx;
  if (lost)
    w.change.spent = p.inputs;
  w.then = after_ending_write(self, tx, [=](wallet_state& st, payment& p) {
    if (lost)
      st.ledger.remove(p.inputs);
    else
      st.ledger.release(p.inputs);
    ++st.n_failed;
    remember_failure(st, tx, reason);
    for (auto& rp : p.waiters)
      rp.deliver(reason);
  });
  write_later(self, std::move(w));
}

void on_sign_reply(wallet_self* self, const hash32& tx, uint16_t from, const bytes& raw) {
  auto& st = self->state;
  auto i = st.payments.find(tx);
  if (i == st.payments.end())
    return; // a late reply to a finished payment
  auto& p = i->second;
  p.in_flight[from] = false;
  auto reply = decode<sign_reply>(raw);
  if (!reply) {
    ++st.n_dropped;
    return;
  }
  switch (p.collector->add(from, *reply)) {
    case quorum_collector::state::certified:
      finish_payment(self, tx);
      break;
    case quorum_collector::state::failed:
      fail_payment(self, tx, p.collector->failure());
      break;
    case quorum_collector::state::collecting:
      break;
  }
}

void send_requests(wallet_self* self, const hash32& tx) {
  auto& st = self->state;
  auto i = st.payments.find(tx);
  if (i == st.payments.end())
    return;
  auto& p = i->second;
  if (p.finishing)
    return;
  for (uint16_t v = 0; v < st.validators.size(); ++v) {
    if (p.collector->answered(v) || p.in_flight[v] || !st.validators[v])
      continue;
    p.in_flight[v] = true;
    self->request(st.validators[v], st.retry_interval, sign_atom::value, p.encoded)
      .then([=](reply_atom, const bytes& raw) { on_sign_reply(self, tx, v, raw); },
            [=](caf::error&) {
              auto j = self->state.payments.find(tx);
              if (j != self->state.payments.end())
                j->second.in_flight[v] = false;
            });
  }
  schedule_tick(self);
}

/// Starts tracking a recorded request and sends it to the committee.
void launch(wallet_self* self, sign_request req, std::vector<utxo> inputs,
            std::optional<caf::response_promise> waiter) {
  auto& st = self->state;
  auto tx = tx_hash(req.tx);
  payment p;
  p.encoded = encode(req);
  p.req = std::move(req);
  p.collector = std::make_unique<quorum_collector>(st.net, tx);
  p.in_flight.assign(st.net.size(), false);
  p.inputs = std::move(inputs);
  if (waiter)
    p.waiters.push_back(std::move(*waiter));
  st.payments.emplace(tx, std::move(p));
  send_requests(self, tx);
}

/// When the caller of a payment hears of it: once it is final (or failed), or as soon as it is
/// recorded and sent (with its hash; the outcome then comes from `await` or `status`).
enum class answer_when { final, recorded };

/// Witnesses `plan` with the address actor of `from`, attaches the parents' certificates,
/// records the payment durably and sends it to the committee; `rp` gets the outcome.
void submit_plan(wallet_self* self, const address& from, caf::expected<payment_plan> plan,
                 caf::response_promise rp, answer_when when = answer_when::final) {
  auto& st = self->state;
  if (!plan) {
    rp.deliver(plan.error());
    return;
  }
  // Reserve before the first asynchronous step: no concurrent payment may pick these outputs.
  st.ledger.reserve(plan->inputs);
  auto tx = tx_hash(plan->tx);
  auto shared_plan = std::make_shared<payment_plan>(std::move(*plan));
  self->request(st.signers[from], caf::infinite, witness_atom::value, tx)
    .then(
      [=](const witness& w) mutable {
        auto& st = self->state;
        sign_request req;
        req.committee_id = st.net.id;
        req.tx = shared_plan->tx;
        req.witnesses.push_back(w);
        std::set<hash32> parents;
        for (const auto& in : req.tx.inputs)
          if (in.tx != st.net.genesis_hash)
            parents.insert(in.tx);
        for (const auto& h : parents) {
          auto ct = st.store->certified(h);
          if (!ct || !*ct) {
            st.ledger.release(shared_plan->inputs);
            rp.deliver(ct ? make_error(ec::storage_error, "no certificate for parent " + h.hex())
                          : ct.error());
            return;
          }
          req.parents.push_back(std::move(**ct));
        }
        // Durable before the first request leaves: a restart resumes it.
        auto pending = std::make_shared<const sign_request>(std::move(req));
        queued_write record;
        record.pending = pending;
        record.change.new_pending = pending.get();
        record.change.new_pending_tx = tx;
        record.then = [=](const caf::error& err) mutable {
          if (err) {
            // Nothing was sent. But a failed sync does not mean the record missed the disk: if
            // it got there, a restart resumes the payment. Say so rather than "failed".
            self->state.ledger.release(shared_plan->inputs);
            rp.deliver(make_error(ec::storage_error,
                                  "payment " + tx.hex() + " was not sent: recording it failed ("
                                    + describe(err)
                                    + "); if the record reached the disk, a restart resumes it"));
            return;
          }
          if (when == answer_when::recorded) {
            rp.deliver(tx.hex());
            launch(self, *pending, shared_plan->inputs, std::nullopt);
          } else {
            launch(self, *pending, shared_plan->inputs, rp);
          }
        };
        write_later(self, std::move(record));
      },
      [=](caf::error& err) mutable {
        self->state.ledger.release(shared_plan->inputs);
        rp.deliver(err);
      });
}

/// Parses `from_hex` as one of this wallet's addresses.
caf::expected<address> own_address(const wallet_state& st, const std::string& from_hex) {
  auto from = address::from_hex(from_hex);
  if (!from || !st.owns(*from))
    return make_error(ec::unknown_address, "this wallet holds no address " + from_hex);
  return *from;
}

void start_payment(wallet_self* self, const std::string& from_hex, const std::string& to_hex,
                   amount value, caf::response_promise rp, answer_when when = answer_when::final) {
  auto& st = self->state;
  auto from = own_address(st, from_hex);
  if (!from) {
    rp.deliver(from.error());
    return;
  }
  auto to = address::from_hex(to_hex);
  if (!to) {
    rp.deliver(make_error(ec::unknown_address, "not an address: " + to_hex));
    return;
  }
  submit_plan(self, *from, plan_payment(st.ledger.spendable(*from), *from, *to, value), rp, when);
}

void start_split(wallet_self* self, const std::string& owner_hex, uint64_t parts,
                 caf::response_promise rp) {
  auto& st = self->state;
  auto owner = own_address(st, owner_hex);
  if (!owner) {
    rp.deliver(owner.error());
    return;
  }
  submit_plan(self, *owner, plan_split(st.ledger.spendable(*owner), *owner, parts), rp);
}

void receive_payment(wallet_self* self, const bytes& raw, caf::response_promise rp) {
  auto& st = self->state;
  auto ct = decode<certified_transaction>(raw);
  if (!ct) {
    ++st.n_refused;
    rp.deliver(ct.error());
    return;
  }
  if (auto err = verify_certified(st.net, *ct)) {
    ++st.n_refused;
    rp.deliver(err);
    return;
  }
  auto tx = ct->cert.tx_hash;
  auto known = st.store->certified(tx);
  if (!known) {
    rp.deliver(known.error());
    return;
  }
  if (*known) {
    rp.deliver(ack_atom::value); // a repeated delivery changes nothing
    return;
  }
  if (st.receiving.count(tx) != 0) {
    queued_write again; // acknowledged once the first delivery's write is durable
    again.then = [=](const caf::error& err) mutable {
      if (err)
        rp.deliver(err);
      else
        rp.deliver(ack_atom::value);
    };
    write_later(self, std::move(again));
    return;
  }
  auto added = own_outputs(st, tx, ct->tx);
  if (added.empty()) {
    ++st.n_refused;
    rp.deliver(make_error(ec::unknown_address, "no output of this payment belongs to this wallet"));
    return;
  }
  auto kept = std::make_shared<const certified_transaction>(std::move(*ct));
  queued_write w;
  w.certified = kept;
  w.change.certified = kept.get();
  w.change.added = added;
  st.receiving.insert(tx);
  w.then = [=](const caf::error& err) mutable {
    self->state.receiving.erase(tx);
    if (err) {
      rp.deliver(err);
      return;
    }
    self->state.ledger.add(added);
    ++self->state.n_received;
    rp.deliver(ack_atom::value);
  };
  write_later(self, std::move(w));
}

void schedule_tick(wallet_self* self) {
  auto& st = self->state;
  if (st.tick_scheduled || (st.payments.empty() && st.outbox.empty()))
    return;
  st.tick_scheduled = true;
  self->delayed_send(self, st.retry_interval, retry_atom::value);
}

caf::behavior wallet_behavior(wallet_self* self, std::shared_ptr<wallet_options> opts,
                              std::shared_ptr<wallet_store> store) {
  auto& st = self->state;
  st.net = opts->net;
  st.store = std::move(store);
  st.validators.resize(st.net.size());
  for (size_t i = 0; i < opts->validators.size() && i < st.validators.size(); ++i)
    if (opts->validators[i])
      st.validators[i] = courier_to(self, opts->validators[i],
                                    courier_to_validator_rules(st.net.members.members[i].name));
  st.retry_interval = opts->retry_interval;
  st.on_fault = opts->on_fault;
  for (const auto& key : opts->keys) {
    auto a = address_of(key->public_key());
    st.order.push_back(a);
    st.signers[a] = spawn_address(self->system(), key);
    self->link_to(st.signers[a]);
    st.ledger.add_address(a);
  }
  // Load state: unspent outputs, pending payments (resumed), undelivered hand-offs.
  for (const auto& a : st.order) {
    auto outs = st.store->unspent(a);
    if (outs)
      st.ledger.add(*outs);
  }
  if (auto pending = st.store->pending()) {
    for (auto& req : *pending) {
      std::vector<utxo> inputs;
      for (const auto& in : req.tx.inputs)
        if (auto u = st.ledger.find(in))
          inputs.push_back(*u);
      st.ledger.reserve(inputs);
      launch(self, std::move(req), std::move(inputs), std::nullopt);
    }
  }
  if (auto outbox = st.store->outbox()) {
    for (const auto& e : *outbox)
      if (auto ct = st.store->certified(e.tx); ct && *ct)
        st.outbox[e.tx] = handoff{encode(**ct), e.payee};
    schedule_tick(self);
  }
  return {
    [=](pay_atom, const std::string& from, const std::string& to, amount value) {
      start_payment(self, from, to, value, self->make_response_promise());
    },
    [=](split_atom, const std::string& owner, uint64_t parts) {
      start_split(self, owner, parts, self->make_response_promise());
    },
    [=](submit_atom, const std::string& from, const std::string& to, amount value) {
      start_payment(self, from, to, value, self->make_response_promise(), answer_when::recorded);
    },
    [=](await_atom, const std::string& tx_hex) -> caf::result<std::string> {
      auto& st = self->state;
      auto tx = hash32::from_hex(tx_hex);
      if (!tx)
        return make_error(ec::malformed_message, "not a transaction hash: " + tx_hex);
      if (auto p = st.payments.find(*tx); p != st.payments.end()) {
        auto rp = self->make_response_promise<std::string>();
        p->second.waiters.push_back(rp);
        return rp;
      }
      if (auto f = st.failures.find(*tx); f != st.failures.end())
        return f->second;
      auto ct = st.store->certified(*tx);
      if (!ct)
        return ct.error();
      if (*ct)
        return tx_hex;
      return make_error(ec::unknown_transaction, "wallet knows no transaction " + tx_hex);
    },
    [=](status_atom, const std::string& tx_hex)
      -> caf::result<std::string, std::vector<std::string>, std::string> {
      auto& st = self->state;
      auto tx = hash32::from_hex(tx_hex);
      if (!tx)
        return make_error(ec::malformed_message, "not a transaction hash: " + tx_hex);
      std::vector<std::string> who;
      auto name = [&](uint16_t i) {
        return i < st.net.size() ? st.net.members.members[i].name : "#" + std::to_string(i);
      };
      if (auto p = st.payments.find(*tx); p != st.payments.end()) {
        for (const auto& s : p->second.collector->cert().sigs)
          who.push_back(name(s.validator_index));
        return {std::string{"pending"}, who, std::string{}};
      }
      if (auto f = st.failures.find(*tx); f != st.failures.end())
        return {std::string{"failed"}, who, describe(f->second)};
      auto ct = st.store->certified(*tx);
      if (!ct)
        return ct.error();
      if (!*ct)
        return {std::string{"unknown"}, who, std::string{}};
      for (const auto& s : (*ct)->cert.sigs)
        who.push_back(name(s.validator_index));
      return {std::string{"final"}, who, std::string{}};
    },
    [=](balance_atom) -> caf::result<amount> {
      auto total = self->state.ledger.total();
      if (!total)
        return total.error();
      return *total;
    },
    [=](balance_atom, const std::string& addr_hex) -> caf::result<amount> {
      auto a = address::from_hex(addr_hex);
      auto& st = self->state;
      if (!a || !st.owns(*a))
        return make_error(ec::unknown_address, "this wallet holds no address " + addr_hex);
      auto b = st.ledger.balance(*a);
      if (!b)
        return b.error();
      return *b;
    },
    [=](deliver_atom, const bytes& raw) {
      receive_payment(self, raw, self->make_response_promise());
    },
    [=](peer_atom, const std::string& addr_hex, const caf::actor& wallet) -> caf::result<void> {
      auto a = address::from_hex(addr_hex);
      if (!a)
        return make_error(ec::unknown_address, "not an address: " + addr_hex);
      auto& st = self->state;
      // One gate per payee wallet, shared by its addresses.
      auto& gate = st.payee_gates[wallet.address()];
      if (!gate)
        gate = courier_to(self, wallet, courier_to_wallet_rules(addr_hex.substr(0, 16)));
      st.directory[*a] = gate;
      close_unused_couriers(st);
      for (const auto& [tx, h] : st.outbox)
        if (h.payee == *a)
          send_handoff(self, tx);
      return caf::unit;
    },
    [=](validator_atom, uint16_t index, const caf::actor& v) -> caf::result<void> {
      auto& st = self->state;
      if (index >= st.validators.size())
        return make_error(ec::invalid_config, "no validator " + std::to_string(index));
      close_gate(st.validators[index]);
      st.validators[index] =
        courier_to(self, v, courier_to_validator_rules(st.net.members.members[index].name));
      std::vector<hash32> txs;
      for (const auto& [tx, p] : st.payments)
        txs.push_back(tx);
      for (const auto& tx : txs)
        send_requests(self, tx);
      return caf::unit;
    },
    [=](retry_atom) {
      auto& st = self->state;
      st.tick_scheduled = false;
      std::vector<hash32> txs;
      for (const auto& [tx, p] : st.payments)
        txs.push_back(tx);
      for (const auto& tx : txs)
        send_requests(self, tx);
      txs.clear();
      for (const auto& [tx, h] : st.outbox)
        txs.push_back(tx);
      for (const auto& tx : txs)
        send_handoff(self, tx);
      schedule_tick(self);
    },
    [=](flush_atom) { flush_writes(self); },
    [=](pending_atom) { return static_cast<uint64_t>(self->state.payments.size()); },
    [=](unsettled_atom) {
      return static_cast<uint64_t>(self->state.payments.size() + self->state.outbox.size());
    },
    [=](addresses_atom) {
      std::vector<std::string> out;
      for (const auto& a : self->state.order)
        out.push_back(a.hex());
      return out;
    },
    [=](stats_atom) {
      auto& st = self->state;
      return std::vector<uint64_t>{st.n_final, st.n_failed, st.n_dropped, st.n_received,
                                   st.n_refused};
    },
  };
}

} // namespace

caf::expected<caf::actor> spawn_wallet(caf::actor_system& sys, wallet_options opts) {
  auto store = wallet_store::open(opts.data_dir, opts.net.id, opts.faults);
  if (!store)
    return store.error();
  // Register new addresses together with the genesis outputs they own (once per address).
  auto known = (*store)->addresses();
  if (!known)
    return known.error();
  std::unordered_set<address> registered;
  for (const auto& rec : *known)
    registered.insert(rec.addr);
  wallet_change change;
  for (size_t i = 0; i < opts.keys.size(); ++i) {
    auto a = address_of(opts.keys[i]->public_key());
    if (registered.count(a) != 0)
      continue;
    change.new_addresses.push_back(address_record{
      a, opts.keys[i]->public_key(), i < opts.key_refs.size() ? opts.key_refs[i] : ""});
    const auto& g = opts.net.gen.tx;
    for (uint32_t j = 0; j < g.outputs.size(); ++j)
      if (g.outputs[j].owner == a)
        change.added.push_back(utxo{output_ref{opts.net.genesis_hash, j}, a, g.outputs[j].value});
  }
  if (!change.new_addresses.empty())
    if (auto err = (*store)->apply(change))
      return err;
  std::shared_ptr<wallet_store> shared_store{std::move(*store)};
  return sys.spawn(wallet_behavior, std::make_shared<wallet_options>(std::move(opts)),
                   std::move(shared_store));
}

} // namespace acfts
