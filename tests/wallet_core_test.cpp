// The wallet's state machine (protocol/wallet_core) without actors, network or disk: a wallet of
// the thesis network against four in-memory validators (validator_core over memory_lock_table:
// real rules, real signatures, pooled shares), each honest, silent or Byzantine, and an in-memory
// store.
#define CAF_SUITE wallet_core
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <deque>
#include <functional>
#include <map>
#include <set>

#include "messages/error.hpp"
#include "crypto/schemes.hpp"
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
      unspent.erase(u.ref);
    for (const auto& u : c.added)
      unspent[u.ref] = u;
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
    return caf::none;
  }

  /// What a restarted wallet starts from.
  wallet_snapshot snapshot() const {
    wallet_snapshot s;
    for (const auto& [ref, u] : unspent)
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
  std::map<output_ref, utxo> unspent;
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
    c0.store->unspent[test::genesis_output(k)] =
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
        run(from, a->second.error ? from.core->handoff_failed(h.tx, h.payee, a->second.error)
                                  : from.core->acknowledged(h.tx, h.payee));
    }
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

CAF_TEST_FIXTURE_SCOPE(wallet_core_rules, wallet_core_fixture)

CAF_TEST(a_payment_is_final_at_2f_plus_1_without_waiting_for_the_rest) {
  kinds[3] = member::silent;
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK_EQUAL(c0.sent.size(), 4u); // asked all at once
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::none);
  CAF_CHECK_EQUAL(c0.core->stats().final, 1u);
  CAF_CHECK_EQUAL(c0.core->pending(), 0u);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 10u);
  auto st = c0.core->status(c0.answers[c].tx);
  CAF_REQUIRE(st);
  CAF_CHECK(st->state == wallet_core::tx_status::final);
  CAF_CHECK(st->signers == (std::vector<uint16_t>{0, 1, 2}));
}

CAF_TEST(no_request_leaves_before_the_payment_is_durable) {
  c0.hold_writes = true;
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK(c0.sent.empty());
  CAF_CHECK_EQUAL(c0.held.size(), 1u);
  CAF_CHECK(c0.answers.empty());
  flush(c0);
  CAF_CHECK_EQUAL(c0.sent.size(), 4u);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::none);
}

CAF_TEST(a_failed_record_sends_nothing_and_frees_the_outputs) {
  c0.store->broken = true;
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::storage_error);
  CAF_CHECK(c0.sent.empty());
  CAF_CHECK_EQUAL(c0.core->ledger().spendable(a0).size(), 1u);
  CAF_CHECK_EQUAL(c0.core->pending(), 0u);
  c0.store->broken = false;
  auto again = pay(c0, a0, a4, 10);
  CAF_CHECK_EQUAL(answer_code(c0, again), ec::none);
}

CAF_TEST(a_failed_final_write_hands_off_nothing_and_a_restart_finishes_it) {
  c0.hold_writes = true;
  auto p = pay(c0, a0, a4, 10);
  flush(c0, true); // the record is durable, the requests go out, the final write is held...
  CAF_REQUIRE_EQUAL(c0.held.size(), 1u);
  c0.store->broken = true;
  flush(c0); // ... and fails
  CAF_CHECK_EQUAL(answer_code(c0, p), ec::storage_error);
  CAF_CHECK(c0.handoffs.empty());
  CAF_CHECK_EQUAL(c0.core->pending(), 1u);
  CAF_CHECK_EQUAL(c0.core->stats().final, 0u);
  // After a restart the recorded payment is asked again, answered with the same shares, and ends.
  c0.store->broken = false;
  start(c0, 0);
  CAF_CHECK_EQUAL(c0.core->pending(), 0u);
  CAF_CHECK_EQUAL(c0.core->stats().final, 1u);
  CAF_CHECK_EQUAL(c0.handoffs.size(), 1u);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 10u);
}

CAF_TEST(unanswered_requests_are_resent_on_a_tick_to_those_that_did_not_answer) {
  kinds[2] = member::silent;
  kinds[3] = member::silent;
  auto c = pay(c0, a0, a4, 10);
  auto tx = last_sent_tx(c0);
  CAF_CHECK(c0.answers.count(c) == 0);
  CAF_CHECK(c0.core->wants_tick());
  // Still in flight (no timeout yet): a tick sends nothing twice.
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.sent.size(), 4u);
  time_out(c0, tx);
  kinds[2] = member::honest;
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.sent.size(), 6u);
  CAF_CHECK_EQUAL(sent_to(c0, 0), 1u);
  CAF_CHECK_EQUAL(sent_to(c0, 2), 2u);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::none);
}

