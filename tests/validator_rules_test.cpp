// doc/protocol.md's validator rules, one behaviour per test, on validator_core over in-memory lock
// tables (the stores' durability has its own tests). Every refusal also checks that nothing was
// locked.
#define CAF_SUITE validator_rules
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "messages/error.hpp"
#include "protocol/memory_lock_table.hpp"
#include "protocol/validator_core.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

struct committee_fixture {
  cluster_keys k = test::thesis_keys();
  std::vector<std::shared_ptr<memory_lock_table>> stores;
  std::vector<std::unique_ptr<validator_core>> cores;

  committee_fixture() {
    for (uint16_t i = 0; i < k.net.size(); ++i)
      open(i);
  }

  void open(uint16_t i) {
    if (cores.size() <= i) {
      cores.resize(i + 1);
      stores.resize(i + 1);
    }
    // A restart: a new core over the same table (what a reopened store holds).
    cores[i].reset();
    if (!stores[i])
      stores[i] = std::make_shared<memory_lock_table>();
    cores[i] = std::make_unique<validator_core>(k.net, i, k.validators[i], stores[i]);
  }

  /// Sends `req` to validator i and performs the durable write it asks for.
  sign_reply ask(uint16_t i, const sign_request& req) {
    auto out = cores[i]->handle(req);
    if (out.kind == validator_core::outcome::commit)
      return cores[i]->committed(out.tx_hash, stores[i]->commit({&out.record}));
    return out.answer;
  }

  /// The rejection code validator 0 gives `req` (ec::none when it signs).
  ec code(const sign_request& req, uint16_t i = 0) {
    auto r = ask(i, req);
    if (auto rej = std::get_if<rejected_reply>(&r))
      return static_cast<ec>(rej->code);
    return ec::none;
  }

  bool signs(const sign_request& req, uint16_t i = 0) {
    return std::holds_alternative<signed_reply>(ask(i, req));
  }

  bool locked(const output_ref& in, uint16_t i = 0) { return stores[i]->lock_of(in)->has_value(); }

  /// Certifies `req` by asking all validators; returns the certified transaction.
  certified_transaction certify_all(const sign_request& req) {
    certified_transaction ct{req.tx, {tx_hash(req.tx), {}}};
    for (uint16_t i = 0; i < k.net.size(); ++i) {
      auto reply = ask(i, req);
      if (auto s = std::get_if<signed_reply>(&reply))
        if (ct.cert.sigs.size() < k.net.quorum())
          ct.cert.sigs.push_back({i, s->sig});
    }
    return ct;
  }

  /// a1 spends an output it got from a certified parent.
  std::pair<sign_request, certified_transaction> child_request() {
    auto parent_req = test::pay_from_genesis(k, 1, 10);
    auto parent = certify_all(parent_req);
    auto child =
      test::make_request(k, 1, {{tx_hash(parent.tx), 0}}, {{test::addr(k, 2), 10}}, {parent});
    return {child, parent};
  }
};

} // namespace

CAF_TEST(a_committee_of_n_tolerates_f_only_when_n_is_3f_plus_1) {
  CAF_CHECK(!faults_tolerated(0));
  CAF_CHECK_EQUAL(faults_tolerated(1), std::optional<uint32_t>{0});
  CAF_CHECK_EQUAL(faults_tolerated(4), std::optional<uint32_t>{1});
  CAF_CHECK_EQUAL(faults_tolerated(7), std::optional<uint32_t>{2});
  CAF_CHECK_EQUAL(faults_tolerated(100), std::optional<uint32_t>{33});
  for (size_t n : {2, 3, 5, 6, 8, 9, 99})
    CAF_CHECK(!faults_tolerated(n));
}

CAF_TEST_FIXTURE_SCOPE(validator_rules, committee_fixture)

CAF_TEST(signs_a_valid_spend_of_the_genesis) {
  auto req = test::pay_from_genesis(k, 1, 10);
  auto r = ask(0, req);
  auto s = std::get_if<signed_reply>(&r);
  CAF_REQUIRE(s != nullptr);
  CAF_CHECK_EQUAL(s->validator_index, 0);
  CAF_CHECK(s->tx_hash == tx_hash(req.tx));
  CAF_CHECK(verify_certificate_share(k.net, 0, s->tx_hash, s->sig));
  CAF_CHECK(locked(test::genesis_output(k)));
}

