// The wallet actor among validator actors: payments final and refused, a failing store, Byzantine
// validators of each kind and a Byzantine payee, a policy address (tests/actors_fixture.hpp).
#define CAF_SUITE actors_wallet
#include <caf/test/dsl.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "tests/actors_fixture.hpp"

CAF_TEST_FIXTURE_SCOPE(actor_wallet, cluster_fixture)

CAF_TEST(happy_path_payment_is_final_and_handed_to_the_payee) {
  auto tx = pay(0, 4, 25);
  CAF_REQUIRE(tx);
  auto known_to_payee = ask<hash32>(wallets[1], control::await{*tx}); // its certificate
  CAF_CHECK(known_to_payee && *known_to_payee == *tx);
  CAF_CHECK_EQUAL(balance(0), 999'975u);
  CAF_CHECK_EQUAL(balance(4), 25u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
  // The payee can spend what it received (its parent certificate travels with it).
  CAF_REQUIRE(pay(4, 1, 20));
  CAF_CHECK_EQUAL(balance(4), 5u);
  CAF_CHECK_EQUAL(balance(1), 20u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
}

CAF_TEST(never_spends_an_output_of_a_pending_payment) {
  mute(2);
  mute(3);
  start_pay(0, 1, 5);
  // a0's only output is reserved by the pending payment.
  auto second = pay(0, 2, 5);
  CAF_REQUIRE(!second);
  CAF_CHECK_EQUAL(code_of(second.error()), ec::insufficient_funds);
  unmute(2);
  unmute(3);
  let_time_pass(2);
  CAF_CHECK_EQUAL(pending(0), 0u);
  CAF_CHECK(pay(0, 2, 5));
}

CAF_TEST(more_than_f_conflicts_end_the_payment_with_a_clear_error) {
  // Someone holding a0's key equivocates: v0 and v1 lock the genesis to another transaction.
  auto other = test::pay_from_genesis(k, 7, 99);
  ask_validator(0, other);
  ask_validator(1, other);
  auto tx = pay(0, 1, 10);
  CAF_REQUIRE(!tx);
  CAF_CHECK_EQUAL(code_of(tx.error()), ec::payment_conflict);
  CAF_CHECK(describe(tx.error()).find(tx_hash(other.tx).hex()) != std::string::npos);
  CAF_CHECK_EQUAL(pending(0), 0u);
}

CAF_TEST(pay_refuses_unknown_address_zero_and_overdraft) {
  auto foreign = pay(4, 1, 1); // a4 has nothing yet
  CAF_CHECK_EQUAL(code_of(foreign.error()), ec::insufficient_funds);
  auto r = pay_with(wallets[0], test::addr(k, 4), test::addr(k, 1), 1);
  CAF_CHECK_EQUAL(code_of(r.error()), ec::unknown_address);
  CAF_CHECK_EQUAL(code_of(pay(0, 1, 0).error()), ec::zero_payment);
  CAF_CHECK_EQUAL(code_of(pay(0, 1, 1'000'001).error()), ec::insufficient_funds);
  CAF_CHECK_EQUAL(balance(0), 1'000'000u);
}

CAF_TEST(a_wallet_without_a_configuration_file_refuses_to_reload_and_adopts_addresses_it_is_given) {
  auto reload = ask<uint64_t>(wallets[0], control::reload_addresses{});
  CAF_REQUIRE(!reload);
  CAF_CHECK_EQUAL(code_of(reload.error()), ec::invalid_config);
  // The node's way in: addresses handed over as values; those held already are not new.
  wallet_addresses xs;
  xs.keys = {k.wallets[0][0], k.wallets[1][0]};
  auto added = ask<uint64_t>(wallets[0], addresses_atom::value, xs);
  CAF_REQUIRE(added);
  CAF_CHECK_EQUAL(*added, 1u);
  auto again = ask<uint64_t>(wallets[0], addresses_atom::value, xs);
  CAF_REQUIRE(again);
  CAF_CHECK_EQUAL(*again, 0u);
  auto mine = ask<std::vector<address>>(wallets[0], addresses_atom::value);
  CAF_REQUIRE(mine);
  CAF_CHECK_EQUAL(mine->size(), 5u);
}

CAF_TEST(validator_answers_garbage_with_a_rejection_and_keeps_serving) {
  auto rh = self->request(validators[0], caf::infinite, sign_atom::value, bytes{'\xc1'});
  sched.run();
  rh.receive(
    [&](reply_atom, const bytes& raw) {
      auto r = decode<sign_reply>(raw);
      CAF_REQUIRE(r);
      CAF_CHECK_EQUAL(static_cast<ec>(std::get<rejected_reply>(*r).code), ec::malformed_message);
    },
    [&](caf::error& err) { CAF_FAIL(describe(err)); });
  CAF_CHECK(pay(0, 1, 1));
}

CAF_TEST(wallet_whose_store_fails_sends_no_request_for_an_unrecorded_payment) {
  wallet_faults[0]->fail_syncs = true;
  auto tx = pay(0, 1, 5);
  CAF_REQUIRE(!tx);
  CAF_CHECK_EQUAL(code_of(tx.error()), ec::storage_error);
  for (auto& proxy : proxies)
    CAF_CHECK(ask<std::vector<caf::actor_addr>>(proxy, senders_atom::value)->empty());
  CAF_CHECK_EQUAL(pending(0), 0u);
  CAF_CHECK_EQUAL(total(0), 1'000'000u);
  CAF_CHECK(!pay(0, 1, 6)); // a second failed write is not reported again
  CAF_REQUIRE_EQUAL(wallet_fault_reports[0].size(), 1u);
  CAF_CHECK(wallet_fault_reports[0][0].find("injected fault") != std::string::npos);
  // The caller learns that the outcome depends on whether the record reached the disk.
  CAF_CHECK(describe(tx.error()).find("a restart resumes it") != std::string::npos);
  // Restart with a working disk. The failed fsync came after LevelDB appended the record, so the
  // record is there and the payment is resumed — once; then new payments work.
  wallet_faults[0]->fail_syncs = false;
  caf::anon_send_exit(wallets[0], caf::exit_reason::kill);
  sched.run();
  wallets[0] = start_wallet(0);
  connect_peers();
  let_time_pass(1);
  CAF_CHECK_EQUAL(pending(0), 0u);
  CAF_CHECK_EQUAL(balance(1), 5u);
  CAF_CHECK(pay(0, 1, 5));
  CAF_CHECK_EQUAL(balance(1), 10u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
}

CAF_TEST(payments_go_final_with_f_byzantine_validators_of_each_kind) {
  amount paid = 0;
  for (auto mode :
       {lie::signs_everything, lie::answers_garbage, lie::forges_signatures, lie::answers_late}) {
    replace_for_w0({{0, byzantine(0, mode)}});
    CAF_REQUIRE(pay(0, 4, 7));
    paid = *checked_add(paid, 7);
    CAF_CHECK_EQUAL(balance(4), paid);
    // Garbage and forged signatures were dropped, never put into a certificate.
    auto stats = ask<control::wallet_counters>(wallets[0], control::stats{});
    CAF_REQUIRE(stats);
    bool drops_expected = mode == lie::answers_garbage || mode == lie::forges_signatures;
    CAF_CHECK_EQUAL(stats->dropped > 0, drops_expected);
  }
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
}

CAF_TEST(a_byzantine_payee_that_hits_back_at_its_sender_changes_nothing) {
  auto hit = std::make_shared<std::vector<caf::actor_addr>>();
  auto evil = sys.spawn(hits_back, as_actor(wallets[1]), hit);
  extra.push_back(evil);
  caf::anon_send(wallets[0], peer_atom::value, test::addr(k, 4), evil);
  sched.run();
  CAF_REQUIRE(pay(0, 4, 5));
  CAF_CHECK_EQUAL(balance(4), 5u); // handed on through the hostile relay
  CAF_REQUIRE(!hit->empty());
  for (const auto& h : *hit)
    CAF_CHECK(h != wallets[0].address());
  auto gate = caf::actor_cast<caf::actor>(hit->front());
  CAF_CHECK_GREATER_OR_EQUAL(gate_stats(gate).dropped_system, 3u);
  // The payer is unharmed: it keeps paying.
  CAF_CHECK(pay(0, 1, 2));
  CAF_CHECK_EQUAL(balance(1), 2u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
}

CAF_TEST(a_wallet_with_a_policy_address_of_three_schemes_pays_through_its_actors) {
  // A third wallet holds a 2-of-3 address (Ed25519, secp256k1, P-256) and two of its keys.
  std::vector<std::shared_ptr<const owner_key>> keys;
  policy two_of_three;
  two_of_three.type = policy::kind::threshold;
  two_of_three.k = 2;
  for (auto s : {key_scheme::ed25519, key_scheme::secp256k1, key_scheme::p256}) {
    keys.push_back(std::make_shared<const owner_key>(owner_key::generate(s)));
    policy leaf;
    leaf.scheme = static_cast<uint8_t>(s);
    leaf.key = keys.back()->public_key().key;
    two_of_three.weights.push_back(1);
    two_of_three.children.push_back(leaf);
  }
  auto shared = policy_address(two_of_three);
  wallet_options wo;
  wo.net = k.net;
  wo.name = "w2";
  wo.data_dir = dir / "w2";
  wo.policies.push_back({two_of_three, {keys[1], keys[2]}});
  wo.validators = proxies;
  auto w2 = spawn_wallet(sys, wo);
  CAF_REQUIRE(w2);
  extra.push_back(as_actor(*w2));
  sched.run();
  caf::anon_send(wallets[0], peer_atom::value, shared, as_actor(*w2));
  caf::anon_send(*w2, peer_atom::value, test::addr(k, 4), as_actor(wallets[1]));
  sched.run();
  auto funded = pay_with(wallets[0], test::addr(k, 0), shared, 500);
  CAF_REQUIRE(funded);
  auto held = ask<amount>(*w2, control::balance{shared}); // by value: the check keeps a ref
  CAF_REQUIRE(held);
  CAF_CHECK_EQUAL(held->units(), 500u);
  auto paid = pay_with(*w2, shared, test::addr(k, 4), 200);
  CAF_REQUIRE(paid);
  CAF_CHECK_EQUAL(balance(4), 200u);
  auto left = ask<amount>(*w2, control::balance{shared});
  CAF_REQUIRE(left);
  CAF_CHECK_EQUAL(left->units(), 300u);
}

CAF_TEST_FIXTURE_SCOPE_END()
