// A change of committee, the parts built so far (issue 24, item 2): the governance policy
// approves a change or nothing does; a validator's seal is its signature over its lock set, and
// a sealed validator locks no new input while a retry of what it locked still gets its share.
#define CAF_SUITE committee_change
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "protocol/committee_change.hpp"
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

CAF_TEST_FIXTURE_SCOPE_END()