CAF_TEST(more_than_f_conflicts_fail_the_payment_naming_the_other_transaction) {
  // Members 0 and 1 already locked the genesis to another payment of a0 (an equivocation).
  auto other = test::pay_from_genesis(k, 5, 77);
  for (uint16_t v : {0, 1}) {
    auto raw = encode(other);
    validator_answer(v, raw);
  }
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::payment_conflict);
  CAF_CHECK(describe(c0.answers[c].error).find(tx_hash(other.tx).hex()) != std::string::npos);
  CAF_CHECK_EQUAL(c0.core->stats().failed, 1u);
  // The genesis is locked to the other payment: lost to this wallet, written so.
  CAF_CHECK(c0.core->ledger().spendable(a0).empty());
  CAF_CHECK(c0.store->unspent.empty());
  CAF_CHECK(c0.store->pending.empty());
  auto st = c0.core->status(last_sent_tx(c0));
  CAF_REQUIRE(st);
  CAF_CHECK(st->state == wallet_core::tx_status::failed);
}

CAF_TEST(a_validator_seen_signing_two_spends_of_one_coin_is_proven_once_by_the_wallet) {
  // v0, v1 and v3 certify another spend of the genesis; then v3 loses its locks (a store wiped
  // and restarted with the same key) and signs c0's spend of the same coin too.
  auto other = test::pay_from_genesis(k, 5, 77);
  certified_transaction other_ct{other.tx, {tx_hash(other.tx), {}}};
  for (uint16_t v : {0, 1, 3}) {
    auto s = std::get<signed_reply>(validator_answer(v, encode(other)));
    other_ct.cert.sigs.push_back({v, s.sig, s.path});
  }
  tables[3] = std::make_shared<memory_lock_table>();
  validators[3] =
    std::make_unique<validator_core>(k.net, 3, k.validators[3], tables[3], share_mode::pooled);
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::payment_conflict); // v0, v1 refuse; v2 and v3 sign
  CAF_CHECK(c0.proofs.empty());                              // nothing of v3's other share seen yet
  auto mine = last_sent_tx(c0);
  // The other spend's certificate reaches c0 (a payee's `tx export`, imported): v3's share in it
  // and its share on c0's payment convict it; v2, which signed only one, is not named.
  run(c0, c0.core->delivered(c0.next_caller++, encode(other_ct)));
  CAF_REQUIRE_EQUAL(c0.proofs.size(), 1u);
  auto e = verify_equivocation(k.net, c0.proofs[0]);
  CAF_REQUIRE(e);
  CAF_CHECK_EQUAL(e->validator, 3u);
  CAF_CHECK(e->inputs == std::vector<output_ref>{test::genesis_output(k)});
  CAF_CHECK((e->first_tx == mine && e->second_tx == tx_hash(other.tx))
            || (e->second_tx == mine && e->first_tx == tx_hash(other.tx)));
  CAF_CHECK_EQUAL(c0.store->proofs.size(), 1u);
  CAF_CHECK_EQUAL(c0.core->stats().equivocations, 1u);
  // Seen again, before and after a restart: proven once.
  run(c0, c0.core->delivered(c0.next_caller++, encode(other_ct)));
  start(c0, 0);
  CAF_CHECK_EQUAL(c0.core->proofs().size(), 1u);
  run(c0, c0.core->delivered(c0.next_caller++, encode(other_ct)));
  CAF_CHECK_EQUAL(c0.proofs.size(), 1u);
  CAF_CHECK_EQUAL(c0.store->proofs.size(), 1u);
}

CAF_TEST(a_share_that_does_not_verify_proves_nothing) {
  // v3 answers c0's spend with a junk share (another key's signature) — then the genesis is
  // certified elsewhere with v3's real share: no proof, since v3 never really signed c0's spend.
  kinds[3] = member::bad_share;
  auto other = test::pay_from_genesis(k, 5, 77);
  for (uint16_t v : {0, 1})
    validator_answer(v, encode(other));
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::payment_conflict);
  certified_transaction other_ct{other.tx, test::certify(k, other.tx, {0, 1, 3})};
  run(c0, c0.core->delivered(c0.next_caller++, encode(other_ct)));
  CAF_CHECK(c0.proofs.empty());
  CAF_CHECK(c0.store->proofs.empty());
}

CAF_TEST(a_restart_resumes_a_pending_payment) {
  kinds = {member::silent, member::silent, member::silent, member::silent};
  pay(c0, a0, a4, 10);
  auto tx = last_sent_tx(c0);
  CAF_CHECK_EQUAL(c0.store->pending.size(), 1u);
  kinds = {member::honest, member::honest, member::honest, member::honest};
  start(c0, 0); // the process died; a new one starts from the store
  CAF_CHECK_EQUAL(c0.sent.size(), 4u);
  CAF_CHECK_EQUAL(c0.core->stats().final, 1u);
  CAF_CHECK(c0.store->pending.empty());
  CAF_CHECK(c0.store->certs.count(tx) == 1);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 10u);
}

