// The gate (actors/gate.hpp) under CAF's deterministic test coordinator: it passes on its port's
// wire messages and relays the answers, and drops and counts everything else — system messages
// first of all, which would terminate any scheduled actor — without ever passing them inward.
#define CAF_SUITE gate
#include <caf/test/dsl.hpp>

#include <caf/test/unit_test_impl.hpp>

#include <caf/forwarding_actor_proxy.hpp>

#include "actors/atoms.hpp"
#include "actors/embedded_cluster.hpp"
#include "actors/gate.hpp"
#include "messages/control.hpp"
#include "actors/payee_gates.hpp"
#include "actors/wallet_actor.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"

using namespace acfts;

namespace {

using seen_atom = caf::atom_constant<caf::atom("seen")>;

struct inner_state {
  /// Every message the inner actor received, rendered.
  std::vector<std::string> seen;
  std::vector<caf::actor_addr> senders;
  static inline const char* name = "test.inner";
};

/// What a gate guards: answers `sign` with (reply, bytes) — or with junk when asked to — and
/// records everything it receives, system messages included.
caf::behavior inner(caf::stateful_actor<inner_state>* self, bool junk_answers, bool silent) {
  self->set_default_handler(
    [=](caf::scheduled_actor*, caf::message_view& x) -> caf::result<caf::message> {
      self->state.seen.push_back(caf::to_string(x.content()));
      return caf::message{};
    });
  self->set_exit_handler([=](const caf::exit_msg& x) {
    self->state.seen.push_back("exit " + caf::to_string(x.reason));
  });
  self->set_down_handler([=](const caf::down_msg&) { self->state.seen.push_back("down"); });
  self->set_error_handler([=](const caf::error&) { self->state.seen.push_back("error"); });
  return {
    [=](sign_atom, const bytes& req) -> caf::result<caf::message> {
      self->state.seen.push_back("sign");
      self->state.senders.push_back(caf::actor_cast<caf::actor_addr>(self->current_sender()));
      if (silent)
        return self->make_response_promise();
      if (junk_answers)
        return caf::make_message(caf::atom("junk"), req);
      return caf::make_message(reply_atom::value, req);
    },
    [=](signs_atom, const bytes& batch) -> caf::result<caf::message> {
      self->state.seen.push_back("signs");
      return caf::make_message(replies_atom::value, batch);
    },
    [=](seen_atom) { return self->state.seen; },
  };
}

struct acfts_config : caf::actor_system_config {
  acfts_config() { configure(*this); }
};

struct fixture : test_coordinator_fixture<acfts_config> {
  caf::actor guarded;
  caf::actor gate;

  void make(gate_rules rules, bool junk_answers = false, bool silent = false,
            size_t max_open = 16384) {
    guarded = sys.spawn(inner, junk_answers, silent);
    gate = make_gate(sys, guarded, std::move(rules), max_open);
    sched.run();
  }

  ~fixture() override {
    close_gate(gate);
    caf::anon_send_exit(guarded, caf::exit_reason::user_shutdown);
    sched.run();
  }

  std::vector<std::string> seen() {
    std::vector<std::string> out;
    auto rh = self->request(guarded, caf::infinite, seen_atom::value);
    sched.run();
    rh.receive([&](std::vector<std::string>& x) { out = std::move(x); }, [](caf::error&) {});
    return out;
  }

  /// Asks the gate to sign `payload`; the answer, or the error.
  caf::expected<bytes> sign(const bytes& payload) {
    auto rh = self->request(gate, caf::infinite, sign_atom::value, payload);
    sched.run();
    caf::expected<bytes> out{caf::sec::unexpected_message};
    rh.receive([&](reply_atom, bytes& x) { out = std::move(x); },
               [&](caf::error& err) { out = std::move(err); });
    return out;
  }
};

const bytes payload{'a', 'b', 'c'};

} // namespace

CAF_TEST_FIXTURE_SCOPE(gate_tests, fixture)

CAF_TEST(gate_passes_its_wire_message_and_relays_the_answer_in_its_own_name) {
  make(validator_port_rules());
  auto answer = sign(payload);
  CAF_REQUIRE(answer);
  CAF_CHECK_EQUAL(*answer, payload);
  CAF_CHECK_EQUAL(gate_stats(gate).passed, 1u);
  CAF_CHECK_EQUAL(gate_stats(gate).answered, 1u);
  // The guarded actor saw only the gate, never the one who asked.
  auto st = caf::actor_cast<caf::stateful_actor<inner_state>*>(guarded);
  CAF_REQUIRE_EQUAL(st->state.senders.size(), 1u);
  CAF_CHECK(st->state.senders[0] == gate.address());
  CAF_CHECK(st->state.senders[0] != self->address());
}

