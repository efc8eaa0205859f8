// The payment flow through real actors under CAF's deterministic test coordinator: validators
// (real LevelDB, inline commit), wallets with address actors, and a proxy in front of each
// validator that can make it silent (the fault under test). Time is virtual: a timeout happens
// only when a test triggers it.
#define CAF_SUITE actors
#include <caf/test/dsl.hpp>

#include <map>
#include <caf/test/unit_test_impl.hpp>

#include "actors/atoms.hpp"
#include "actors/embedded_cluster.hpp"
#include "actors/gate.hpp"
#include "actors/local_types.hpp"
#include "actors/validator_actor.hpp"
#include "actors/wallet_actor.hpp"
#include "crypto/hashing.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "protocol/payment.hpp"
#include "protocol/rules.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

using mute_atom = caf::atom_constant<caf::atom("mute")>;
using unmute_atom = caf::atom_constant<caf::atom("unmute")>;
using senders_atom = caf::atom_constant<caf::atom("senders")>;

struct proxy_state {
  bool muted = false;
  /// Requests swallowed while muted (never answered).
  std::vector<caf::response_promise> swallowed;
  /// Who sent each request: what a (possibly Byzantine) validator learns about its clients.
  std::vector<caf::actor_addr> senders;
  static inline const char* name = "test.silent_proxy";
};

/// Forwards requests to a validator, or swallows them while muted: a silent validator.
caf::behavior silent_proxy(caf::stateful_actor<proxy_state>* self, caf::actor validator) {
  return {
    [=](sign_atom a, const bytes& req) {
      self->state.senders.push_back(caf::actor_cast<caf::actor_addr>(self->current_sender()));
      if (self->state.muted)
        self->state.swallowed.push_back(self->make_response_promise());
      else
        self->delegate(validator, a, req);
    },
    [=](mute_atom) { self->state.muted = true; },
    [=](unmute_atom) { self->state.muted = false; },
    [=](senders_atom) { return self->state.senders; },
  };
}

/// How a Byzantine validator misbehaves.
enum class lie { signs_everything, answers_garbage, forges_signatures, answers_late };

using late_atom = caf::atom_constant<caf::atom("late")>;

/// A validator under an attacker's control: it holds a committee member's real key but follows
/// no rule (no checks, no locks).
caf::behavior byzantine_validator(caf::event_based_actor* self, network net, uint16_t index,
                                  key_pair_ptr key, lie mode) {
  // Answers held back by a late validator, by id.
  auto held = std::make_shared<std::map<uint64_t, std::pair<caf::response_promise, bytes>>>();
  return {
    [=](late_atom, uint64_t id) {
      auto i = held->find(id);
      if (i != held->end()) {
        i->second.first.deliver(reply_atom::value, i->second.second);
        held->erase(i);
      }
    },
    [=](sign_atom, const bytes& raw) -> caf::result<reply_atom, bytes> {
      auto req = decode<sign_request>(raw);
      auto tx = req ? tx_hash(req->tx) : hash32{};
      switch (mode) {
        case lie::answers_late: {
          // A valid signature, but a minute late: long after the wallet gave up on this request.
          auto rp = self->make_response_promise();
          auto id = static_cast<uint64_t>(held->size()) + 1;
          held->emplace(id,
                        std::make_pair(rp, encode(sign_reply{signed_reply{
                                             index, tx, sign_certificate_share(*key, net, tx)}})));
          self->delayed_send(self, std::chrono::minutes(1), late_atom::value, id);
          return rp;
        }
        case lie::signs_everything:
          return {
            reply_atom::value,
            encode(sign_reply{signed_reply{index, tx, sign_certificate_share(*key, net, tx)}})};
        case lie::answers_garbage:
          return {reply_atom::value, bytes{'\x92', '\x00', '\xc1', 'x'}};
        case lie::forges_signatures: {
          hash32 other;
          other.bytes.fill(0x5a);
          return {
            reply_atom::value,
            encode(sign_reply{signed_reply{index, tx, sign_certificate_share(*key, net, other)}})};
        }
      }
      return {reply_atom::value, bytes{}};
    },
  };
}

/// A validator or payee under an attacker's control that hits back at whoever talks to it —
/// exit_msg{kill}, a bare error, a down_msg, `pay` and the wallet's internal atoms — and then
/// passes the message on to `honest` (so that payments still work through it). Records whom it
/// hit.
caf::behavior hits_back(caf::event_based_actor* self, caf::actor honest,
                        std::shared_ptr<std::vector<caf::actor_addr>> hit) {
  auto strike = [=] {
    auto sender = caf::actor_cast<caf::actor>(self->current_sender());
    hit->push_back(sender.address());
    self->send_exit(sender, caf::exit_reason::kill);
    self->send(sender, caf::make_error(caf::sec::runtime_error));
    self->send(sender, caf::down_msg{self->address(), caf::exit_reason::kill});
    self->send(sender, caf::atom("pay"), std::string(64, '0'), std::string(64, '1'), amount{1});
    self->send(sender, caf::atom("flush"));
    self->send(sender, caf::atom("retry"));
  };
  return {
    [=](sign_atom a, const bytes& b) {
      strike();
      self->delegate(honest, a, b);
    },
    [=](deliver_atom a, const bytes& b) {
      strike();
      self->delegate(honest, a, b);
    },
    [=](deliver_atom a, const bytes& b, const bytes& payee) {
      strike();
      self->delegate(honest, a, b, payee);
    },
  };
}