CAF_TEST(the_payer_syncs_only_its_request_and_an_end_lost_with_the_power_is_found_again) {
  c0.hold_writes = true;
  pay(c0, a0, a4, 10);
  flush(c0, true); // the request, synced; the replies lead to the final write, held
  CAF_CHECK_EQUAL(c0.store->synced_writes, 1u);
  auto durable = *c0.store; // what a power loss would leave
  flush(c0);                // the end of the payment rides unsynced
  auto tx = last_sent_tx(c0);
  deliver_handoffs(); // and so does the acknowledgement
  CAF_CHECK_EQUAL(c0.store->writes, 3u);
  CAF_CHECK_EQUAL(c0.store->synced_writes, 1u);
  // The payee syncs what it received before it acknowledges (the payer then forgets it).
  CAF_CHECK_EQUAL(c1.store->synced_writes, 1u);
  CAF_CHECK_EQUAL(balance(c1, a4), 10u);
  *c0.store = durable; // the power goes: the end of the payment with it
  start(c0, 0);        // the request is resumed; the validators answer it as before
  CAF_CHECK_EQUAL(c0.core->stats().final, 1u);
  CAF_CHECK(c0.store->certs.count(tx) == 1);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 10u);
}

CAF_TEST(a_restart_offers_an_unacknowledged_handoff_again) {
  pay(c0, a0, a4, 10);
  auto tx = last_sent_tx(c0);
  CAF_REQUIRE_EQUAL(c0.handoffs.size(), 1u); // never acknowledged
  CAF_CHECK(c0.store->outbox.count(outbox_entry{tx, a4}) == 1);
  start(c0, 0);
  CAF_REQUIRE_EQUAL(c0.handoffs.size(), 1u);
  CAF_CHECK(c0.handoffs[0].tx == tx);
  CAF_CHECK(c0.handoffs[0].payee == a4);
  deliver_handoffs();
  CAF_CHECK(c0.store->outbox.empty());
  CAF_CHECK_EQUAL(c0.core->unsettled(), 0u);
  CAF_CHECK_EQUAL(balance(c1, a4), 10u);
}

CAF_TEST(a_repeated_delivery_changes_nothing) {
  pay(c0, a0, a4, 10);
  auto cert = *c0.handoffs.at(0).certified;
  for (caller_id c : {101, 102}) {
    run(c1, c1.core->delivered(c, cert));
    CAF_CHECK_EQUAL(answer_code(c1, c), ec::none);
  }
  CAF_CHECK_EQUAL(c1.core->stats().received, 1u);
  CAF_CHECK_EQUAL(c1.store->writes, 1u);
  CAF_CHECK_EQUAL(balance(c1, a4), 10u);
}

CAF_TEST(a_delivery_repeated_during_its_write_is_acknowledged_with_it) {
  pay(c0, a0, a4, 10);
  auto cert = *c0.handoffs.at(0).certified;
  c1.hold_writes = true;
  run(c1, c1.core->delivered(101, cert));
  run(c1, c1.core->delivered(102, cert));
  CAF_CHECK(c1.answers.empty());
  CAF_CHECK_EQUAL(c1.held.size(), 1u);
  flush(c1);
  CAF_CHECK_EQUAL(answer_code(c1, 101), ec::none);
  CAF_CHECK_EQUAL(answer_code(c1, 102), ec::none);
  CAF_CHECK_EQUAL(balance(c1, a4), 10u);
}

CAF_TEST(a_delivery_without_a_valid_certificate_is_refused_and_adds_nothing) {
  pay(c0, a0, a4, 10);
  auto ct = decode<certified_transaction>(*c0.handoffs.at(0).certified);
  CAF_REQUIRE(ct);
  ct->cert.sigs.pop_back(); // 2f signatures
  run(c1, c1.core->delivered(101, encode(*ct)));
  CAF_CHECK_NOT_EQUAL(answer_code(c1, 101), ec::none);
  run(c1, c1.core->delivered(102, bytes{'x'}));
  CAF_CHECK_NOT_EQUAL(answer_code(c1, 102), ec::none);
  CAF_CHECK_EQUAL(c1.core->stats().refused, 2u);
  CAF_CHECK_EQUAL(c1.store->writes, 0u);
  CAF_CHECK_EQUAL(balance(c1, a4), 0u);
  // The refusals changed nothing: the valid certificate is taken.
  run(c1, c1.core->delivered(103, *c0.handoffs.at(0).certified));
  CAF_CHECK_EQUAL(answer_code(c1, 103), ec::none);
}

CAF_TEST(a_reply_from_a_non_member_or_in_another_members_name_is_dropped_and_counted) {
  kinds[3] = member::relays_another; // sends member 0's share as its own
  kinds[2] = member::silent;
  auto c = pay(c0, a0, a4, 10);
  auto tx = last_sent_tx(c0);
  run(c0, c0.core->replied(tx, 9, encode(validator_answer(1, *c0.sent[1].request))));
  CAF_CHECK(c0.answers.count(c) == 0);
  CAF_CHECK_EQUAL(c0.core->stats().dropped, 2u); // the relay, and index 9 (no member at all)
  auto st = c0.core->status(tx);
  CAF_REQUIRE(st);
  CAF_CHECK(st->state == wallet_core::tx_status::pending);
  CAF_CHECK(st->signers == (std::vector<uint16_t>{0, 1}));
}

