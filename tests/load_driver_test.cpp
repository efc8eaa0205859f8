// The benchmark's load driver (bench/load_driver.hpp) against a wallet's control port that
// answers slowly or never: its orders carry no timeout each, so a run must end by its watchdog
// when no order ends for `load_options::timeout`, and must not end early while orders end.
#define CAF_SUITE load_driver
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <chrono>
#include <deque>

#include "actors/atoms.hpp"
#include "actors/embedded_cluster.hpp"
#include "bench/load_driver.hpp"
#include "messages/control.hpp"
#include "messages/error.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

using answer_atom = caf::atom_constant<caf::atom("answer")>;

struct config : caf::actor_system_config {
  config() { configure(*this); }
};

struct port_state {
  std::deque<caf::typed_response_promise<bytes>> waiting;
  static inline const char* name = "test.slow_port";
};

/// A control port that answers each payment with a hash after `delay`, or never (`silent`).
caf::behavior slow_port(caf::stateful_actor<port_state>* self, caf::timespan delay, bool silent) {
  return {
    [=](control_atom, const std::string&, const bytes&) -> caf::result<bytes> {
      auto rp = self->make_response_promise<bytes>();
      if (!silent) {
        self->state.waiting.push_back(rp);
        self->delayed_send(self, delay, answer_atom::value);
      }
      return rp;
    },
    [=](answer_atom) {
      self->state.waiting.front().deliver(encode_reply(test::filled<hash32>(0x11)));
      self->state.waiting.pop_front();
    },
  };
}

struct fixture {
  config cfg;
  caf::actor_system sys{cfg};

  caf::expected<load_result> run(caf::timespan delay, bool silent, size_t orders,
                                 caf::timespan limit) {
    auto port = sys.spawn(slow_port, delay, silent);
    std::vector<payment_order> list(orders, payment_order{0, 0, 1, 1, 0});
    load_options opts;
    opts.timeout = limit;
    auto out = drive(sys, {wallet_endpoint::control_port(port, "tok")},
                     {test::filled<address>(1), test::filled<address>(2)},
                     order_source::of(std::move(list)), opts);
    caf::anon_send_exit(port, caf::exit_reason::user_shutdown);
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(load_driver_tests, fixture)

CAF_TEST(a_run_whose_wallet_never_answers_fails_with_a_timeout_instead_of_waiting_for_ever) {
  auto start = std::chrono::steady_clock::now();
  auto r = run(std::chrono::milliseconds(0), true, 3, std::chrono::milliseconds(300));
  CAF_REQUIRE(!r);
  CAF_CHECK_EQUAL(code_of(r.error()), ec::timeout);
  CAF_CHECK(describe(r.error()).find("no payment ended") != std::string::npos);
  // Two looks at most: the first sees the order in flight, the second nothing new.
  CAF_CHECK_LESS(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

CAF_TEST(a_run_longer_than_the_limit_ends_well_while_its_orders_keep_ending) {
  // Four orders one after another, 400 ms each: 1.6 s in all, over a 1 s limit of silence.
  auto r = run(std::chrono::milliseconds(400), false, 4, std::chrono::seconds(1));
  CAF_REQUIRE(r);
  CAF_CHECK_EQUAL(r->final_orders, 4u);
}

CAF_TEST_FIXTURE_SCOPE_END()
