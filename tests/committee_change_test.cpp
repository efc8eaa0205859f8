// A change of committee, the parts built so far (issue 24, item 2): the governance policy
// approves a change or nothing does; a validator's seal is its signature over its lock set, and
// a sealed validator locks no new input while a retry of what it locked still gets its share.
#define CAF_SUITE committee_change
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "persistence/validator_store.hpp"
#include "protocol/committee_change.hpp"
#include "protocol/lock_handover.hpp"
#include "protocol/cosign.hpp"
#include "protocol/memory_lock_table.hpp"
#include "protocol/validator_core.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

struct change_fixture {
  cluster_keys k = test::thesis_keys();
  cluster_keys other = test::thesis_keys(8); // the next committee's keys
  owner_key op1 = owner_key::generate(key_scheme::ed25519);
  owner_key op2 = owner_key::generate(key_scheme::secp256k1);
  owner_key op3 = owner_key::generate(key_scheme::p256);

  change_fixture() {
    policy gov;
    gov.type = policy::kind::threshold;
    gov.k = 2;
    for (const owner_key* key : {&op1, &op2, &op3}) {
      policy leaf;
      leaf.scheme = static_cast<uint8_t>(key->scheme());
      leaf.key = key->public_key().key;
      gov.weights.push_back(1);
      gov.children.push_back(leaf);
    }
    k.net.governance = gov;
  }

  /// A change to `other`'s committee, signed by `signers`.
  change_request change(std::vector<const owner_key*> signers) {
    change_request req;
    req.change = committee_change{k.net.id, k.net.epoch + 1, other.net.members};
    req.approval.spend_policy = *k.net.governance;
    sign_policy(req.approval, change_hash(req.change), signers);
    return req;
  }

  ec refusal(const change_request& req) { return code_of(verify_change(k.net, req)); }

  /// The id of the next committee (`other`'s keys, this genesis).
  hash32 next_id() { return next_network(k.net, change({}).change)->id; }

  /// Validator `v`'s lock set of `reqs`, sealed for the next committee.
  lock_export sealed_set(uint16_t v, std::vector<sign_request> reqs) {
    std::vector<std::pair<output_ref, hash32>> locks;
    for (const auto& r : reqs)
      for (const auto& in : r.tx.inputs)
        locks.emplace_back(in, tx_hash(r.tx));
    return {make_seal(k.net, v, *k.validators[v], next_id(), locks), std::move(reqs)};
  }