CAF_TEST(a_bad_share_is_dropped_and_counted) {
  kinds[1] = member::bad_share;
  kinds[3] = member::silent;
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK(c0.answers.count(c) == 0);
  CAF_CHECK_EQUAL(c0.core->stats().dropped, 1u);
  // Member 3 comes back: 0, 2 and 3 certify it; the bad share is in no certificate.
  kinds[3] = member::honest;
  c0.core->unanswered(last_sent_tx(c0), 3);
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::none);
  auto st = c0.core->status(last_sent_tx(c0));
  CAF_REQUIRE(st);
  CAF_CHECK(st->signers == (std::vector<uint16_t>{0, 2, 3}));
}

CAF_TEST(a_duplicate_signer_counts_once) {
  kinds = {member::repeats, member::repeats, member::silent, member::silent};
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK(c0.answers.count(c) == 0);
  CAF_CHECK_EQUAL(c0.core->stats().dropped, 2u);
  auto st = c0.core->status(last_sent_tx(c0));
  CAF_REQUIRE(st);
  CAF_CHECK(st->signers == (std::vector<uint16_t>{0, 1}));
}

CAF_TEST(junk_from_a_member_is_dropped_and_it_is_asked_again) {
  kinds[1] = member::junk;
  kinds[3] = member::silent;
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK(c0.answers.count(c) == 0);
  CAF_CHECK_EQUAL(c0.core->stats().dropped, 1u);
  kinds[1] = member::honest;
  run(c0, c0.core->tick()); // member 1's junk was an answer that did not count: asked again
  CAF_CHECK_EQUAL(sent_to(c0, 1), 2u);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::none);
}

CAF_TEST(a_payee_that_refuses_is_reported_and_kept_not_dropped_and_resend_offers_it_again) {
  pay(c0, a0, a4, 10);
  auto tx = last_sent_tx(c0);
  run(c0, c0.core->handoff_failed(tx, a4, caf::error{})); // unreachable, or a timeout
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.handoffs.size(), 2u);
  run(c0, c0.core->handoff_failed(tx, a4, make_error(ec::unknown_address, "not mine")));
  for (int i = 0; i < 100; ++i)
    run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.handoffs.size(), 2u); // not offered again by itself
  CAF_CHECK(!c0.core->wants_tick());
  // Before, a refusal dropped the hand-off without a word: the payment was final and lost to
  // the payee. Now it stays, durably, and the payer's status says why.
  CAF_CHECK_EQUAL(c0.store->outbox.size(), 1u);
  auto s = c0.core->status(tx);
  CAF_REQUIRE(s);
  CAF_CHECK_EQUAL(s->state, payment_state::final);
  CAF_REQUIRE_EQUAL(s->undelivered.size(), 1u);
  CAF_CHECK(s->undelivered[0].refused);
  CAF_CHECK_EQUAL(s->undelivered[0].tries, 2u);
  CAF_CHECK(s->undelivered[0].last_error.find("not mine") != std::string::npos);
  CAF_CHECK_EQUAL(c0.core->undelivered().size(), 1u);
  run(c0, c0.core->resend(77, tx));
  CAF_CHECK_EQUAL(answer_code(c0, 77), ec::none);
  CAF_CHECK_EQUAL(c0.handoffs.size(), 3u);
  deliver_handoffs();
  s = c0.core->status(tx);
  CAF_REQUIRE(s);
  CAF_CHECK(s->undelivered.empty());
  CAF_CHECK(c0.store->outbox.empty());
  run(c0, c0.core->resend(78, tx)); // nothing waits any more
  CAF_CHECK_EQUAL(answer_code(c0, 78), ec::unknown_transaction);
}

CAF_TEST(a_payment_route_belongs_to_that_payment_so_a_hostile_uri_cannot_redirect_later_ones) {
  // A correct request, then one naming the same address with another node, then the correct
  // one again: each hand-off goes where its own payment was told (before, the last node seen
  // for an address won, and every later payment went into the wrong port).
  auto good = pay_routed(c0, a4, 1, "wallet.example:7004");
  auto evil = pay_routed(c0, a4, 2, "127.0.0.1:7000");
  auto again = pay_routed(c0, a4, 3, "wallet.example:7004");
  auto plain = pay_routed(c0, a4, 4, "");
  auto route_of = [&](const hash32& tx) {
    auto offers = offers_of(c0, tx);
    CAF_REQUIRE_EQUAL(offers.size(), 1u);
    return offers[0].endpoint;
  };
  auto good_route = route_of(good), evil_route = route_of(evil), again_route = route_of(again),
       plain_route = route_of(plain);
  CAF_CHECK_EQUAL(good_route, "wallet.example:7004");
  CAF_CHECK_EQUAL(evil_route, "127.0.0.1:7000");
  CAF_CHECK_EQUAL(again_route, "wallet.example:7004");
  CAF_CHECK_EQUAL(plain_route, "");
  auto wanted = c0.core->endpoints();
  CAF_CHECK_EQUAL(wanted.size(), 2u);
  // Connected to the right wallet: only the hand-offs routed there are offered there.
  c0.handoffs.clear();
  run(c0, c0.core->handoff_failed(good, a4, caf::error{}));
  run(c0, c0.core->handoff_failed(again, a4, caf::error{}));
  run(c0, c0.core->resend_handoffs_to("wallet.example:7004"));
  CAF_CHECK_EQUAL(c0.handoffs.size(), 2u);
  for (const auto& h : c0.handoffs)
    CAF_CHECK_EQUAL(h.endpoint, "wallet.example:7004");
}