CAF_TEST(signs_a_spend_with_a_certified_parent) {
  auto [child, parent] = child_request();
  CAF_CHECK(signs(child));
}

CAF_TEST(retry_returns_the_same_signature_and_changes_nothing) {
  auto req = test::pay_from_genesis(k, 1, 10);
  auto first = std::get<signed_reply>(ask(0, req));
  auto second = std::get<signed_reply>(ask(0, req));
  CAF_CHECK(first == second);
  CAF_CHECK_EQUAL(cores[0]->stats().signed_new, 1u);
  CAF_CHECK_EQUAL(cores[0]->stats().signed_again, 1u);
}

CAF_TEST(rejects_second_spend_of_same_output) {
  auto first = test::pay_from_genesis(k, 1, 10);
  auto second = test::pay_from_genesis(k, 2, 10);
  CAF_REQUIRE(signs(first));
  auto r = ask(0, second);
  auto rej = std::get_if<rejected_reply>(&r);
  CAF_REQUIRE(rej != nullptr);
  CAF_CHECK_EQUAL(static_cast<ec>(rej->code), ec::conflict);
  CAF_REQUIRE_EQUAL(rej->conflicts.size(), 1u);
  CAF_CHECK(rej->conflicts[0].input == test::genesis_output(k));
  CAF_CHECK(rej->conflicts[0].other_tx == tx_hash(first.tx));
  CAF_CHECK(*stores[0]->lock_of(test::genesis_output(k)) == tx_hash(first.tx));
}

CAF_TEST(reopened_validator_refuses_a_conflict_it_locked_before) {
  auto first = test::pay_from_genesis(k, 1, 10);
  auto sig_before = std::get<signed_reply>(ask(0, first));
  open(0); // a restart: a new core over the same lock table
  CAF_CHECK_EQUAL(code(test::pay_from_genesis(k, 2, 10)), ec::conflict);
  // The retry still gets the signature it got before the restart.
  CAF_CHECK(std::get<signed_reply>(ask(0, first)) == sig_before);
}

CAF_TEST(equivocation_to_two_halves_certifies_at_most_one) {
  auto a = test::pay_from_genesis(k, 1, 10);
  auto b = test::pay_from_genesis(k, 4, 10);
  // The wallet sends A to {v0, v1} and B to {v2, v3} first, then each to the other half.
  std::vector<int> sigs_a, sigs_b;
  for (uint16_t i : {0, 1})
    if (signs(a, i))
      sigs_a.push_back(i);
  for (uint16_t i : {2, 3})
    if (signs(b, i))
      sigs_b.push_back(i);
  for (uint16_t i : {2, 3})
    if (signs(a, i))
      sigs_a.push_back(i);
  for (uint16_t i : {0, 1})
    if (signs(b, i))
      sigs_b.push_back(i);
  CAF_CHECK_EQUAL(sigs_a.size(), 2u);
  CAF_CHECK_EQUAL(sigs_b.size(), 2u);
  CAF_CHECK(sigs_a.size() < k.net.quorum() || sigs_b.size() < k.net.quorum());
}

CAF_TEST(rejects_forged_witness) {
  auto req = test::pay_from_genesis(k, 1, 10);
  req.witnesses[0].sig.bytes[5] ^= 0x40;
  CAF_CHECK_EQUAL(code(req), ec::invalid_witness);
  CAF_CHECK(!locked(test::genesis_output(k)));
}

CAF_TEST(rejects_witness_of_the_wrong_key) {
  auto req = test::pay_from_genesis(k, 1, 10);
  // a3 signs a spend of a0's output.
  req.witnesses[0] = make_witness(test::address_key(k, 3), tx_hash(req.tx));
  CAF_CHECK_EQUAL(code(req), ec::witness_key_mismatch);
  CAF_CHECK(!locked(test::genesis_output(k)));
}

CAF_TEST(rejects_missing_and_extra_witnesses) {
  auto req = test::pay_from_genesis(k, 1, 10);
  auto none = req;
  none.witnesses.clear();
  CAF_CHECK_EQUAL(code(none), ec::missing_witness);
  auto extra = req;
  extra.witnesses.push_back(make_witness(test::address_key(k, 3), tx_hash(req.tx)));
  CAF_CHECK_EQUAL(code(extra), ec::unexpected_witness);
  CAF_CHECK(!locked(test::genesis_output(k)));
}