struct acfts_config : caf::actor_system_config {
  acfts_config() { configure(*this); }
};

struct cluster_fixture : test_coordinator_fixture<acfts_config> {
  test::temp_dir dir;
  cluster_keys k = test::thesis_keys();
  std::vector<caf::actor> validators;
  std::vector<caf::actor> proxies;
  std::vector<caf::actor> wallets;
  std::vector<caf::actor> extra;
  /// What each validator and wallet reported through `on_fault` (what its node logs).
  std::map<size_t, std::vector<std::string>> validator_fault_reports, wallet_fault_reports;
  /// One fault switch per validator and per wallet store.
  std::vector<storage_faults_ptr> validator_faults;
  std::vector<storage_faults_ptr> wallet_faults{std::make_shared<storage_faults>(),
                                                std::make_shared<storage_faults>()};

  caf::actor start_validator(uint16_t i) {
    validator_options vo;
    vo.net = k.net;
    vo.index = i;
    vo.key = k.validators[i];
    vo.data_dir = dir / ("v" + std::to_string(i));
    vo.background_commit = false;
    vo.faults = validator_faults[i];
    vo.on_fault = [this, i](const caf::error& cause) {
      validator_fault_reports[i].push_back(describe(cause));
    };
    auto v = spawn_validator(sys, vo);
    if (!v)
      CAF_FAIL("cannot start validator: " << describe(v.error()));
    return *v;
  }

  cluster_fixture() {
    for (uint16_t i = 0; i < k.net.size(); ++i) {
      validator_faults.push_back(std::make_shared<storage_faults>());
      validators.push_back(start_validator(i));
      proxies.push_back(sys.spawn(silent_proxy, validators.back()));
    }
    for (size_t w = 0; w < 2; ++w)
      wallets.push_back(start_wallet(w));
    connect_peers();
  }

  ~cluster_fixture() override {
    // Wallets know each other (peer handles form cycles): stop every actor explicitly.
    for (auto* group : {&wallets, &proxies, &validators, &extra})
      for (auto& h : *group)
        caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
    sched.run();
  }

  caf::actor start_wallet(size_t w, std::vector<caf::actor> committee = {}) {
    wallet_options wo;
    wo.net = k.net;
    wo.name = "w" + std::to_string(w);
    wo.data_dir = dir / ("w" + std::to_string(w));
    wo.keys = k.wallets[w];
    wo.validators = committee.empty() ? proxies : committee;
    wo.retry_interval = std::chrono::seconds(1);
    wo.faults = wallet_faults[w];
    wo.on_fault = [this, w](const caf::error& cause) {
      wallet_fault_reports[w].push_back(describe(cause));
    };
    auto h = spawn_wallet(sys, wo);
    if (!h)
      CAF_FAIL("cannot start wallet: " << describe(h.error()));
    sched.run();
    return *h;
  }

  void connect_peers() {
    for (size_t w = 0; w < wallets.size(); ++w)
      for (size_t a = 0; a < 8; ++a)
        if (a / 4 != w)
          caf::anon_send(wallets[w], peer_atom::value, test::addr(k, a), wallets[a / 4]);
    sched.run();
  }

  /// Sends a request, lets every actor run (no timeouts), and returns the answer.
  template <class T, class... Ts>
  caf::expected<T> ask(const caf::actor& dest, Ts&&... xs) {
    auto rh = self->request(dest, caf::infinite, std::forward<Ts>(xs)...);
    sched.run();
    caf::expected<T> result{caf::sec::unexpected_message};
    rh.receive([&](T& x) { result = std::move(x); }, [&](caf::error& err) { result = err; });
    return result;
  }

  /// Starts a payment without waiting for its answer (which may never come).
  auto start_pay(size_t from, size_t to, amount value) {
    auto rh = self->request(wallets[from / 4], caf::infinite,
                            control::pay{test::addr(k, from), test::addr(k, to), value, {}});
    sched.run();
    return rh;
  }

  /// Pays and waits until final.
  caf::expected<hash32> pay(size_t from, size_t to, amount value) {
    return pay_with(wallets[from / 4], test::addr(k, from), test::addr(k, to), value);
  }