CAF_TEST(a_route_is_kept_with_its_payment_across_restarts_and_resend_can_redirect_it) {
  auto tx = pay_routed(c0, a4, 5, "127.0.0.1:9");
  CAF_CHECK_EQUAL(c0.store->routes.size(), 1u);
  start(c0, 0); // a restart before the payee acknowledged
  auto offers = offers_of(c0, tx);
  CAF_REQUIRE_EQUAL(offers.size(), 1u);
  CAF_CHECK_EQUAL(offers[0].endpoint, "127.0.0.1:9");
  run(c0, c0.core->handoff_failed(tx, a4, make_error(ec::unknown_address, "wrong wallet")));
  run(c0, c0.core->resend(5, tx, handoff_route{tx, a4, "wallet.example:7004"}));
  CAF_CHECK_EQUAL(answer_code(c0, 5), ec::none);
  CAF_CHECK_EQUAL(c0.handoffs.back().endpoint, "wallet.example:7004");
  CAF_CHECK_EQUAL(c0.store->routes.begin()->second, "wallet.example:7004");
  start(c0, 0);
  auto after_restart = offers_of(c0, tx);
  CAF_REQUIRE_EQUAL(after_restart.size(), 1u);
  CAF_CHECK_EQUAL(after_restart[0].endpoint, "wallet.example:7004");
  run(c0, c0.core->resend(6, tx, handoff_route{tx, a1, "x:1"})); // a1 is no payee of it
  CAF_CHECK_EQUAL(answer_code(c0, 6), ec::unknown_address);
  deliver_handoffs();
  CAF_CHECK(c0.store->routes.empty()); // gone with the acknowledged hand-off
}

CAF_TEST(a_hand_off_that_keeps_failing_is_offered_less_and_less_often) {
  auto tx = pay_routed(c0, a4, 5, "127.0.0.1:9");
  size_t offers = 0;
  for (int tick = 0; tick < 200; ++tick) {
    for (const auto& h : c0.handoffs)
      run(c0, c0.core->handoff_failed(h.tx, h.payee, make_error(ec::timeout, "no answer")));
    offers += c0.handoffs.size();
    c0.handoffs.clear();
    run(c0, c0.core->tick());
  }
  // 200 ticks (100 s at the nodes' half-second tick): 1, 2, 4, ... 64 ticks apart, not 200.
  CAF_CHECK_LESS_OR_EQUAL(offers, 12u);
  CAF_CHECK_GREATER_OR_EQUAL(offers, 6u);
  auto s = c0.core->status(tx);
  CAF_REQUIRE(s);
  CAF_REQUIRE_EQUAL(s->undelivered.size(), 1u);
  CAF_CHECK(!s->undelivered[0].refused);
  CAF_CHECK(c0.core->wants_tick());
}

CAF_TEST(a_wallet_that_is_not_the_named_payee_refuses_even_a_payment_it_knows) {
  // A route to the payer's own port (or any other wallet) must not count as delivered: the
  // payer names the payee, and a wallet without that address refuses.
  pay(c0, a0, a4, 10);
  auto h = c0.handoffs.back();
  run(c0, c0.core->delivered(90, *h.certified, a4)); // c0 knows it, but holds no a4
  CAF_CHECK_EQUAL(answer_code(c0, 90), ec::unknown_address);
  run(c1, c1.core->delivered(91, *h.certified, a4));
  CAF_CHECK_EQUAL(answer_code(c1, 91), ec::none);
  run(c1, c1.core->delivered(92, *h.certified, a0)); // a repeat naming another payee
  CAF_CHECK_EQUAL(answer_code(c1, 92), ec::unknown_address);
}

CAF_TEST(a_payment_refused_for_reserved_coins_says_which_payment_holds_them) {
  kinds = {member::silent, member::silent, member::honest, member::honest}; // stays pending
  pay(c0, a0, a4, 10);
  auto pending_tx = last_sent_tx(c0);
  auto c = pay(c0, a0, a4, 1);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::insufficient_funds);
  auto why = describe(c0.answers.at(c).error);
  CAF_MESSAGE(why);
  CAF_CHECK(why.find("1000000 more are reserved by pending payment " + pending_tx.short_hex())
            != std::string::npos);
}

