// The wallet's state machine (protocol/wallet_core) without actors, network or disk: payments,
// replies, restarts, policies and co-signing (tests/wallet_core_fixture.hpp).
#define CAF_SUITE wallet_core
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "tests/wallet_core_fixture.hpp"

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

CAF_TEST(a_request_that_gets_no_answer_at_all_is_sent_again_on_the_second_tick) {
  // The wallet's requests carry no timeout: a reply lost on the way must not hold a payment.
  kinds[2] = member::silent;
  kinds[3] = member::silent;
  auto c = pay(c0, a0, a4, 10);
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.sent.size(), 4u); // one tick: perhaps still on its way
  kinds[3] = member::honest;
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.sent.size(), 6u); // two: asked again, only those that did not answer
  CAF_CHECK_EQUAL(sent_to(c0, 1), 1u);
  CAF_CHECK_EQUAL(sent_to(c0, 2), 2u);
  CAF_CHECK_EQUAL(sent_to(c0, 3), 2u);
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
  CAF_CHECK(c0.store->outputs.empty());
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
  offer_fails(c0, good, a4, caf::error{});
  offer_fails(c0, again, a4, caf::error{});
  c0.handoffs.clear();
  run(c0, c0.core->resend_handoffs_to("wallet.example:7004"));
  CAF_CHECK_EQUAL(c0.handoffs.size(), 2u);
  for (const auto& h : c0.handoffs)
    CAF_CHECK_EQUAL(h.endpoint, "wallet.example:7004");
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
  CAF_CHECK(c0.store->outputs.count(test::genesis_output(k)) == 0);
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

CAF_TEST(an_address_is_held_once_its_registration_is_durable_in_a_synced_group_commit) {
  // c1 learns a0 (say, its key file was copied): registered with the genesis output a0 owns.
  auto record = address_record{a0, test::address_key(k, 0).public_key(), "a0.key"};
  c1.hold_writes = true;
  auto first = c1.next_caller++;
  run(c1, c1.core->adopt_new(first, std::vector<address_record>{record}));
  CAF_CHECK(!c1.core->owns(a0)); // not before it is on disk
  CAF_CHECK_EQUAL(c1.answers.count(first), 0u);
  CAF_REQUIRE_EQUAL(c1.held.size(), 1u);
  CAF_CHECK(needs_sync(c1.held[0].change));
  CAF_CHECK_EQUAL(c1.held[0].change.new_addresses.size(), 1u);
  CAF_CHECK_EQUAL(c1.held[0].change.added.size(), 1u);
  // Asked again while the first is being written: nothing is new, nothing written twice.
  auto second = c1.next_caller++;
  run(c1, c1.core->adopt_new(second, std::vector<address_record>{record}));
  CAF_CHECK_EQUAL(c1.answers.at(second).count, 0u);
  CAF_CHECK_EQUAL(c1.held.size(), 1u);
  flush(c1);
  CAF_CHECK(c1.core->owns(a0));
  CAF_CHECK(!c1.answers.at(first).error);
  CAF_CHECK_EQUAL(c1.answers.at(first).count, 1u);
  CAF_CHECK_EQUAL(balance(c1, a0), 1'000'000u);
}

CAF_TEST(an_address_whose_registration_fails_is_not_held_and_one_the_store_knows_is_held_at_once) {
  auto record = address_record{a0, test::address_key(k, 0).public_key(), "a0.key"};
  c1.store->broken = true;
  auto failed = c1.next_caller++;
  run(c1, c1.core->adopt_new(failed, std::vector<address_record>{record}));
  CAF_CHECK_EQUAL(code_of(c1.answers.at(failed).error), ec::storage_error);
  CAF_CHECK(!c1.core->owns(a0));
  c1.store->broken = false;
  auto again = c1.next_caller++;
  run(c1, c1.core->adopt_new(again, std::vector<address_record>{record}));
  CAF_CHECK_EQUAL(c1.answers.at(again).count, 1u);
  // Restarted without it (the file no longer names it), then given it again: the store has it
  // registered with its outputs, so it is held at once, with no write.
  start(c1, 1);
  CAF_CHECK(!c1.core->owns(a0));
  c1.hold_writes = true;
  auto known = c1.next_caller++;
  run(c1, c1.core->adopt_new(known, std::vector<address_record>{record}));
  CAF_CHECK(c1.held.empty());
  CAF_CHECK_EQUAL(c1.answers.at(known).count, 1u);
  CAF_CHECK_EQUAL(balance(c1, a0), 1'000'000u);
}

CAF_TEST_FIXTURE_SCOPE_END()
