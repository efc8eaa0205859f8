// The wallet core test's fixture: a wallet of the thesis network against four in-memory
// validators (validator_core over memory_lock_table: real rules, real signatures, pooled shares),
// each honest, silent or Byzantine, and an in-memory store. Included by wallet_core_test.cpp and
// wallet_delivery_test.cpp.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <set>

#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "protocol/cosign.hpp"
#include "protocol/memory_lock_table.hpp"
#include "protocol/merkle.hpp"
#include "protocol/validator_core.hpp"
#include "protocol/wallet_core.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

/// A wallet store in memory: what wallet_store keeps, with writes that can be made to fail.
class memory_store : public wallet_records {
public:
  caf::expected<std::optional<certified_transaction>> certified(const hash32& tx) const override {
    auto i = certs.find(tx);
    return i == certs.end() ? std::nullopt : std::optional<certified_transaction>{i->second};
  }

  caf::expected<std::vector<address_record>> addresses() const override {
    std::vector<address_record> out;
    for (const auto& [a, rec] : address_records)
      out.push_back(rec);
    return out;
  }

  caf::expected<std::vector<utxo>> unspent(const address& owner) const override {
    std::vector<utxo> out;
    for (const auto& [ref, u] : outputs)
      if (u.owner == owner)
        out.push_back(u);
    return out;
  }

  /// Applies `c` as wallet_store::apply does (all or nothing), or fails if `broken`.
  caf::error apply(const wallet_change& c) {
    if (broken)
      return make_error(ec::storage_error, "disk full (test)");
    ++writes;
    if (needs_sync(c))
      ++synced_writes;
    if (c.new_pending)
      pending[c.new_pending_tx] = *c.new_pending;
    if (c.new_held)
      held[c.new_held_tx] = *c.new_held;
    for (const auto& tx : c.held_done)
      held.erase(tx);
    if (c.certified)
      certs[c.certified->cert.tx_hash] = *c.certified;
    for (const auto& u : c.spent)
      outputs.erase(u.ref);
    for (const auto& u : c.added)
      outputs[u.ref] = u;
    if (c.finished_payment)
      pending.erase(*c.finished_payment);
    outbox.insert(c.outbox_add.begin(), c.outbox_add.end());
    history.insert(history.end(), c.history_add.begin(), c.history_add.end());
    for (const auto& r : c.routes) {
      if (r.endpoint.empty())
        routes.erase(outbox_entry{r.tx, r.payee});
      else
        routes[outbox_entry{r.tx, r.payee}] = r.endpoint;
    }
    for (const auto& e : c.outbox_done) {
      outbox.erase(e);
      routes.erase(e);
    }
    proofs.insert(proofs.end(), c.proofs.begin(), c.proofs.end());
    for (const auto& rec : c.new_addresses)
      address_records[rec.addr] = rec;
    return caf::none;
  }

  /// What a restarted wallet starts from.
  wallet_snapshot snapshot() const {
    wallet_snapshot s;
    for (const auto& [ref, u] : outputs)
      s.unspent.push_back(u);
    for (const auto& [tx, req] : pending)
      s.pending.push_back(req);
    for (const auto& [tx, req] : held)
      s.held.push_back(req);
    for (const auto& e : outbox)
      s.outbox.push_back(unacknowledged_handoff{e.payee, certs.at(e.tx)});
    for (const auto& [e, endpoint] : routes)
      s.routes.push_back(handoff_route{e.tx, e.payee, endpoint});
    s.proofs = proofs;
    return s;
  }

  bool broken = false;
  size_t writes = 0;
  /// Writes that needs_sync sends to the disk before the wallet goes on.
  size_t synced_writes = 0;
  /// The unspent outputs.
  std::map<output_ref, utxo> outputs;
  std::map<address, address_record> address_records;
  std::map<hash32, sign_request> pending;
  std::map<hash32, sign_request> held;
  std::map<hash32, certified_transaction> certs;
  std::set<outbox_entry> outbox;
  std::map<outbox_entry, std::string> routes;
  std::vector<history_entry> history;
  std::vector<equivocation_proof> proofs;
};

/// How an in-memory validator answers.
enum class member {
  honest,
  /// Never answers (the wallet's timeout reports it).
  silent,
  /// Answers with bytes that are no sign reply.
  junk,
  /// Signs with a key that is not its own.
  bad_share,
  /// Sends the share of another member as its own.
  relays_another,
  /// Answers every request twice.
  repeats,
};