CAF_TEST(history_shows_a_move_between_the_wallets_own_addresses_but_not_a_split) {
  pay(c0, a0, a1, 7);
  CAF_REQUIRE_EQUAL(c0.store->history.size(), 1u);
  const auto& moved = c0.store->history.back();
  CAF_CHECK(moved.internal);
  CAF_CHECK(moved.sent);
  CAF_CHECK(moved.counterparty == a1);
  CAF_CHECK_EQUAL(moved.value.units(), 7u);
  run(c0, c0.core->split(99, a1, 3)); // a1's 7 into three outputs of a1: no transfer
  CAF_CHECK_EQUAL(answer_code(c0, 99), ec::none);
  CAF_CHECK_EQUAL(c0.store->history.size(), 1u);
  pay(c0, a0, a4, 5); // to another wallet: sent, not moved
  CAF_REQUIRE_EQUAL(c0.store->history.size(), 2u);
  CAF_CHECK(!c0.store->history.back().internal);
  CAF_CHECK_EQUAL(c0.store->history.back().value.units(), 5u);
}

CAF_TEST(a_failed_payment_leaves_no_route_behind) {
  kinds = {member::silent, member::silent, member::honest, member::honest};
  auto tx = pay_routed(c0, a4, 5, "127.0.0.1:9");
  CAF_CHECK_EQUAL(c0.store->routes.size(), 1u);
  run(c0, c0.core->replied(tx, 0, encode(sign_reply{rejected_reply{0, tx, 18, "no", {}}})));
  run(c0, c0.core->replied(tx, 1, encode(sign_reply{rejected_reply{1, tx, 18, "no", {}}})));
  auto s = c0.core->status(tx);
  CAF_REQUIRE(s);
  CAF_CHECK_EQUAL(s->state, payment_state::failed);
  CAF_CHECK(c0.store->routes.empty());
}

CAF_TEST(await_answers_when_the_payment_ends_and_knows_final_and_unknown_ones) {
  kinds[2] = member::silent;
  kinds[3] = member::silent;
  pay(c0, a0, a4, 10, wallet_core::answer_when::recorded);
  auto tx = last_sent_tx(c0);
  run(c0, c0.core->await(50, tx));
  CAF_CHECK(c0.answers.count(50) == 0);
  kinds[3] = member::honest;
  time_out(c0, tx);
  c0.core->unanswered(tx, 3);
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(answer_code(c0, 50), ec::none);
  run(c0, c0.core->await(51, tx));
  CAF_CHECK_EQUAL(answer_code(c0, 51), ec::none);
  run(c0, c0.core->await(52, test::filled<hash32>(0x42)));
  CAF_CHECK_EQUAL(answer_code(c0, 52), ec::unknown_transaction);
}

CAF_TEST(concurrent_payments_never_pick_the_same_output) {
  c0.hold_writes = true;
  auto first = pay(c0, a0, a4, 10);
  auto second = pay(c0, a0, a4, 10); // the genesis is reserved by the first
  CAF_CHECK_EQUAL(answer_code(c0, second), ec::insufficient_funds);
  flush(c0);
  CAF_CHECK_EQUAL(answer_code(c0, first), ec::none);
  auto third = pay(c0, a0, a4, 10); // spends the change
  CAF_CHECK_EQUAL(answer_code(c0, third), ec::none);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 20u);
}

CAF_TEST(payments_from_an_address_of_another_wallet_are_refused) {
  auto c = pay(c0, a4, a1, 10);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::unknown_address);
  CAF_CHECK(c0.sent.empty());
}

CAF_TEST(a_policy_address_pays_once_the_keys_the_wallet_holds_satisfy_it) {
  auto funded = pay(c0, a0, shared_address, 1000); // to itself: no hand-off
  CAF_REQUIRE_EQUAL(answer_code(c0, funded), ec::none);
  CAF_CHECK_EQUAL(balance(c0, shared_address), 1000u);
  CAF_CHECK(c0.handoffs.empty());
  held = {&secp, &p256}; // two of three
  auto c = pay(c0, shared_address, a4, 300);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::none);
  CAF_CHECK_EQUAL(balance(c0, shared_address), 700u);
  CAF_REQUIRE_EQUAL(c0.handoffs.size(), 1u);
  deliver_handoffs();
  CAF_CHECK_EQUAL(balance(c1, a4), 300u);
  // It survives a restart like any address.
  start(c0, 0);
  CAF_CHECK_EQUAL(balance(c0, shared_address), 700u);
}

CAF_TEST(a_policy_address_short_of_keys_is_refused_and_keeps_its_outputs) {
  pay(c0, a0, shared_address, 1000);
  held = {&ed}; // one of the two signatures needed
  auto c = pay(c0, shared_address, a4, 300);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::payment_rejected);
  CAF_CHECK(describe(c0.answers[c].error).find("policy_not_satisfied") != std::string::npos);
  CAF_CHECK_EQUAL(c0.core->ledger().spendable(shared_address).size(), 1u);
  CAF_CHECK_EQUAL(balance(c0, shared_address), 1000u);
}