CAF_TEST(a_validator_port_and_its_courier_pass_a_batch_of_sign_requests_and_its_answer) {
  for (auto rules : {validator_port_rules(), courier_to_validator_rules("v0")}) {
    make(rules);
    auto rh = self->request(gate, caf::infinite, signs_atom::value, payload);
    sched.run();
    bool answered = false;
    rh.receive(
      [&](replies_atom, const bytes& x) {
        answered = true;
        CAF_CHECK_EQUAL(x, payload);
      },
      [&](caf::error& err) { CAF_FAIL("no answer: " << describe(err)); });
    CAF_CHECK(answered);
    CAF_CHECK_EQUAL(gate_stats(gate).answered, 1u);
    // The batch atom without its bytes, or with anything else, is another shape.
    caf::anon_send(gate, signs_atom::value);
    caf::anon_send(gate, signs_atom::value, std::string("not bytes"));
    caf::anon_send(gate, replies_atom::value, payload); // an answer's shape is not a request
    sched.run();
    CAF_CHECK_EQUAL(gate_stats(gate).dropped_other, 3u);
    close_gate(gate);
    caf::anon_send_exit(guarded, caf::exit_reason::user_shutdown);
    sched.run();
  }
}

CAF_TEST(gate_drops_and_counts_every_system_message_and_survives_them) {
  make(validator_port_rules());
  using er = caf::exit_reason;
  for (auto reason : {er::normal, er::unhandled_exception, er::unknown, er::out_of_workers,
                      er::user_shutdown, er::remote_link_unreachable, er::unreachable, er::kill})
    caf::anon_send_exit(gate, reason);
  caf::anon_send(gate, caf::down_msg{self->address(), er::kill});
  caf::anon_send(gate, caf::make_error(caf::sec::runtime_error));
  caf::anon_send(gate, caf::error{});
  sched.run();
  auto counters = gate_stats(gate);
  CAF_CHECK_EQUAL(counters.dropped_system, 11u);
  CAF_CHECK_EQUAL(counters.passed, 0u);
  CAF_CHECK(seen().empty()); // nothing reached the guarded actor
  CAF_CHECK(sign(payload));  // and the gate still works
}

