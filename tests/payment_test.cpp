// The wallet's decisions without actors: coin selection and when replies make a certificate.
#define CAF_SUITE payment
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "messages/error.hpp"
#include "protocol/payment.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

struct payment_fixture {
  cluster_keys k = test::thesis_keys();
  sign_request req = test::pay_from_genesis(k, 1, 10);
  hash32 tx = tx_hash(req.tx);

  sign_reply signed_by(uint16_t i) {
    return signed_reply{i, tx, sign_certificate_share(*k.validators[i], k.net, tx)};
  }

  sign_reply conflict_from(uint16_t i) {
    rejected_reply r{i, tx, static_cast<uint16_t>(ec::conflict), "conflict", {}};
    hash32 other;
    other.bytes.fill(0xee);
    r.conflicts.push_back({test::genesis_output(k), other});
    return r;
  }
};

utxo coin(uint8_t id, amount value, const address& owner) {
  hash32 h;
  h.bytes.fill(id);
  return utxo{{h, 0}, owner, value};
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(payment_rules, payment_fixture)

CAF_TEST(plan_picks_the_smallest_covering_output_and_returns_change) {
  auto a0 = test::addr(k, 0), a1 = test::addr(k, 1);
  auto plan = plan_payment({coin(1, 100, a0), coin(2, 7, a0), coin(3, 12, a0)}, a0, a1, 10);
  CAF_REQUIRE(plan);
  CAF_REQUIRE_EQUAL(plan->inputs.size(), 1u);
  CAF_CHECK_EQUAL(plan->inputs[0].value, 12u);
  CAF_REQUIRE_EQUAL(plan->tx.outputs.size(), 2u);
  CAF_CHECK(plan->tx.outputs[0] == (output{a1, 10}));
  CAF_CHECK(plan->tx.outputs[1] == (output{a0, 2}));
}

CAF_TEST(plan_combines_outputs_largest_first) {
  auto a0 = test::addr(k, 0), a1 = test::addr(k, 1);
  auto plan = plan_payment({coin(1, 3, a0), coin(2, 5, a0), coin(3, 4, a0)}, a0, a1, 9);
  CAF_REQUIRE(plan);
  CAF_CHECK_EQUAL(plan->inputs.size(), 2u);
  CAF_CHECK_EQUAL(plan->tx.outputs.size(), 1u); // 5 + 4: no change
  CAF_CHECK_EQUAL(check_transaction(plan->tx), caf::error{});
}

CAF_TEST(plan_refuses_insufficient_funds_and_zero) {
  auto a0 = test::addr(k, 0), a1 = test::addr(k, 1);
  CAF_CHECK_EQUAL(code_of(plan_payment({coin(1, 3, a0)}, a0, a1, 4).error()),
                  ec::insufficient_funds);
  CAF_CHECK_EQUAL(code_of(plan_payment({}, a0, a1, 1).error()), ec::insufficient_funds);
  CAF_CHECK_EQUAL(code_of(plan_payment({coin(1, 3, a0)}, a0, a1, 0).error()), ec::zero_payment);
}

CAF_TEST(final_at_quorum_without_waiting_for_the_rest) {
  quorum_collector q{k.net, tx};
  CAF_CHECK(q.add(0, signed_by(0)) == quorum_collector::state::collecting);
  CAF_CHECK(q.add(2, signed_by(2)) == quorum_collector::state::collecting);
  CAF_CHECK(q.add(3, signed_by(3)) == quorum_collector::state::certified);
  auto cert = q.cert();
  CAF_CHECK_EQUAL(cert.sigs.size(), 3u);
  CAF_CHECK_EQUAL(verify_certificate(k.net, cert, tx), caf::error{});
}

CAF_TEST(drops_duplicate_forged_and_impersonated_replies) {
  quorum_collector q{k.net, tx};
  q.add(0, signed_by(0));
  q.add(0, signed_by(0)); // duplicate signer
  auto forged = std::get<signed_reply>(signed_by(1));
  forged.sig.bytes[0] ^= 1;
  q.add(1, forged);       // bad signature
  q.add(2, signed_by(3)); // validator 2 relays 3's signature: not its own
  q.add(9, signed_by(1)); // not a member
  CAF_CHECK(q.current() == quorum_collector::state::collecting);
  CAF_CHECK_EQUAL(q.dropped(), 4u);
  CAF_CHECK(!q.answered(1));
  CAF_CHECK(q.add(1, signed_by(1)) == quorum_collector::state::collecting);
  CAF_CHECK(q.add(3, signed_by(3)) == quorum_collector::state::certified);
  CAF_CHECK_EQUAL(verify_certificate(k.net, q.cert(), tx), caf::error{});
}

CAF_TEST(more_than_f_conflicts_fail_naming_the_other_transaction) {
  quorum_collector q{k.net, tx};
  CAF_CHECK(q.add(0, conflict_from(0)) == quorum_collector::state::collecting); // f = 1 may lie
  CAF_CHECK(q.add(1, conflict_from(1)) == quorum_collector::state::failed);
  CAF_CHECK_EQUAL(code_of(q.failure()), ec::payment_conflict);
  CAF_CHECK(describe(q.failure()).find(std::string(64, 'e')) != std::string::npos);
}

CAF_TEST(storage_fault_replies_are_asked_again) {
  quorum_collector q{k.net, tx};
  rejected_reply fault{0, tx, static_cast<uint16_t>(ec::storage_fault), "disk", {}};
  q.add(0, fault);
  CAF_CHECK(!q.answered(0));
  CAF_CHECK(q.current() == quorum_collector::state::collecting);
}

CAF_TEST_FIXTURE_SCOPE_END()