CAF_TEST(a_new_address_imports_its_genesis_outputs_once) {
  auto a0_rec = address_record{a0, test::address_key(k, 0).public_key(), ""};
  auto a1_rec = address_record{a1, test::address_key(k, 1).public_key(), ""};
  auto first = adopt_addresses(k.net, {}, {a0_rec, a1_rec});
  CAF_REQUIRE(first);
  CAF_CHECK_EQUAL(first->new_addresses.size(), 2u);
  CAF_REQUIRE_EQUAL(first->added.size(), 1u);
  CAF_CHECK(first->added[0].ref == test::genesis_output(k));
  CAF_CHECK(!adopt_addresses(k.net, {a0_rec, a1_rec}, {a0_rec, a1_rec}));
  auto again = adopt_addresses(k.net, {a0_rec}, {a0_rec, a1_rec});
  CAF_REQUIRE(again);
  CAF_CHECK(again->added.empty()); // a1 owns no genesis output; a0's came with its first sight
}

CAF_TEST(a_spend_of_its_outputs_certified_elsewhere_removes_them_when_delivered) {
  // a0's key signs a spend of the genesis that another node submitted and got certified.
  auto req = test::pay_from_genesis(k, 4, 250);
  certified_transaction ct{req.tx, test::certify(k, req.tx)};
  run(c0, c0.core->delivered(101, encode(ct)));
  CAF_CHECK_EQUAL(answer_code(c0, 101), ec::none);
  CAF_CHECK(c0.core->ledger().find(test::genesis_output(k)) == std::nullopt);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 250u); // its change is here
  CAF_CHECK(c0.store->unspent.count(test::genesis_output(k)) == 0);
  // A payment now spends the change, not the gone genesis.
  auto c = pay(c0, a0, a4, 10);
  CAF_CHECK_EQUAL(answer_code(c0, c), ec::none);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 260u);
  // A restart sees the same.
  start(c0, 0);
  CAF_CHECK_EQUAL(balance(c0, a0), 1'000'000u - 260u);
}

CAF_TEST(any_wallet_submits_a_spend_that_co_signers_signed_elsewhere) {
  auto funded = pay(c0, a0, shared_address, 1000);
  auto funding = c0.store->certs.at(c0.answers[funded].tx);
  // Two co-signers sign a spend of the policy's output on their own machines (library API).
  sign_request req;
  req.committee_id = k.net.id;
  req.tx.inputs = {{c0.answers[funded].tx, 0}};
  req.tx.outputs = {{a4, 300}, {a1, 100}, {shared_address, 600}};
  req.parents = {funding};
  policy_witness first{shared, {}}, second{shared, {}};
  sign_policy(first, tx_hash(req.tx), {&ed});
  sign_policy(second, tx_hash(req.tx), {&p256});
  req.policy_witnesses = {*combine(first, second)};
  // c1, which holds none of the policy's keys, submits it.
  run(c1, c1.core->submit_request(201, req));
  CAF_CHECK_EQUAL(answer_code(c1, 201), ec::none);
  CAF_CHECK(c1.answers[201].tx == tx_hash(req.tx));
  CAF_CHECK_EQUAL(balance(c1, a4), 300u);
  // Each payee that is not c1's gets the certified spend: the policy's wallet learns its output
  // is spent and holds the change; a1's (the same wallet here) acknowledges a repeat.
  CAF_REQUIRE_EQUAL(c1.handoffs.size(), 2u);
  std::set<address> payees{c1.handoffs[0].payee, c1.handoffs[1].payee};
  CAF_CHECK(payees == (std::set<address>{a1, shared_address}));
  CAF_CHECK_EQUAL(c1.store->outbox.size(), 2u);
  deliver_handoffs_of(c1, c0);
  CAF_CHECK(c1.store->outbox.empty());
  CAF_CHECK_EQUAL(c1.core->unsettled(), 0u);
  CAF_CHECK_EQUAL(balance(c0, shared_address), 600u);
  CAF_CHECK_EQUAL(balance(c0, a1), 100u);
  // Submitted again: final already.
  run(c1, c1.core->submit_request(203, req));
  CAF_CHECK_EQUAL(answer_code(c1, 203), ec::none);
  // The owner's wallet refuses to submit it while its own payment spends that output.
  c0.hold_writes = true;
  held = {&ed, &secp};
  auto own = pay(c0, shared_address, a1, 5);
  auto spend_change = req;
  spend_change.tx.inputs = {{tx_hash(req.tx), 2}};
  run(c0, c0.core->submit_request(204, spend_change));
  CAF_CHECK_EQUAL(answer_code(c0, 204), ec::payment_conflict);
  flush(c0);
  CAF_CHECK_EQUAL(answer_code(c0, own), ec::none);
}