CAF_TEST(gate_drops_and_counts_messages_of_any_other_shape) {
  make(validator_port_rules());
  caf::anon_send(gate, caf::atom("committed"), payload, caf::error{});
  caf::anon_send(gate, caf::atom("flush"));
  caf::anon_send(gate, caf::atom("check"), payload);
  caf::anon_send(gate, seen_atom::value);
  caf::anon_send(gate, sign_atom::value); // the wire atom without its bytes
  caf::anon_send(gate, sign_atom::value, std::string("not bytes"));
  caf::anon_send(gate, deliver_atom::value, payload); // another port's message
  caf::anon_send(gate, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
  sched.run();
  CAF_CHECK_EQUAL(gate_stats(gate).dropped_other, 8u);
  CAF_CHECK_EQUAL(gate_stats(gate).passed, 0u);
  CAF_CHECK(seen().empty());
}

CAF_TEST(gate_drops_answers_to_no_open_request) {
  make(validator_port_rules(), false, true); // the guarded actor never answers
  auto rh = self->request(gate, caf::infinite, sign_atom::value, payload);
  sched.run();
  // A peer forges answers with guessed ids: none reaches the one who asked.
  for (uint64_t id = 1; id < 100; ++id)
    gate->enqueue(caf::make_mailbox_element(nullptr, caf::make_message_id(id).response_id(), {},
                                            reply_atom::value, bytes{'x'}),
                  nullptr);
  sched.run();
  CAF_CHECK_EQUAL(gate_stats(gate).dropped_answers, 99u);
  CAF_CHECK_EQUAL(gate_stats(gate).answered, 0u);
  CAF_CHECK(self->mailbox().empty()); // nothing reached the one who asked
  static_cast<void>(rh);
}

CAF_TEST(gate_turns_answers_of_an_unexpected_shape_into_an_error) {
  make(courier_to_validator_rules("v0"), true);
  auto answer = sign(payload);
  CAF_REQUIRE(!answer);
  CAF_CHECK_EQUAL(code_of(answer.error()), ec::malformed_message);
  CAF_CHECK_EQUAL(gate_stats(gate).bad_answers, 1u);
}

CAF_TEST(gate_forgets_its_oldest_open_request_beyond_its_bound) {
  make(validator_port_rules(), false, true, 2);
  for (int i = 0; i < 5; ++i)
    self->send(gate, sign_atom::value, payload);
  sched.run();
  CAF_CHECK_EQUAL(gate_stats(gate).passed, 5u);
  CAF_CHECK_EQUAL(gate_stats(gate).evicted, 3u);
}

CAF_TEST(a_request_the_gate_gives_up_is_answered_with_a_timeout_so_no_asker_waits_for_ever) {
  // The wallet asks its validators without a timeout of its own: the gate's bound must reach it.
  make(validator_port_rules(), false, true, 2);
  // What an asker saw: answers to its requests, and errors outside any response.
  struct seen_by_asker {
    std::vector<caf::error> answers;
    size_t stray_errors = 0;
  };
  auto seen_here = std::make_shared<seen_by_asker>();
  // Five requests, or (`one_way`) five one-way messages, from an event-based actor as a wallet.
  auto ask = [&](bool one_way) {
    return sys.spawn(
      [](caf::event_based_actor* asker, caf::actor g, std::shared_ptr<seen_by_asker> out,
         bool one_way) -> caf::behavior {
        asker->set_error_handler([out](caf::error&) { ++out->stray_errors; });
        for (int i = 0; i < 5; ++i) {
          if (one_way) {
            asker->send(g, sign_atom::value, payload);
            continue;
          }
          asker->request(g, caf::infinite, sign_atom::value, payload)
            .then([out](reply_atom, const bytes&) { out->answers.emplace_back(); },
                  [out](caf::error& err) { out->answers.push_back(std::move(err)); });
        }
        return {[](caf::unit_t) {}};
      },
      gate, seen_here, one_way);
  };
  auto asker = ask(false);
  sched.run();
  // The three oldest were evicted and answered; the two newest still wait on the silent actor.
  CAF_REQUIRE_EQUAL(seen_here->answers.size(), 3u);
  for (const auto& err : seen_here->answers) {
    CAF_CHECK_EQUAL(code_of(err), ec::timeout);
    CAF_CHECK(describe(err).find("too many requests") != std::string::npos);
  }
  close_gate(gate);
  sched.run();
  CAF_REQUIRE_EQUAL(seen_here->answers.size(), 5u);
  CAF_CHECK_EQUAL(code_of(seen_here->answers[4]), ec::timeout);
  CAF_CHECK(describe(seen_here->answers[4]).find("closed before the answer") != std::string::npos);
  CAF_CHECK_EQUAL(gate_stats(gate).evicted, 3u);
  // One-way messages evicted or open at close get no error: in a scheduled actor's mailbox an
  // error outside a response would run its error handler (by default: quit).
  caf::anon_send_exit(guarded, caf::exit_reason::user_shutdown);
  make(validator_port_rules(), false, true, 1);
  auto sender = ask(true);
  sched.run();
  close_gate(gate);
  sched.run();
  CAF_CHECK_EQUAL(gate_stats(gate).evicted, 4u);
  CAF_CHECK_EQUAL(seen_here->stray_errors, 0u);
  CAF_CHECK_EQUAL(seen_here->answers.size(), 5u);
  for (const auto& a : {asker, sender})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST(closed_gate_drops_everything_and_lets_go_of_its_inner_actor) {
  make(validator_port_rules());
  close_gate(gate);
  close_gate(gate);
  self->send(gate, sign_atom::value, payload);
  sched.run();
  CAF_CHECK_EQUAL(gate_stats(gate).after_close, 1u);
  CAF_CHECK(seen().empty());
}

CAF_TEST(control_port_passes_only_one_shape_the_token_and_an_encoded_request) {
  make(control_port_rules());
  auto request = encode_control(control_request{control::total{}});
  caf::anon_send(gate, control_atom::value, std::string("tok"), request);
  caf::anon_send(gate, control_atom::value, std::string("tok"), bytes{'x'}); // judged inside
  // No token, no bytes, a token of the wrong type, the request as an in-process value.
  caf::anon_send(gate, control_atom::value, request);
  caf::anon_send(gate, control_atom::value, std::string("tok"));
  caf::anon_send(gate, control_atom::value, uint64_t{1}, request);
  caf::anon_send(gate, control::total{});
  // The shapes of earlier versions and the wallet's in-process messages never pass.
  caf::anon_send(gate, caf::atom("pay"), std::string("tok"), std::string("a"), std::string("b"),
                 uint64_t{1});
  caf::anon_send(gate, caf::atom("balance"), std::string("tok"), std::string("a"));
  caf::anon_send(gate, addresses_atom::value);
  caf::anon_send(gate, addresses_atom::value, wallet_addresses{});
  caf::anon_send(gate, deliver_atom::value, request);
  sched.run();
  CAF_CHECK_EQUAL(gate_stats(gate).passed, 2u);
  CAF_CHECK_EQUAL(gate_stats(gate).dropped_other, 9u);
  CAF_CHECK_EQUAL(seen().size(), 2u);
}

/// A stand-in for CAF's BASP broker, one per link: a remote actor's proxy forwards every message
/// to the broker of its link (messages, and the monitor a gate puts on it). Counts what it got.
/// (`link` only names it: CAF 0.17 binds a null reference when a function actor takes no
/// arguments, which UBSan reports.)
caf::behavior link_backend(caf::stateful_actor<size_t>* self, const std::string& link) {
  CAF_MESSAGE("link " << link);
  self->set_default_handler([=](caf::scheduled_actor*, caf::message_view&) {
    ++self->state;
    return caf::message{};
  });
  return {[](seen_atom) {}};
}

CAF_TEST(a_payee_wallet_reached_again_gets_a_new_gate_not_the_dead_proxy_of_the_lost_link) {
  // Two proxies of one remote wallet (the same node and actor id), as CAF makes them for one link
  // and, once it dropped, for the next: equal as handles, different objects.
  auto lost_link = sys.spawn(link_backend, std::string{"lost"});
  auto new_link = sys.spawn(link_backend, std::string{"new"});
  auto remote = caf::make_node_id(4242, caf::node_id::default_data::host_id_type{{7}});
  caf::actor_config cfg;
  auto proxy = [&](const caf::actor& link) {
    return caf::actor_cast<caf::actor>(
      caf::make_actor<caf::forwarding_actor_proxy, caf::strong_actor_ptr>(99, remote, &sys, cfg,
                                                                          link));
  };
  auto lost = proxy(lost_link);
  auto again = proxy(new_link);
  CAF_REQUIRE(lost == again);
  CAF_REQUIRE(caf::actor_cast<caf::strong_actor_ptr>(lost).get()
              != caf::actor_cast<caf::strong_actor_ptr>(again).get());
  auto got = [&](const caf::actor& link) {
    return caf::actor_cast<caf::stateful_actor<size_t>*>(link)->state;
  };
  address payee, other;
  payee.bytes[0] = 1;
  other.bytes[0] = 2;
  {
    payee_gates gates{sys};
    gates.route(payee, lost);
    gates.route(other, lost);
    auto first = gates.to(payee);
    sched.run();
    auto before = got(lost_link);
    self->request(first, caf::infinite, deliver_atom::value, payload);
    sched.run();
    CAF_CHECK_EQUAL(got(lost_link), before + 1);
    // The link came back: the new proxy gets a gate of its own, for every payee of that wallet.
    gates.route(payee, again);
    CAF_CHECK(gates.to(payee) != first);
    CAF_CHECK(gates.to(other) == gates.to(payee));
    sched.run();
    auto lost_before = got(lost_link), new_before = got(new_link);
    self->request(gates.to(other), caf::infinite, deliver_atom::value, payload);
    sched.run();
    CAF_CHECK_EQUAL(got(lost_link), lost_before); // nothing more into the dead proxy
    CAF_CHECK_EQUAL(got(new_link), new_before + 1);
    // The same object again changes nothing.
    auto second = gates.to(payee);
    gates.route(payee, again);
    CAF_CHECK(gates.to(payee) == second);
  }
  for (const auto& link : {lost_link, new_link})
    caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
  sched.run();
}

CAF_TEST_FIXTURE_SCOPE_END()
