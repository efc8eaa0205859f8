// The payment flow through real actors under CAF's deterministic test coordinator: validators
// (real LevelDB, inline commit), wallets with address actors, and a proxy in front of each
// validator that can make it silent (the fault under test). Time is virtual: a timeout happens
// only when a test triggers it.
#define CAF_SUITE actors
#include <caf/test/dsl.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "tests/actors_fixture.hpp"
#include "messages/limits.hpp"
#include "messages/sign_batch.hpp"
#include "persistence/validator_store.hpp"
#include "protocol/lock_shards.hpp"

CAF_TEST_FIXTURE_SCOPE(actor_payments, cluster_fixture)

CAF_TEST(payment_is_final_with_f_validators_silent) {
  mute(3);
  auto tx = pay(0, 1, 10);
  CAF_REQUIRE(tx);
  CAF_CHECK_EQUAL(balance(1), 10u);
  CAF_CHECK_EQUAL(pending(0), 0u);
}

CAF_TEST(no_payment_with_f_plus_one_silent_and_it_completes_when_they_return) {
  mute(2);
  mute(3);
  auto rh = start_pay(0, 4, 30);
  let_time_pass(3); // requests time out and are sent again, to no avail
  CAF_CHECK_EQUAL(pending(0), 1u);
  CAF_CHECK_EQUAL(balance(4), 0u);
  // Money does not disappear while the payment is pending.
  CAF_CHECK_EQUAL(total(0), 1'000'000u);
  unmute(2);
  unmute(3);
  let_time_pass(2);
  CAF_CHECK_EQUAL(pending(0), 0u);
  std::optional<hash32> tx;
  rh.receive([&](hash32& x) { tx = x; },
             [&](caf::error& err) { CAF_FAIL("pay failed: " << describe(err)); });
  CAF_CHECK(tx.has_value());
  CAF_CHECK_EQUAL(balance(4), 30u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
}

CAF_TEST(wallet_reopened_from_its_store_resumes_the_pending_payment) {
  mute(2);
  mute(3);
  start_pay(0, 5, 40);
  CAF_CHECK_EQUAL(pending(0), 1u);
  auto before = total(0);
  // The wallet dies with the payment pending; a new one opens the same store.
  caf::anon_send_exit(wallets[0], caf::exit_reason::kill);
  sched.run();
  wallets[0] = start_wallet(0);
  connect_peers();
  CAF_CHECK_EQUAL(pending(0), 1u);
  CAF_CHECK_EQUAL(total(0), before);
  CAF_CHECK_EQUAL(balance(0), 1'000'000u);
  unmute(2);
  unmute(3);
  let_time_pass(2);
  CAF_CHECK_EQUAL(pending(0), 0u);
  CAF_CHECK_EQUAL(balance(0), 999'960u);
  CAF_CHECK_EQUAL(balance(5), 40u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
}

CAF_TEST(conflicting_transactions_to_two_halves_are_never_both_certified) {
  auto a = test::pay_from_genesis(k, 1, 10);
  auto b = test::pay_from_genesis(k, 4, 10);
  size_t signed_a = 0, signed_b = 0;
  for (size_t v : {0, 1})
    signed_a += std::holds_alternative<signed_reply>(ask_validator(v, a));
  for (size_t v : {2, 3})
    signed_b += std::holds_alternative<signed_reply>(ask_validator(v, b));
  for (size_t v : {2, 3})
    signed_a += std::holds_alternative<signed_reply>(ask_validator(v, a));
  for (size_t v : {0, 1})
    signed_b += std::holds_alternative<signed_reply>(ask_validator(v, b));
  CAF_CHECK_EQUAL(signed_a, 2u);
  CAF_CHECK_EQUAL(signed_b, 2u);
  CAF_CHECK(signed_a < k.net.quorum() || signed_b < k.net.quorum());
}

CAF_TEST(payee_refuses_a_transfer_whose_certificate_does_not_verify) {
  auto req = test::pay_from_genesis(k, 4, 50);
  certified_transaction ct{req.tx, test::certify(k, req.tx)};
  auto forged = ct;
  forged.cert.sigs[0].sig.bytes[3] ^= 1;
  auto r = ask<ack_atom>(wallets[1], deliver_atom::value, encode(forged));
  CAF_REQUIRE(!r);
  CAF_CHECK_EQUAL(code_of(r.error()), ec::invalid_certificate);
  auto short_cert = ct;
  short_cert.cert.sigs.pop_back();
  CAF_CHECK(!ask<ack_atom>(wallets[1], deliver_atom::value, encode(short_cert)));
  auto other_net = ct;
  other_net.cert = test::certify(test::thesis_keys(55), req.tx);
  CAF_CHECK(!ask<ack_atom>(wallets[1], deliver_atom::value, encode(other_net)));
  bytes garbage{'\x01', '\x02'};
  CAF_CHECK_EQUAL(code_of(ask<ack_atom>(wallets[1], deliver_atom::value, garbage).error()),
                  ec::malformed_message);
  CAF_CHECK_EQUAL(balance(4), 0u);
  // The genuine certificate is accepted, and a second delivery changes nothing.
  CAF_CHECK(ask<ack_atom>(wallets[1], deliver_atom::value, encode(ct)));
  CAF_CHECK(ask<ack_atom>(wallets[1], deliver_atom::value, encode(ct)));
  CAF_CHECK_EQUAL(balance(4), 50u);
}

CAF_TEST(validators_and_payees_never_learn_the_wallets_own_address) {
  // Whoever receives a message can send to its sender: a Byzantine validator or payee that got
  // the wallet's address could send it `pay`. Requests and hand-offs go through gates.
  CAF_REQUIRE(pay(0, 4, 3));
  for (auto& proxy : proxies) {
    auto senders = ask<std::vector<caf::actor_addr>>(proxy, senders_atom::value);
    CAF_REQUIRE(senders);
    CAF_CHECK(!senders->empty());
    for (const auto& s : *senders) {
      CAF_CHECK(s != wallets[0].address());
      CAF_CHECK(s != wallets[1].address());
    }
  }
}

CAF_TEST(validator_whose_sync_fails_never_signs_and_is_correct_after_restart) {
  validator_faults[0]->fail_syncs = true;
  auto req = test::pay_from_genesis(k, 1, 10);
  auto first = ask_validator(0, req);
  CAF_REQUIRE(std::holds_alternative<rejected_reply>(first));
  CAF_CHECK_EQUAL(static_cast<ec>(std::get<rejected_reply>(first).code), ec::storage_fault);
  CAF_CHECK_GREATER(validator_faults[0]->injected.load(), 0u);
  // Faulted: it signs nothing more, not even a retry, until restarted.
  validator_faults[0]->fail_syncs = false;
  auto retry = ask_validator(0, req);
  CAF_CHECK(std::holds_alternative<rejected_reply>(retry));
  // Its node hears of the fault once, with the cause, however many requests it refuses.
  CAF_REQUIRE_EQUAL(validator_fault_reports[0].size(), 1u);
  CAF_CHECK(validator_fault_reports[0][0].find("injected fault") != std::string::npos);
  // Restart on the same directory (the disk works again): whatever reached the disk, it never
  // signs two transactions that spend the same output.
  caf::anon_send_exit(validators[0], caf::exit_reason::kill);
  sched.run();
  validators[0] = start_validator(0);
  auto conflicting = test::pay_from_genesis(k, 2, 10);
  size_t signed_count = std::holds_alternative<signed_reply>(ask_validator(0, req))
                        + std::holds_alternative<signed_reply>(ask_validator(0, conflicting));
  CAF_CHECK_EQUAL(signed_count, 1u);
}

CAF_TEST(f_byzantine_validators_cannot_fork_a_payment) {
  // a0's owner equivocates; v3 is Byzantine and signs both transactions.
  auto a = test::pay_from_genesis(k, 1, 10);
  auto b = test::pay_from_genesis(k, 4, 10);
  auto evil = byzantine(3, lie::signs_everything);
  std::vector<std::pair<uint16_t, sign_reply>> to_a, to_b;
  for (uint16_t v : {0, 1, 2})
    to_a.emplace_back(v, ask_validator(v, a));
  for (uint16_t v : {2, 1, 0})
    to_b.emplace_back(v, ask_validator(v, b));
  to_a.emplace_back(3, ask_actor(evil, a));
  to_b.emplace_back(3, ask_actor(evil, b));
  CAF_CHECK(certified_by(a, to_a));
  CAF_CHECK(!certified_by(b, to_b));
}

CAF_TEST(f_plus_one_byzantine_validators_can_fork_which_is_the_limit_of_the_protocol) {
  // Beyond the fault assumption nothing holds: two Byzantine validators and one honest one on each
  // side certify two conflicting transactions. (doc/guarantees.md.)
  auto a = test::pay_from_genesis(k, 1, 10);
  auto b = test::pay_from_genesis(k, 4, 10);
  auto evil2 = byzantine(2, lie::signs_everything);
  auto evil3 = byzantine(3, lie::signs_everything);
  std::vector<std::pair<uint16_t, sign_reply>> to_a{
    {0, ask_validator(0, a)}, {2, ask_actor(evil2, a)}, {3, ask_actor(evil3, a)}};
  std::vector<std::pair<uint16_t, sign_reply>> to_b{
    {1, ask_validator(1, b)}, {2, ask_actor(evil2, b)}, {3, ask_actor(evil3, b)}};
  CAF_CHECK(certified_by(a, to_a));
  CAF_CHECK(certified_by(b, to_b));
}

CAF_TEST(a_byzantine_validator_that_hits_back_at_its_sender_changes_nothing) {
  auto hit = std::make_shared<std::vector<caf::actor_addr>>();
  auto evil = sys.spawn(hits_back, proxies[0], hit);
  extra.push_back(evil);
  replace_for_w0({{0, evil}});
  for (uint64_t i = 1; i <= 3; ++i)
    CAF_REQUIRE(pay(0, 4, i));
  CAF_CHECK_EQUAL(balance(4), 6u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
  // What it hit was the wallet's gate to it, which dropped and counted every blow.
  CAF_REQUIRE(!hit->empty());
  for (const auto& h : *hit)
    CAF_CHECK(h != wallets[0].address());
  auto gate = caf::actor_cast<caf::actor>(hit->front());
  CAF_CHECK_EQUAL(gate_stats(gate).dropped_system, 3 * hit->size());
  CAF_CHECK_EQUAL(gate_stats(gate).dropped_other, 3 * hit->size());
}

namespace {

/// Validator 0 again, on its own directory, with its locks in `shards` lock shards.
caf::expected<caf::actor> sharded_validator(cluster_fixture& f, uint32_t shards) {
  validator_options vo;
  vo.net = f.k.net;
  vo.index = 0;
  vo.key = f.k.validators[0];
  vo.data_dir = f.dir / "sharded";
  vo.background_commit = false;
  vo.lock_shards = shards;
  return spawn_validator(f.sys, vo);
}

ec code_of_reply(const sign_reply& r) {
  if (auto rej = std::get_if<rejected_reply>(&r))
    return static_cast<ec>(rej->code);
  return ec::none;
}

/// a0 splits the genesis into eight outputs of 125,000, certified; `spend(outputs, to)` is a
/// request of a0 that spends those of them to address `to`.
auto eight_outputs_spent(cluster_fixture& f) {
  std::vector<output> eight(8, output{test::addr(f.k, 0), 125'000});
  auto split = test::make_request(f.k, 0, {test::genesis_output(f.k)}, eight);
  certified_transaction parent{split.tx, test::certify(f.k, split.tx)};
  auto parent_tx = tx_hash(split.tx);
  return [&f, parent, parent_tx](std::vector<uint32_t> outs, size_t to) {
    std::vector<output_ref> inputs;
    for (auto i : outs)
      inputs.push_back({parent_tx, i});
    return test::make_request(f.k, 0, inputs,
                              {{test::addr(f.k, to), amount{125'000 * outs.size()}}}, {parent});
  };
}

} // namespace

CAF_TEST(a_validator_with_lock_shards_signs_once_every_shard_holds_and_refuses_conflicts) {
  // a0 splits the genesis into eight outputs; its requests spend them across shards.
  auto spend = eight_outputs_spent(*this);
  auto v = sharded_validator(*this, 3);
  CAF_REQUIRE(v);
  auto six = spend({0, 1, 2, 3, 4, 5}, 1);
  auto shards_of_six = inputs_by_shard(six.tx.inputs, 3);
  CAF_REQUIRE_GREATER(shards_of_six.size(), 1u); // it spans shards
  auto first = ask_actor(*v, six);
  CAF_REQUIRE(std::holds_alternative<signed_reply>(first));
  auto again = ask_actor(*v, six); // a retry: the same share
  CAF_REQUIRE(std::holds_alternative<signed_reply>(again));
  CAF_CHECK(std::get<signed_reply>(again).sig == std::get<signed_reply>(first).sig);
  // Another transaction spending output 5 and the unspent 6: refused with the conflict, and its
  // reservation of 6 released, so that 6 alone can still be spent.
  auto conflicting = spend({5, 6}, 2);
  auto refused = ask_actor(*v, conflicting);
  CAF_REQUIRE_EQUAL(code_of_reply(refused), ec::conflict);
  CAF_REQUIRE_EQUAL(std::get<rejected_reply>(refused).conflicts.size(), 1u);
  CAF_CHECK(std::get<rejected_reply>(refused).conflicts[0].other_tx == tx_hash(six.tx));
  CAF_CHECK_EQUAL(code_of_reply(ask_actor(*v, spend({6}, 3))), ec::none);
  CAF_CHECK_EQUAL(code_of_reply(ask_actor(*v, spend({6, 7}, 2))), ec::conflict);
  // Killed and started again: with the same count it knows what it signed; with another count
  // it does not start (a shard would miss locks another holds).
  caf::anon_send_exit(*v, caf::exit_reason::kill);
  sched.run();
  for (uint32_t other : {1u, 2u, 4u}) {
    auto wrong = sharded_validator(*this, other);
    CAF_REQUIRE(!wrong);
    CAF_CHECK_EQUAL(code_of(wrong.error()), ec::invalid_config);
  }
  v = sharded_validator(*this, 3);
  CAF_REQUIRE(v);
  auto after = ask_actor(*v, six);
  CAF_REQUIRE(std::holds_alternative<signed_reply>(after));
  CAF_CHECK(std::get<signed_reply>(after).sig == std::get<signed_reply>(first).sig);
  CAF_CHECK_EQUAL(code_of_reply(ask_actor(*v, spend({0, 7}, 2))), ec::conflict);
  caf::anon_send_exit(*v, caf::exit_reason::kill);
  sched.run();
  // Each lock is in the store of its shard, none in the validator's own.
  auto home = validator_store::open(dir / "sharded", k.net.id, 0);
  CAF_REQUIRE(home);
  for (const auto& in : six.tx.inputs) {
    CAF_CHECK(!*(*home)->lock_of(in));
    auto shard = validator_store::open(dir / ("sharded/shard-" + std::to_string(shard_of(in, 3))),
                                       k.net.id, 0);
    CAF_REQUIRE(shard);
    CAF_CHECK(*(*shard)->lock_of(in) == tx_hash(six.tx));
  }
  CAF_CHECK(*(*home)->share_of(tx_hash(six.tx)));
}

CAF_TEST(conflicting_requests_racing_through_a_sharded_validator_are_never_both_signed) {
  auto spend = eight_outputs_spent(*this);
  auto v = sharded_validator(*this, 4);
  CAF_REQUIRE(v);
  // Pairs that share one output and spread over the shards, sent at once with a retry of each:
  // both rounds are under way together and the retries arrive during them (every interleaving
  // of the shards' answers is lock_shards_test's).
  size_t pairs = 0;
  for (auto [a, b] : std::vector<std::pair<std::vector<uint32_t>, std::vector<uint32_t>>>{
         {{0, 1, 2}, {2, 3, 4}}, {{5, 6}, {6, 7}}}) {
    auto x = spend(a, 1), y = spend(b, 2);
    std::vector<caf::response_handle<caf::blocking_actor, caf::message, true>> handles;
    for (const auto* req : {&x, &y, &x, &y})
      handles.push_back(self->request(*v, caf::infinite, sign_atom::value, encode(*req)));
    sched.run();
    std::vector<sign_reply> replies;
    for (auto& h : handles)
      h.receive(
        [&](reply_atom, const bytes& raw) {
          auto r = decode<sign_reply>(raw);
          CAF_REQUIRE(r);
          replies.push_back(*r);
        },
        [&](caf::error& err) { CAF_FAIL("no reply: " << describe(err)); });
    CAF_REQUIRE_EQUAL(replies.size(), 4u);
    bool x_signed = std::holds_alternative<signed_reply>(replies[0]);
    bool y_signed = std::holds_alternative<signed_reply>(replies[1]);
    CAF_CHECK(!(x_signed && y_signed));
    // A retry answered in the same round gets the same answer.
    CAF_CHECK_EQUAL(replies[2].index(), replies[0].index());
    CAF_CHECK_EQUAL(replies[3].index(), replies[1].index());
    // And asked again now, still at most one of them.
    auto later = std::holds_alternative<signed_reply>(ask_actor(*v, x))
                 + std::holds_alternative<signed_reply>(ask_actor(*v, y));
    CAF_CHECK_LESS_OR_EQUAL(later, 1);
    ++pairs;
  }
  CAF_CHECK_EQUAL(pairs, 2u);
}

CAF_TEST(a_batch_of_sign_requests_is_answered_in_its_order_as_each_alone_would_be) {
  auto spend = eight_outputs_spent(*this);
  auto x = spend({0, 1}, 1), y = spend({1, 2}, 2), z = spend({3}, 3); // x and y share output 1
  bytes junk{'j', 'u', 'n', 'k'};
  auto ask_batch = [&](const bytes& raw) {
    caf::expected<reply_batch> out{caf::sec::unexpected_message};
    auto rh = self->request(validators[0], caf::infinite, signs_atom::value, raw);
    sched.run();
    rh.receive(
      [&](replies_atom, const bytes& r) {
        auto got = decode_reply_batch(r.data(), r.size());
        if (got)
          out = std::move(*got);
        else
          out = got.error();
      },
      [&](caf::error& err) { out = err; });
    return out;
  };
  auto got = ask_batch(encode_sign_batch({{encode(x), junk, encode(y), encode(z)}}));
  CAF_REQUIRE(got);
  CAF_REQUIRE_EQUAL(got->replies.size(), 4u);
  std::vector<sign_reply> replies;
  for (const auto& raw : got->replies) {
    auto r = decode<sign_reply>(raw);
    CAF_REQUIRE(r);
    replies.push_back(*r);
  }
  CAF_CHECK_EQUAL(code_of_reply(replies[1]), ec::malformed_message);
  // Of the two that share an input, one is signed and the other refused with the conflict.
  CAF_CHECK_EQUAL(std::holds_alternative<signed_reply>(replies[0])
                    + std::holds_alternative<signed_reply>(replies[2]),
                  1);
  CAF_CHECK_EQUAL(
    code_of_reply(replies[0]) == ec::conflict || code_of_reply(replies[2]) == ec::conflict, true);
  CAF_REQUIRE(std::holds_alternative<signed_reply>(replies[3]));
  CAF_CHECK(std::get<signed_reply>(replies[3]).tx_hash == tx_hash(z.tx));
  // Asked alone afterwards, each gets what the batch gave it.
  auto signed_one = std::holds_alternative<signed_reply>(replies[0]) ? x : y;
  auto first = std::holds_alternative<signed_reply>(replies[0]) ? replies[0] : replies[2];
  auto alone = ask_actor(validators[0], signed_one);
  CAF_REQUIRE(std::holds_alternative<signed_reply>(alone));
  CAF_CHECK(std::get<signed_reply>(alone).sig == std::get<signed_reply>(first).sig);
  auto z_alone = ask_actor(validators[0], z);
  CAF_REQUIRE(std::holds_alternative<signed_reply>(z_alone));
  CAF_CHECK(std::get<signed_reply>(z_alone).sig == std::get<signed_reply>(replies[3]).sig);
  // A batch that is not one — junk, none, or more than the limit — is refused whole.
  sign_batch too_many;
  too_many.requests.assign(acfts::limits::max_sign_batch + 1, encode(z));
  for (const auto& bad : {junk, encode_sign_batch(sign_batch{}), encode_sign_batch(too_many)}) {
    auto refused = ask_batch(bad);
    CAF_REQUIRE(!refused);
    CAF_CHECK_EQUAL(code_of(refused.error()), ec::malformed_message);
  }
}

CAF_TEST(a_wallet_whose_batch_a_validator_drops_asks_it_again_alone) {
  CAF_REQUIRE(pay(0, 1, 100)); // a1 can pay beside a0
  // The ports of validators older than batches: (sign, bytes) and nothing else.
  std::vector<caf::actor> older;
  for (auto& v : validators)
    older.push_back(make_gate(sys, v,
                              gate_rules{"older validator port",
                                         [](const caf::type_erased_tuple& x) {
                                           return x.match_elements<sign_atom, bytes>();
                                         },
                                         nullptr}));
  caf::anon_send_exit(wallets[0], caf::exit_reason::user_shutdown);
  sched.run();
  wallets[0] = start_wallet(0, older);
  connect_peers();
  // Two payments at once: their requests reach each validator in one batch, which it drops.
  auto first = self->request(wallets[0], caf::infinite,
                             control::pay{test::addr(k, 0), test::addr(k, 4), 10, {}});
  auto second = self->request(wallets[0], caf::infinite,
                              control::pay{test::addr(k, 1), test::addr(k, 5), 20, {}});
  sched.run();
  for (auto& g : older)
    CAF_CHECK_EQUAL(gate_stats(g).dropped_other, 1u);
  CAF_CHECK_EQUAL(pending(0), 2u);
  CAF_CHECK_EQUAL(balance(4), 0u);
  // Asked again on the next tick, each request goes alone, and both payments end.
  let_time_pass(2);
  CAF_CHECK_EQUAL(pending(0), 0u);
  CAF_CHECK_EQUAL(balance(4), 10u);
  CAF_CHECK_EQUAL(balance(5), 20u);
  CAF_CHECK_EQUAL(balance(1), 80u);
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
  static_cast<void>(first);
  static_cast<void>(second);
  caf::anon_send_exit(wallets[0], caf::exit_reason::user_shutdown);
  sched.run();
  for (auto& g : older)
    close_gate(g);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
