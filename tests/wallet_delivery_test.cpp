// The wallet's state machine delivering payments: hand-offs to payees, their routes, refusals and
// retries, repeated deliveries, history (tests/wallet_core_fixture.hpp).
#define CAF_SUITE wallet_delivery
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "tests/wallet_core_fixture.hpp"

CAF_TEST_FIXTURE_SCOPE(wallet_delivery_rules, wallet_core_fixture)

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

CAF_TEST(a_hand_off_that_gets_no_answer_at_all_is_offered_again_and_a_late_ack_still_counts) {
  pay(c0, a0, a4, 10);
  auto tx = last_sent_tx(c0);
  CAF_REQUIRE_EQUAL(c0.handoffs.size(), 1u);
  auto first = c0.handoffs[0];
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.handoffs.size(), 1u); // one tick: perhaps still on its way
  run(c0, c0.core->tick());
  CAF_REQUIRE_EQUAL(c0.handoffs.size(), 2u); // two: offered again
  CAF_CHECK_EQUAL(c0.handoffs[1].offer, first.offer + 1);
  auto s = c0.core->status(tx);
  CAF_REQUIRE(s);
  CAF_REQUIRE_EQUAL(s->undelivered.size(), 1u);
  CAF_CHECK(!s->undelivered[0].refused);
  CAF_CHECK(s->undelivered[0].last_error.find("no answer") != std::string::npos);
  // The first offer's failure comes late: stale, it changes nothing; its acknowledgement counts.
  run(c0, c0.core->handoff_failed(tx, a4, first.offer, make_error(ec::timeout, "closed")));
  run(c0, c0.core->acknowledged(tx, a4));
  CAF_CHECK(c0.store->outbox.empty());
  CAF_CHECK(!c0.core->wants_tick());
}

CAF_TEST(a_payee_that_refuses_is_reported_and_kept_not_dropped_and_resend_offers_it_again) {
  pay(c0, a0, a4, 10);
  auto tx = last_sent_tx(c0);
  offer_fails(c0, tx, a4, caf::error{}); // unreachable, or a timeout
  run(c0, c0.core->tick());
  CAF_CHECK_EQUAL(c0.handoffs.size(), 2u);
  offer_fails(c0, tx, a4, make_error(ec::unknown_address, "not mine"));
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

CAF_TEST(a_hand_off_that_keeps_failing_is_offered_less_and_less_often) {
  auto tx = pay_routed(c0, a4, 5, "127.0.0.1:9");
  size_t offers = 0;
  for (int tick = 0; tick < 200; ++tick) {
    for (const auto& h : c0.handoffs)
      run(c0,
          c0.core->handoff_failed(h.tx, h.payee, h.offer, make_error(ec::timeout, "no answer")));
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

CAF_TEST(a_route_is_kept_with_its_payment_across_restarts_and_resend_can_redirect_it) {
  auto tx = pay_routed(c0, a4, 5, "127.0.0.1:9");
  CAF_CHECK_EQUAL(c0.store->routes.size(), 1u);
  start(c0, 0); // a restart before the payee acknowledged
  auto offers = offers_of(c0, tx);
  CAF_REQUIRE_EQUAL(offers.size(), 1u);
  CAF_CHECK_EQUAL(offers[0].endpoint, "127.0.0.1:9");
  offer_fails(c0, tx, a4, make_error(ec::unknown_address, "wrong wallet"));
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

CAF_TEST(a_redirect_while_an_offer_waits_goes_out_at_once_and_the_old_failure_is_stale) {
  // Before, `tx resend --to` did nothing while the offer to the old route waited for its
  // timeout, and that timeout then held the redirected hand-off back: resend said "not yet
  // delivered" though the payee's wallet was up.
  auto tx = pay_routed(c0, a4, 5, "127.0.0.1:9");
  auto first = offers_of(c0, tx);
  CAF_REQUIRE_EQUAL(first.size(), 1u); // in flight, no answer yet
  run(c0, c0.core->resend(5, tx, handoff_route{tx, a4, "wallet.example:7004"}));
  CAF_CHECK_EQUAL(answer_code(c0, 5), ec::none);
  auto offers = offers_of(c0, tx);
  CAF_REQUIRE_EQUAL(offers.size(), 2u);
  CAF_CHECK_EQUAL(offers[1].endpoint, "wallet.example:7004");
  CAF_CHECK_GREATER(offers[1].offer, offers[0].offer);
  // The dead route's refusal arrives late: it marks nothing.
  run(c0, c0.core->handoff_failed(tx, a4, offers[0].offer,
                                  make_error(ec::unknown_address, "a validator's port")));
  auto s = c0.core->status(tx);
  CAF_REQUIRE(s);
  CAF_REQUIRE_EQUAL(s->undelivered.size(), 1u);
  CAF_CHECK(!s->undelivered[0].refused);
  CAF_CHECK(s->undelivered[0].last_error.empty());
  c0.handoffs.erase(c0.handoffs.begin()); // the old offer is gone; the redirected one arrives
  deliver_handoffs();
  s = c0.core->status(tx);
  CAF_REQUIRE(s);
  CAF_CHECK(s->undelivered.empty());
  CAF_CHECK_EQUAL(balance(c1, a4), 5u);
}

CAF_TEST_FIXTURE_SCOPE_END()