  /// The next committee, and its first validator's store (in `dir`) begun from v0..v2's seals
  /// of `locked`.
  std::pair<network, std::shared_ptr<validator_store>> next_carrying(const sign_request& locked,
                                                                     const test::temp_dir& dir) {
    auto merged =
      merge_lock_sets(k.net, next_id(),
                      {sealed_set(0, {locked}), sealed_set(1, {locked}), sealed_set(2, {locked})});
    CAF_REQUIRE(merged);
    auto next = next_network(k.net, change({}).change);
    CAF_REQUIRE(next);
    auto store = validator_store::open(dir / "n0", next->id, 0);
    CAF_REQUIRE(store);
    CAF_REQUIRE_EQUAL((*store)->import_locks(*merged), caf::error{});
    CAF_CHECK_NOT_EQUAL((*store)->import_locks(*merged), caf::error{}); // only into an empty one
    return {*next, std::shared_ptr<validator_store>{std::move(*store)}};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(committee_changes, change_fixture)

CAF_TEST(a_change_signed_as_the_governance_policy_demands_is_approved) {
  CAF_CHECK_EQUAL(refusal(change({&op1, &op3})), ec::none);
  auto next = next_network(k.net, change({}).change);
  CAF_REQUIRE(next);
  CAF_CHECK(next->id == committee_id(other.net.members, k.net.gen)); // the same genesis
  CAF_CHECK(next->id != k.net.id);
  CAF_CHECK_EQUAL(next->epoch, 1u);
}

CAF_TEST(a_change_the_governance_policy_does_not_approve_is_refused) {
  CAF_CHECK_EQUAL(refusal(change({&op1})), ec::policy_not_satisfied); // 1 of the 2 needed
  CAF_CHECK_EQUAL(refusal(change({})), ec::policy_not_satisfied);
  // A signature over another change does not carry over.
  auto req = change({&op1, &op2});
  req.change.next_epoch = 7;
  CAF_CHECK_NOT_EQUAL(refusal(req), ec::none);
  // Signed by keys of another policy, presented as this one's: the policy is the network's.
  auto forged = change({&op1, &op2});
  forged.approval.spend_policy.k = 1;
  CAF_CHECK_EQUAL(refusal(forged), ec::invalid_change);
  // Another committee, the same committee again, an epoch out of order.
  auto elsewhere = change({&op1, &op2});
  elsewhere.change.old_id = other.net.id;
  CAF_CHECK_EQUAL(refusal(elsewhere), ec::invalid_change);
  auto same = change({});
  same.change.next = k.net.members;
  sign_policy(same.approval, change_hash(same.change), {&op1, &op2});
  CAF_CHECK_EQUAL(refusal(same), ec::invalid_change);
  // A network without a governance policy never changes.
  auto approved = change({&op1, &op2});
  k.net.governance.reset();
  CAF_CHECK_EQUAL(refusal(approved), ec::invalid_change);
}

CAF_TEST(a_seal_is_the_validators_signature_over_its_lock_set) {
  std::vector<std::pair<output_ref, hash32>> locks{{test::genesis_output(k), k.net.id}};
  auto s = make_seal(k.net, 2, *k.validators[2], other.net.id, locks);
  CAF_CHECK(verify_seal(k.net, s));
  CAF_CHECK_EQUAL(s.locks, 1u);
  CAF_CHECK(s.lock_root == lock_set_root(locks));
  CAF_CHECK(lock_set_root({}) == hash32{});
  auto claimed = s;
  claimed.validator_index = 1; // another validator's name on it
  CAF_CHECK(!verify_seal(k.net, claimed));
  auto fewer = s;
  fewer.locks = 0;
  CAF_CHECK(!verify_seal(k.net, fewer));
  auto elsewhere = s;
  elsewhere.next_id = k.net.id;
  CAF_CHECK(!verify_seal(k.net, elsewhere));
}

CAF_TEST(a_sealed_validator_locks_nothing_new_but_answers_a_retry_with_its_share) {
  auto table = std::make_shared<memory_lock_table>();
  auto locked = test::pay_from_genesis(k, 4, 10);
  {
    validator_core v{k.net, 0, k.validators[0], table};
    auto out = v.handle(locked);
    CAF_REQUIRE_EQUAL(out.kind, validator_core::outcome::commit);
    table->commit({&out.record});
    v.committed(out.tx_hash, caf::none);
  }
  table->seal(other.net.id);
  validator_core v{k.net, 0, k.validators[0], table}; // restarted after the seal
  auto again = v.handle(locked);
  CAF_REQUIRE_EQUAL(again.kind, validator_core::outcome::reply);
  CAF_CHECK(std::holds_alternative<signed_reply>(again.answer));
  // A spend of an output no lock names yet: refused, and nothing is locked.
  auto child = test::make_request(k, 0, {{tx_hash(locked.tx), 1}}, {{test::addr(k, 1), 999'990}},
                                  {{locked.tx, test::certify(k, locked.tx)}});
  auto fresh = v.handle(child);
  CAF_REQUIRE_EQUAL(fresh.kind, validator_core::outcome::reply);
  auto* r = std::get_if<rejected_reply>(&fresh.answer);
  CAF_REQUIRE(r != nullptr);
  CAF_CHECK_EQUAL(r->code, static_cast<uint16_t>(ec::sealed));
  CAF_CHECK(!*table->lock_of({tx_hash(locked.tx), 1}));
  // A conflicting spend is still a conflict (it names the transaction it conflicts with).
  auto conflict = v.handle(test::pay_from_genesis(k, 5, 20));
  CAF_CHECK_EQUAL(std::get<rejected_reply>(conflict.answer).code,
                  static_cast<uint16_t>(ec::conflict));
}

CAF_TEST(a_new_validator_starts_from_2f_plus_1_sealed_sets_and_the_change_waits_below) {
  auto paid = test::pay_from_genesis(k, 4, 10);
  auto merged = merge_lock_sets(k.net, next_id(),
                                {sealed_set(0, {paid}), sealed_set(1, {paid}), sealed_set(2, {})});
  CAF_REQUIRE(merged);
  CAF_CHECK(merged->locks.at(test::genesis_output(k)) == tx_hash(paid.tx));
  CAF_CHECK(merged->unspendable.empty());
  CAF_CHECK_EQUAL(merged->validators.size(), 3u);
  // v2 sealed an empty set: what it lacks, the others cover; its set matches its seal.
  CAF_CHECK(merged->refused.empty());
  auto two = merge_lock_sets(k.net, next_id(), {sealed_set(0, {paid}), sealed_set(1, {paid})});
  CAF_REQUIRE(!two);
  CAF_CHECK_EQUAL(code_of(two.error()), ec::invalid_change);
  CAF_CHECK(describe(two.error()).find("the change waits") != std::string::npos);
}

CAF_TEST(a_byzantine_old_validator_cannot_invent_a_lock_and_its_missing_ones_are_covered) {
  auto paid = test::pay_from_genesis(k, 4, 10);
  // v2 leaves the real lock out and invents one: a4's coin "spent" with a witness of another
  // key (it holds no key of a4), sealed over what it claims.
  auto coin = output_ref{tx_hash(paid.tx), 0};
  auto invented = test::make_request(k, 7, {coin}, {{test::addr(k, 7), 10}},
                                     {{paid.tx, test::certify(k, paid.tx)}});
  auto merged = merge_lock_sets(
    k.net, next_id(), {sealed_set(0, {paid}), sealed_set(1, {paid}), sealed_set(2, {invented})});
  CAF_REQUIRE(merged);
  CAF_CHECK(merged->locks.at(test::genesis_output(k)) == tx_hash(paid.tx));
  CAF_CHECK_EQUAL(merged->locks.count(coin), 0u);
  CAF_REQUIRE_EQUAL(merged->refused.size(), 2u); // the invented lock, and a set unlike its seal
  CAF_CHECK(merged->refused[0].find("v2: a lock of") == 0);
  // A parent certified by too few old validators proves nothing either.
  auto weak = test::make_request(k, 4, {coin}, {{test::addr(k, 5), 10}},
                                 {{paid.tx, test::certify(k, paid.tx, {0, 1})}});
  auto again = merge_lock_sets(
    k.net, next_id(), {sealed_set(0, {paid}), sealed_set(1, {paid}), sealed_set(3, {weak})});
  CAF_REQUIRE(again);
  CAF_CHECK_EQUAL(again->locks.count(coin), 0u);
}

CAF_TEST(an_input_its_owner_locked_to_two_transactions_stays_unspendable) {
  auto one = test::pay_from_genesis(k, 4, 10);
  auto other_spend = test::pay_from_genesis(k, 5, 20);
  auto merged = merge_lock_sets(
    k.net, next_id(), {sealed_set(0, {one}), sealed_set(1, {other_spend}), sealed_set(2, {one})});
  CAF_REQUIRE(merged);
  CAF_CHECK_EQUAL(merged->unspendable.count(test::genesis_output(k)), 1u);
  CAF_CHECK_EQUAL(merged->locks.count(test::genesis_output(k)), 0u);
}

CAF_TEST(only_seals_of_this_committee_for_the_next_one_count_and_each_once) {
  auto paid = test::pay_from_genesis(k, 4, 10);
  auto elsewhere = sealed_set(2, {paid});
  elsewhere.seal = make_seal(k.net, 2, *k.validators[2], k.net.id, {}); // for another committee
  auto forged = sealed_set(3, {paid});
  forged.seal.validator_index = 1; // v3's seal in v1's name
  auto merged = merge_lock_sets(k.net, next_id(),
                                {sealed_set(0, {paid}), elsewhere, forged, sealed_set(1, {})});
  CAF_REQUIRE(!merged); // v0 and v1 only
  auto twice = merge_lock_sets(k.net, next_id(),
                               {sealed_set(0, {paid}), sealed_set(0, {paid}), sealed_set(1, {})});
  CAF_REQUIRE(!twice);
  CAF_CHECK(describe(twice.error()).find("twice") != std::string::npos);
}

CAF_TEST(the_new_committee_signs_a_carried_lock_only_for_its_own_transaction) {
  auto locked = test::pay_from_genesis(k, 4, 10); // locked by v0..v2, never certified
  test::temp_dir dir;
  auto [next_net, shared] = next_carrying(locked, dir);
  auto next = &next_net;
  validator_core v{*next, 0, other.validators[0], shared};
  // The same transaction, asked of the new committee: signed.
  auto same = locked;
  same.committee_id = next->id;
  auto out = v.handle(same);
  CAF_CHECK_EQUAL(out.kind, validator_core::outcome::commit);
  // Another spend of the coin: a conflict naming the carried transaction.
  auto rival = test::pay_from_genesis(k, 5, 20);
  rival.committee_id = next->id;
  auto refused = v.handle(rival);
  CAF_REQUIRE_EQUAL(refused.kind, validator_core::outcome::reply);
  const auto& r = std::get<rejected_reply>(refused.answer);
  CAF_CHECK_EQUAL(r.code, static_cast<uint16_t>(ec::conflict));
  CAF_CHECK(r.conflicts.at(0).other_tx == tx_hash(locked.tx));
}

CAF_TEST(an_old_committees_certificate_counts_only_for_a_spend_the_hand_over_carried) {
  auto paid = test::pay_from_genesis(k, 4, 10); // certified by the old committee
  test::temp_dir dir;
  auto [next_net, shared] = next_carrying(paid, dir);
  auto next = &next_net;
  CAF_REQUIRE_EQUAL(next->past.size(), 1u);
  CAF_CHECK(next->past[0].id == k.net.id);
  validator_core v{*next, 0, other.validators[0], shared};
  // a4 spends the coin of the old committee's certificate: the certificate stays a proof.
  certified_transaction parent{paid.tx, test::certify(k, paid.tx)};
  CAF_CHECK_EQUAL(verify_certified(*next, parent), caf::error{});
  auto spend =
    test::make_request(k, 4, {output_ref{tx_hash(paid.tx), 0}}, {{test::addr(k, 6), 10}}, {parent});
  spend.committee_id = next->id;
  CAF_CHECK_EQUAL(v.handle(spend).kind, validator_core::outcome::commit);
  // Old keys, leaked after the change, certify another spend of the genesis: the hand-over did
  // not carry it, so its outputs are worth nothing to the new committee.
  auto minted = test::pay_from_genesis(k, 5, 20);
  certified_transaction forged{minted.tx, test::certify(k, minted.tx)};
  CAF_CHECK_EQUAL(verify_certified(k.net, forged), caf::error{}); // as the old committee sees it
  auto use = test::make_request(k, 5, {output_ref{tx_hash(minted.tx), 0}}, {{test::addr(k, 6), 20}},
                                {forged});
  use.committee_id = next->id;
  auto refused = v.handle(use);
  CAF_REQUIRE_EQUAL(refused.kind, validator_core::outcome::reply);
  const auto& r = std::get<rejected_reply>(refused.answer);
  CAF_CHECK_EQUAL(r.code, static_cast<uint16_t>(ec::invalid_certificate));
  CAF_CHECK(r.detail.find("did not carry") != std::string::npos);
  // A certificate of no committee of the chain is none at all.
  certified_transaction stranger{paid.tx, test::certify(other, paid.tx)};
  CAF_CHECK_EQUAL(code_of(verify_certified(*next, stranger)), ec::invalid_certificate);
}

CAF_TEST(a_verifier_without_the_store_leaves_the_hand_over_check_to_its_validator) {
  auto paid = test::pay_from_genesis(k, 4, 10);
  test::temp_dir dir;
  auto [next_net, shared] = next_carrying(paid, dir);
  auto next = &next_net;
  // A verifier in a process of its own: neither store nor key.
  request_checker verifier{*next, 0, nullptr, nullptr, share_mode::pooled};
  request_checker validator{*next, 0, other.validators[0], shared, share_mode::single};
  certified_transaction parent{paid.tx, test::certify(k, paid.tx)};
  auto spend =
    test::make_request(k, 4, {output_ref{tx_hash(paid.tx), 0}}, {{test::addr(k, 6), 10}}, {parent});
  spend.committee_id = next->id;
  auto spend_tx = tx_hash(spend.tx);
  // The old committee's parent is named every time (never cached as checked), and the
  // validator finishes: the hand-over carried it, and the single share is made there.
  for (int i = 0; i < 2; ++i) {
    auto past = verifier.check_detached(spend, spend_tx);
    CAF_REQUIRE(past);
    CAF_CHECK(*past == std::vector<uint32_t>{0});
  }
  auto finished = validator.finish_detached(spend, spend_tx, {0});
  CAF_REQUIRE(finished);
  CAF_CHECK(finished->has_value());
  // A certificate by leaked old keys passes the verifier, and not its validator.
  auto minted = test::pay_from_genesis(k, 5, 20);
  certified_transaction forged{minted.tx, test::certify(k, minted.tx)};
  auto use = test::make_request(k, 5, {output_ref{tx_hash(minted.tx), 0}}, {{test::addr(k, 6), 20}},
                                {forged});
  use.committee_id = next->id;
  auto use_tx = tx_hash(use.tx);
  auto past = verifier.check_detached(use, use_tx);
  CAF_REQUIRE(past);
  CAF_CHECK(*past == std::vector<uint32_t>{0});
  auto refused = validator.finish_detached(use, use_tx, *past);
  CAF_REQUIRE(!refused);
  CAF_CHECK_EQUAL(code_of(refused.error()), ec::invalid_certificate);
  // A parent index past the request's is refused, not read.
  auto bad = validator.finish_detached(use, use_tx, {7});
  CAF_CHECK(!bad && code_of(bad.error()) == ec::malformed_message);
  // What the verifier refuses, it refuses as the validator would: a stranger's certificate.
  certified_transaction stranger{paid.tx, test::certify(other, paid.tx)};
  auto strange = spend;
  strange.parents = {stranger};
  auto no = verifier.check_detached(strange, spend_tx);
  CAF_CHECK(!no && code_of(no.error()) == ec::invalid_certificate);
}

CAF_TEST_FIXTURE_SCOPE_END()