/// One wallet (core and store) and the effects it asked for, performed at once (writes: when
/// `hold_writes` is off, or at `flush()`).
struct wallet_under_test {
  std::shared_ptr<memory_store> store = std::make_shared<memory_store>();
  std::unique_ptr<wallet_core> core;
  std::map<caller_id, wallet_effects::answer> answers;
  std::vector<wallet_effects::sign_out> sent;
  std::vector<wallet_effects::handoff_out> handoffs;
  std::vector<wallet_effects::write> held;
  std::vector<equivocation_proof> proofs;
  bool hold_writes = false;
  caller_id next_caller = 1;
};

struct wallet_core_fixture {
  cluster_keys k = test::thesis_keys();
  address a0 = test::addr(k, 0), a1 = test::addr(k, 1), a4 = test::addr(k, 4);
  std::vector<std::shared_ptr<memory_lock_table>> tables;
  std::vector<std::unique_ptr<validator_core>> validators;
  std::vector<member> kinds{member::honest, member::honest, member::honest, member::honest};
  /// c0 holds a0..a3 (and the genesis) and the 2-of-3 policy address `shared`; c1 holds a4..a7.
  wallet_under_test c0, c1;
  owner_key ed = owner_key::generate(key_scheme::ed25519);
  owner_key secp = owner_key::generate(key_scheme::secp256k1);
  owner_key p256 = owner_key::generate(key_scheme::p256);
  policy shared = two_of_three();
  address shared_address = policy_address(shared);
  /// The keys of `shared` that c0 holds.
  std::vector<const owner_key*> held{&ed, &secp, &p256};

  policy two_of_three() {
    policy p;
    p.type = policy::kind::threshold;
    p.k = 2;
    for (const owner_key* key : {&ed, &secp, &p256}) {
      policy leaf;
      leaf.scheme = static_cast<uint8_t>(key->scheme());
      leaf.key = key->public_key().key;
      p.weights.push_back(1);
      p.children.push_back(leaf);
    }
    return p;
  }

  wallet_core_fixture() {
    for (uint16_t i = 0; i < k.net.size(); ++i) {
      tables.push_back(std::make_shared<memory_lock_table>());
      validators.push_back(std::make_unique<validator_core>(k.net, i, k.validators[i],
                                                            tables.back(), share_mode::pooled));
    }
    const auto& g = k.net.gen.tx;
    c0.store->outputs[test::genesis_output(k)] =
      utxo{test::genesis_output(k), g.outputs[0].owner, g.outputs[0].value};
    start(c0, 0);
    start(c1, 1);
  }

  /// (Re)starts wallet `w` (number `index` of the cluster) from what its store holds.
  void start(wallet_under_test& w, size_t index) {
    std::vector<address> owners;
    for (size_t i = 0; i < 4; ++i)
      owners.push_back(test::addr(k, index * 4 + i));
    if (index == 0)
      owners.push_back(shared_address);
    w.core = std::make_unique<wallet_core>(k.net, owners, w.store);
    w.sent.clear();
    w.handoffs.clear();
    w.held.clear();
    run(w, w.core->restore(w.store->snapshot()));
  }

  /// What validator `i` answers to `raw`, signing (and locking) as its rules say.
  sign_reply validator_answer(uint16_t i, const bytes& raw) {
    auto out = validators[i]->handle(raw.data(), raw.size());
    if (out.kind == validator_core::outcome::commit) { // pooled: a batch of one
      seal_batch({&out.record}, [&](const hash32& root) {
        return sign_batch_root(*k.validators[i], k.net, root);
      });
      tables[i]->commit({&out.record});
      return validators[i]->committed(out.tx_hash, caf::none, out.record.given);
    }
    return out.answer;
  }

  void answer_request(wallet_under_test& w, const wallet_effects::sign_out& r) {
    auto v = r.validator;
    switch (kinds[v]) {
      case member::silent:
        return;
      case member::junk:
        run(w, w.core->replied(r.tx, v, bytes{'n', 'o', 'p', 'e'}));
        return;
      case member::bad_share: {
        auto share =
          signed_reply{v, r.tx, sign_certificate_share(test::address_key(k, 7), k.net, r.tx)};
        run(w, w.core->replied(r.tx, v, encode(sign_reply{share})));
        return;
      }
      case member::relays_another: {
        auto other = static_cast<uint16_t>((v + 1) % k.net.size());
        run(w, w.core->replied(r.tx, v, encode(validator_answer(other, *r.request))));
        return;
      }
      case member::repeats:
        run(w, w.core->replied(r.tx, v, encode(validator_answer(v, *r.request))));
        [[fallthrough]];
      case member::honest:
        run(w, w.core->replied(r.tx, v, encode(validator_answer(v, *r.request))));
        return;
    }
  }

  void apply(wallet_under_test& w, const wallet_effects::write& wr) {
    run(w, w.core->written(wr.id, w.store->apply(wr.change)));
  }