CAF_TEST(rejects_forged_parent_certificate) {
  auto [child, parent] = child_request();
  child.parents[0].cert.sigs[1].sig.bytes[0] ^= 1;
  CAF_CHECK_EQUAL(code(child), ec::invalid_certificate);
  CAF_CHECK(!locked(child.tx.inputs[0]));
}

CAF_TEST(own_share_in_a_parent_certificate_is_checked_against_the_store) {
  auto [child, parent] = child_request(); // validators 0, 1, 2 certified the parent
  CAF_CHECK(signs(child, 0));
  CAF_CHECK_EQUAL(cores[0]->stats().own_shares_from_store, 1u);
  CAF_CHECK(signs(child, 3)); // not a signer of the parent: verifies every share
  CAF_CHECK_EQUAL(cores[3]->stats().own_shares_from_store, 0u);
}

CAF_TEST(rejects_a_parent_whose_own_share_differs_from_the_stored_one) {
  auto [child, parent] = child_request();
  CAF_REQUIRE_EQUAL(child.parents[0].cert.sigs[0].validator_index, 0);
  child.parents[0].cert.sigs[0].sig.bytes[0] ^= 1;
  CAF_CHECK_EQUAL(code(child, 0), ec::invalid_certificate);
  CAF_CHECK(!locked(child.tx.inputs[0]));
}

CAF_TEST(rejects_short_parent_certificate) {
  auto [child, parent] = child_request();
  child.parents[0].cert.sigs.pop_back(); // 2f signatures
  CAF_CHECK_EQUAL(code(child), ec::invalid_certificate);
  CAF_CHECK(!locked(child.tx.inputs[0]));
}

CAF_TEST(rejects_non_member_signer_in_certificate) {
  auto [child, parent] = child_request();
  child.parents[0].cert.sigs.push_back({7, child.parents[0].cert.sigs[0].sig});
  CAF_CHECK_EQUAL(code(child), ec::invalid_certificate);
  // A signature by a key outside the committee under a member's index fails as well.
  auto [child2, parent2] = child_request();
  auto outsider = key_pair::generate();
  child2.parents[0].cert.sigs[2].sig = sign_certificate_share(outsider, k.net, tx_hash(parent2.tx));
  CAF_CHECK_EQUAL(code(child2, 1), ec::invalid_certificate);
}

CAF_TEST(rejects_duplicate_signer_in_certificate) {
  auto [child, parent] = child_request();
  // Three signatures, but two from the same member.
  child.parents[0].cert.sigs[2] = child.parents[0].cert.sigs[1];
  CAF_CHECK_EQUAL(code(child), ec::invalid_certificate);
  CAF_CHECK(!locked(child.tx.inputs[0]));
}

CAF_TEST(rejects_certificate_of_another_committee) {
  auto other = test::thesis_keys(1234);
  auto [child, parent] = child_request();
  // The same transaction certified by another network's validators.
  child.parents[0].cert = test::certify(other, parent.tx);
  CAF_CHECK_EQUAL(code(child), ec::invalid_certificate);
}

CAF_TEST(rejects_request_for_another_committee) {
  auto req = test::pay_from_genesis(k, 1, 10);
  req.committee_id = test::thesis_keys(1234).net.id;
  CAF_CHECK_EQUAL(code(req), ec::wrong_committee);
  CAF_CHECK(!locked(test::genesis_output(k)));
}

CAF_TEST(rejects_amount_overflow) {
  // Outputs whose sum wraps around to the input's amount.
  auto req = test::make_request(k, 0, {test::genesis_output(k)},
                                {{test::addr(k, 1), UINT64_MAX}, {test::addr(k, 0), 1'000'001}});
  CAF_CHECK_EQUAL(code(req), ec::amount_overflow);
  CAF_CHECK(!locked(test::genesis_output(k)));
}

CAF_TEST(rejects_zero_amount) {
  auto req = test::make_request(k, 0, {test::genesis_output(k)},
                                {{test::addr(k, 1), 0}, {test::addr(k, 0), 1'000'000}});
  CAF_CHECK_EQUAL(code(req), ec::zero_amount);
}