CAF_TEST(a_held_request_reserves_its_inputs_across_restarts_until_abandoned) {
  auto funded = pay(c0, a0, shared_address, 1000);
  CAF_REQUIRE_EQUAL(answer_code(c0, funded), ec::none);
  held = {&ed}; // c0 holds one of the three keys
  auto sent_before = c0.sent.size();
  run(c0, c0.core->hold(301, shared_address, a4, 400));
  CAF_REQUIRE_EQUAL(answer_code(c0, 301), ec::none);
  auto tx = c0.answers[301].tx;
  CAF_CHECK_EQUAL(c0.sent.size(), sent_before); // nothing went to the committee
  const auto* req = c0.core->held(tx);
  CAF_REQUIRE(req != nullptr);
  CAF_REQUIRE_EQUAL(req->policy_witnesses.size(), 1u);
  CAF_CHECK_EQUAL(req->policy_witnesses[0].sigs.size(), 1u); // only the key it holds
  CAF_CHECK_EQUAL(req->parents.size(), 1u);
  CAF_CHECK(c0.store->held.count(tx) == 1);
  CAF_CHECK(c0.core->status(tx)->state == payment_state::held);
  // Its input is reserved: another payment from the address finds nothing to spend.
  auto other = pay(c0, shared_address, a4, 1);
  CAF_CHECK_EQUAL(answer_code(c0, other), ec::insufficient_funds);
  // ...across a restart too.
  start(c0, 0);
  CAF_REQUIRE(c0.core->held(tx) != nullptr);
  other = pay(c0, shared_address, a4, 1);
  CAF_CHECK_EQUAL(answer_code(c0, other), ec::insufficient_funds);
  CAF_CHECK_EQUAL(balance(c0, shared_address), 1000u); // still the wallet's
  // Abandoned: free again, and it stays so after a restart.
  run(c0, c0.core->abandon(302, tx));
  CAF_CHECK_EQUAL(answer_code(c0, 302), ec::none);
  CAF_CHECK(c0.store->held.empty());
  run(c0, c0.core->abandon(303, tx));
  CAF_CHECK_EQUAL(answer_code(c0, 303), ec::unknown_transaction);
  start(c0, 0);
  CAF_CHECK(c0.core->held(tx) == nullptr);
  held = {&ed, &secp};
  other = pay(c0, shared_address, a4, 1);
  CAF_CHECK_EQUAL(answer_code(c0, other), ec::none);
}

CAF_TEST(a_held_request_completed_by_co_signers_is_submitted_by_the_wallet_that_holds_it) {
  auto funded = pay(c0, a0, shared_address, 1000);
  CAF_REQUIRE_EQUAL(answer_code(c0, funded), ec::none);
  held = {&secp};
  run(c0, c0.core->hold(311, shared_address, a4, 400));
  auto tx = c0.answers[311].tx;
  auto req = *c0.core->held(tx);
  // Sent as it is (one signature of two), the committee refuses it.
  run(c0, c0.core->submit_request(312, req));
  CAF_CHECK_EQUAL(answer_code(c0, 312), ec::payment_rejected);
  CAF_CHECK(describe(c0.answers[312].error).find("weight") != std::string::npos);
  // Refused, it held nothing back: its input is free again (no member locked it). A co-signer
  // adds a signature offline, and the wallet submits the completed request.
  CAF_CHECK(c0.core->held(tx) == nullptr);
  sign_policy(req.policy_witnesses[0], tx, {&p256});
  run(c0, c0.core->submit_request(313, req));
  CAF_CHECK_EQUAL(answer_code(c0, 313), ec::none);
  CAF_CHECK(c0.core->held(tx) == nullptr);
  CAF_CHECK(c0.store->held.empty());
  CAF_CHECK_EQUAL(balance(c0, shared_address), 600u);
  CAF_CHECK(c0.core->status(tx)->state == payment_state::final);
}

CAF_TEST(a_held_request_ends_when_a_spend_of_its_inputs_certified_elsewhere_is_delivered) {
  auto funded = pay(c0, a0, shared_address, 1000);
  CAF_REQUIRE_EQUAL(answer_code(c0, funded), ec::none);
  held = {&ed};
  run(c0, c0.core->hold(321, shared_address, a4, 400));
  auto tx = c0.answers[321].tx;
  auto req = *c0.core->held(tx);
  sign_policy(req.policy_witnesses[0], tx, {&secp});
  // Submitted by c1, which hands the change back to c0.
  run(c1, c1.core->submit_request(322, req));
  CAF_REQUIRE_EQUAL(answer_code(c1, 322), ec::none);
  deliver_handoffs_of(c1, c0);
  CAF_CHECK(c0.core->held(tx) == nullptr);
  CAF_CHECK(c0.store->held.empty());
  CAF_CHECK_EQUAL(balance(c0, shared_address), 600u);
  CAF_CHECK_EQUAL(balance(c1, a4), 400u);
}

CAF_TEST_FIXTURE_SCOPE_END()