  /// Performs `fx` as the wallet actor does.
  void run(wallet_under_test& w, wallet_effects fx) {
    for (const auto& a : fx.answers)
      w.answers[a.caller] = a;
    for (auto& wr : fx.writes) {
      if (w.hold_writes)
        w.held.push_back(std::move(wr));
      else
        apply(w, wr);
    }
    for (const auto& need : fx.witnesses) {
      if (need.owner == shared_address) { // the policy address: the keys c0 holds sign
        policy_witness pw{shared, {}};
        sign_policy(pw, need.tx, held);
        run(w, w.core->witnessed(need.tx, owner_proof{pw}));
        continue;
      }
      size_t i = 0;
      while (test::addr(k, i) != need.owner)
        ++i;
      run(w, w.core->witnessed(need.tx, make_witness(test::address_key(k, i), need.tx)));
    }
    for (const auto& r : fx.requests) {
      w.sent.push_back(r);
      answer_request(w, r);
    }
    for (const auto& h : fx.handoffs)
      w.handoffs.push_back(h);
    w.proofs.insert(w.proofs.end(), fx.proofs.begin(), fx.proofs.end());
  }

  /// Makes the held writes durable (one group commit); the writes they lead to are held too
  /// when `hold_after`.
  void flush(wallet_under_test& w, bool hold_after = false) {
    w.hold_writes = hold_after;
    auto batch = std::move(w.held);
    w.held.clear();
    for (const auto& wr : batch)
      apply(w, wr);
  }

  /// The members that timed out on `tx` are reported, as the actor's request timeout does.
  void time_out(wallet_under_test& w, const hash32& tx) {
    for (uint16_t v = 0; v < k.net.size(); ++v)
      if (kinds[v] == member::silent)
        w.core->unanswered(tx, v);
  }

  caller_id pay(wallet_under_test& w, const address& from, const address& to, amount value,
                wallet_core::answer_when when = wallet_core::answer_when::final,
                std::string endpoint = {}) {
    auto c = w.next_caller++;
    run(w, w.core->pay(c, from, to, value, when, std::move(endpoint)));
    return c;
  }

  /// Pays with a route of its own; the payment's hash.
  hash32 pay_routed(wallet_under_test& w, const address& to, amount value, std::string endpoint) {
    pay(w, a0, to, value, wallet_core::answer_when::final, std::move(endpoint));
    return last_sent_tx(w);
  }

  /// The hand-offs of `tx` that `w` offered, in order.
  std::vector<wallet_effects::handoff_out> offers_of(const wallet_under_test& w, const hash32& tx) {
    std::vector<wallet_effects::handoff_out> out;
    for (const auto& h : w.handoffs)
      if (h.tx == tx)
        out.push_back(h);
    return out;
  }

  /// The hash c0's payment got when it was recorded (the request sent first).
  hash32 last_sent_tx(const wallet_under_test& w) {
    CAF_REQUIRE(!w.sent.empty());
    return w.sent.back().tx;
  }

  /// Hands c0's hand-offs to c1, and c1's answers back to c0.
  void deliver_handoffs() { deliver_handoffs_of(c0, c1); }

  /// Hands `from`'s hand-offs to `to`, and `to`'s answers back to `from`.
  void deliver_handoffs_of(wallet_under_test& from, wallet_under_test& to) {
    auto hs = std::move(from.handoffs);
    from.handoffs.clear();
    for (const auto& h : hs) {
      auto c = to.next_caller++;
      run(to, to.core->delivered(c, *h.certified));
      if (auto a = to.answers.find(c); a != to.answers.end())
        run(from, a->second.error
                    ? from.core->handoff_failed(h.tx, h.payee, h.offer, a->second.error)
                    : from.core->acknowledged(h.tx, h.payee));
    }
  }

  /// The latest offer of `tx` to `payee` that `w` made fails with `err`.
  void offer_fails(wallet_under_test& w, const hash32& tx, const address& payee,
                   const caf::error& err) {
    uint64_t offer = 0;
    for (const auto& h : w.handoffs)
      if (h.tx == tx && h.payee == payee)
        offer = h.offer;
    run(w, w.core->handoff_failed(tx, payee, offer, err));
  }

  amount balance(const wallet_under_test& w, const address& a) {
    auto b = w.core->ledger().balance(a);
    CAF_REQUIRE(b);
    return *b;
  }

  size_t sent_to(const wallet_under_test& w, uint16_t v) {
    size_t n = 0;
    for (const auto& r : w.sent)
      n += r.validator == v ? 1 : 0;
    return n;
  }

  /// The error code of caller `c`'s answer (ec::none: success); the caller must have one.
  ec answer_code(const wallet_under_test& w, caller_id c) {
    auto i = w.answers.find(c);
    CAF_REQUIRE(i != w.answers.end());
    return code_of(i->second.error);
  }
};

} // namespace