  /// Pays from any wallet and waits until final: `pay`, then `await` (as every client does).
  caf::expected<hash32> pay_with(const caf::actor& w, const address& from, const address& to,
                                 amount value) {
    auto tx = ask<hash32>(w, control::pay{from, to, value, {}});
    if (!tx)
      return tx;
    return ask<hash32>(w, control::await{*tx});
  }

  amount balance(size_t a) {
    auto b = ask<amount>(wallets[a / 4], control::balance{test::addr(k, a)});
    if (!b)
      CAF_FAIL("balance: " << describe(b.error()));
    return *b;
  }

  amount total(size_t w) { return *ask<amount>(wallets[w], control::total{}); }

  /// What both wallets hold.
  amount supply() {
    auto sum = checked_add(total(0), total(1));
    CAF_REQUIRE(sum);
    return *sum;
  }

  uint64_t pending(size_t w) { return *ask<uint64_t>(wallets[w], pending_atom::value); }

  void mute(size_t v) {
    caf::anon_send(proxies[v], mute_atom::value);
    sched.run();
  }

  void unmute(size_t v) {
    caf::anon_send(proxies[v], unmute_atom::value);
    sched.run();
  }

  /// Lets virtual time pass: every pending timeout fires once, then actors run.
  void let_time_pass(int rounds = 1) {
    for (int i = 0; i < rounds; ++i) {
      sched.trigger_timeouts();
      sched.run();
    }
  }

  /// A Byzantine stand-in for validator `i`.
  caf::actor byzantine(uint16_t i, lie mode) {
    auto b = sys.spawn(byzantine_validator, k.net, i, k.validators[i], mode);
    extra.push_back(b);
    return b;
  }

  /// Restarts wallet w0 with validator `i` replaced by `v`.
  void replace_for_w0(const std::vector<std::pair<uint16_t, caf::actor>>& replaced) {
    auto committee = proxies;
    for (const auto& [i, v] : replaced)
      committee[i] = v;
    caf::anon_send_exit(wallets[0], caf::exit_reason::kill);
    sched.run();
    wallets[0] = start_wallet(0, committee);
    connect_peers();
  }

  /// Whether `replies` (validator index → reply) hold a quorum of valid signatures for `req`.
  bool certified_by(const sign_request& req,
                    const std::vector<std::pair<uint16_t, sign_reply>>& replies) {
    quorum_collector q{k.net, tx_hash(req.tx)};
    for (const auto& [i, r] : replies)
      q.add(i, r);
    return q.current() == quorum_collector::state::certified;
  }

  /// The reply an actor standing for validator `v` gives a raw request.
  sign_reply ask_validator(size_t v, const sign_request& req) {
    return ask_actor(validators[v], req);
  }

  sign_reply ask_actor(const caf::actor& v, const sign_request& req) {
    caf::expected<sign_reply> out{caf::sec::unexpected_message};
    auto rh = self->request(v, caf::infinite, sign_atom::value, encode(req));
    sched.run();
    rh.receive(
      [&](reply_atom, const bytes& raw) {
        auto r = decode<sign_reply>(raw);
        if (r)
          out = *r;
        else
          out = r.error();
      },
      [&](caf::error& err) { out = err; });
    if (!out)
      CAF_FAIL("validator: " << describe(out.error()));
    return *out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(actor_payments, cluster_fixture)

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

CAF_TEST(pay_refuses_unknown_address_zero_and_overdraft) {
  auto foreign = pay(4, 1, 1); // a4 has nothing yet
  CAF_CHECK_EQUAL(code_of(foreign.error()), ec::insufficient_funds);
  auto r = pay_with(wallets[0], test::addr(k, 4), test::addr(k, 1), 1);
  CAF_CHECK_EQUAL(code_of(r.error()), ec::unknown_address);
  CAF_CHECK_EQUAL(code_of(pay(0, 1, 0).error()), ec::zero_payment);
  CAF_CHECK_EQUAL(code_of(pay(0, 1, 1'000'001).error()), ec::insufficient_funds);
  CAF_CHECK_EQUAL(balance(0), 1'000'000u);
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
    auto stats = ask<wallet_core::counters>(wallets[0], stats_atom::value);
    CAF_REQUIRE(stats);
    bool drops_expected = mode == lie::answers_garbage || mode == lie::forges_signatures;
    CAF_CHECK_EQUAL(stats->dropped > 0, drops_expected);
  }
  CAF_CHECK_EQUAL(supply(), 1'000'000u);
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

CAF_TEST(a_byzantine_payee_that_hits_back_at_its_sender_changes_nothing) {
  auto hit = std::make_shared<std::vector<caf::actor_addr>>();
  auto evil = sys.spawn(hits_back, wallets[1], hit);
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
  extra.push_back(*w2);
  sched.run();
  caf::anon_send(wallets[0], peer_atom::value, shared, *w2);
  caf::anon_send(*w2, peer_atom::value, test::addr(k, 4), wallets[1]);
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