CAF_TEST(rejects_duplicate_inputs) {
  auto g = test::genesis_output(k);
  auto req = test::make_request(k, 0, {g, g}, {{test::addr(k, 1), 2'000'000}});
  CAF_CHECK_EQUAL(code(req), ec::duplicate_input);
  CAF_CHECK(!locked(g));
}

CAF_TEST(rejects_sum_mismatch) {
  auto req = test::make_request(k, 0, {test::genesis_output(k)}, {{test::addr(k, 1), 999'999}});
  CAF_CHECK_EQUAL(code(req), ec::sum_mismatch);
  auto more = test::make_request(k, 0, {test::genesis_output(k)}, {{test::addr(k, 1), 1'000'001}});
  CAF_CHECK_EQUAL(code(more), ec::sum_mismatch);
  CAF_CHECK(!locked(test::genesis_output(k)));
}

CAF_TEST(rejects_unknown_parent) {
  auto [child, parent] = child_request();
  child.parents.clear();
  child.witnesses = {make_witness(test::address_key(k, 1), tx_hash(child.tx))};
  CAF_CHECK_EQUAL(code(child), ec::unknown_parent);
}

CAF_TEST(rejects_unexpected_parent) {
  auto [child, parent] = child_request();
  auto req = test::pay_from_genesis(k, 1, 10);
  req = test::make_request(k, 0, req.tx.inputs, req.tx.outputs, {parent});
  CAF_CHECK_EQUAL(code(req), ec::unexpected_parent);
}

CAF_TEST(rejects_input_index_out_of_range) {
  auto [child, parent] = child_request();
  auto bad =
    test::make_request(k, 1, {{tx_hash(parent.tx), 2}}, {{test::addr(k, 2), 10}}, {parent});
  CAF_CHECK_EQUAL(code(bad), ec::input_index_out_of_range);
  auto genesis_bad = test::make_request(k, 0, {{k.net.genesis_hash, 1}}, {{test::addr(k, 1), 1}});
  CAF_CHECK_EQUAL(code(genesis_bad), ec::input_index_out_of_range);
}

CAF_TEST(rejects_empty_inputs_and_outputs) {
  auto no_in = test::make_request(k, 0, {}, {{test::addr(k, 1), 1}});
  CAF_CHECK_EQUAL(code(no_in), ec::no_inputs);
  auto no_out = test::make_request(k, 0, {test::genesis_output(k)}, {});
  CAF_CHECK_EQUAL(code(no_out), ec::no_outputs);
}

CAF_TEST(rejects_malformed_bytes_with_a_code) {
  auto good = encode(test::pay_from_genesis(k, 1, 10));
  bytes truncated(good.begin(), good.end() - 1);
  auto out = cores[0]->handle(truncated.data(), truncated.size());
  CAF_REQUIRE_EQUAL(out.kind, validator_core::outcome::reply);
  auto rej = std::get<rejected_reply>(out.answer);
  CAF_CHECK_EQUAL(static_cast<ec>(rej.code), ec::malformed_message);
  CAF_CHECK(!locked(test::genesis_output(k)));
}

CAF_TEST(storage_failure_withholds_the_signature_and_faults_the_validator) {
  auto req = test::pay_from_genesis(k, 1, 10);
  auto out = cores[0]->handle(req);
  CAF_REQUIRE_EQUAL(out.kind, validator_core::outcome::commit);
  // The synced write failed: no Signed may leave, and nothing more is signed.
  auto reply = cores[0]->committed(out.tx_hash, make_error(ec::storage_error, "injected"));
  auto rej = std::get_if<rejected_reply>(&reply);
  CAF_REQUIRE(rej != nullptr);
  CAF_CHECK_EQUAL(static_cast<ec>(rej->code), ec::storage_fault);
  CAF_CHECK(cores[0]->faulted());
  CAF_CHECK_EQUAL(code(test::pay_from_genesis(k, 2, 10)), ec::storage_fault);
  CAF_CHECK_EQUAL(code(req), ec::storage_fault);
}

CAF_TEST(conflicting_request_during_an_unsynced_commit_is_refused) {
  auto a = test::pay_from_genesis(k, 1, 10);
  auto b = test::pay_from_genesis(k, 2, 10);
  auto out_a = cores[0]->handle(a);
  CAF_REQUIRE_EQUAL(out_a.kind, validator_core::outcome::commit);
  // Before A's batch is durable: B conflicts, a retry of A waits for the same write.
  CAF_CHECK_EQUAL(cores[0]->handle(b).kind, validator_core::outcome::reply);
  CAF_CHECK_EQUAL(cores[0]->handle(a).kind, validator_core::outcome::await);
  auto reply = cores[0]->committed(out_a.tx_hash, stores[0]->commit({&out_a.record}));
  CAF_CHECK(std::holds_alternative<signed_reply>(reply));
}

CAF_TEST(a_commit_report_for_a_write_not_in_flight_changes_nothing) {
  auto a = test::pay_from_genesis(k, 1, 10);
  auto b = test::pay_from_genesis(k, 2, 10);
  auto out_a = cores[0]->handle(a);
  CAF_REQUIRE_EQUAL(out_a.kind, validator_core::outcome::commit);
  // Reports for transactions that no write holds, durable or failed: refused, nothing changes.
  auto b_hash = tx_hash(b.tx);
  CAF_CHECK(std::holds_alternative<rejected_reply>(cores[0]->committed(b_hash, caf::none)));
  CAF_CHECK(std::holds_alternative<rejected_reply>(
    cores[0]->committed(b_hash, make_error(ec::storage_error, "not this write"))));
  CAF_CHECK(!cores[0]->faulted());
  // A's pending lock still holds against B, and A's own write still releases A's signature.
  CAF_CHECK_EQUAL(code(b), ec::conflict);
  auto reply = cores[0]->committed(out_a.tx_hash, stores[0]->commit({&out_a.record}));
  CAF_CHECK(std::holds_alternative<signed_reply>(reply));
}

CAF_TEST(rejects_inputs_whose_sum_overflows) {
  // Real outputs cannot overflow (a genesis whose sum overflows is refused), so a hostile wallet
  // forges a parent with two outputs of 2^64 − 1 and spends both: rule 1 catches the overflow
  // before any certificate is looked at.
  genesis g;
  g.tx.outputs = {{test::addr(k, 0), UINT64_MAX}, {test::addr(k, 0), 1}};
  CAF_CHECK_EQUAL(code_of(make_network(k.net.members, g).error()), ec::invalid_config);
  transaction fake;
  fake.inputs = {test::genesis_output(k)};
  fake.outputs = {{test::addr(k, 1), UINT64_MAX}, {test::addr(k, 1), UINT64_MAX}};
  certified_transaction parent{fake, test::certify(k, fake)};
  auto fake_hash = tx_hash(fake);
  auto req =
    test::make_request(k, 1, {{fake_hash, 0}, {fake_hash, 1}}, {{test::addr(k, 2), 1}}, {parent});
  CAF_CHECK_EQUAL(code(req), ec::amount_overflow);
  CAF_CHECK(!locked({fake_hash, 0}));
}

CAF_TEST(with_lock_shards_the_coordinator_refuses_a_conflict_with_a_lock_of_its_own_store) {
  // Validator 0's own store holds a lock (a hand-over's): input x locked to transaction A. Its
  // shards (in other processes) cannot read it, so the coordinator refuses B itself.
  output_ref x{test::filled<hash32>(3), 0};
  auto a = test::filled<hash32>(1), b = test::filled<hash32>(2);
  lock_record r;
  r.tx = a;
  r.inputs = {x};
  r.locks_only = true;
  CAF_REQUIRE_EQUAL(stores[0]->commit({&r}), caf::error{});
  auto refused = cores[0]->handle_checked_sharded(b, {x});
  CAF_REQUIRE_EQUAL(refused.kind, validator_core::outcome::reply);
  auto rej = std::get_if<rejected_reply>(&refused.answer);
  CAF_REQUIRE(rej != nullptr);
  CAF_CHECK_EQUAL(static_cast<ec>(rej->code), ec::conflict);
  CAF_REQUIRE_EQUAL(rej->conflicts.size(), 1u);
  CAF_CHECK(rej->conflicts[0].other_tx == a);
  // The transaction the lock is for goes on to its shards' reservations.
  CAF_CHECK_EQUAL(cores[0]->handle_checked_sharded(a, {x}).kind, validator_core::outcome::reserve);
}

CAF_TEST_FIXTURE_SCOPE_END()
