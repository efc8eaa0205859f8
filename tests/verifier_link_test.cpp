// A validator's link to a verifier in another process (actors/verifier_parts.hpp), with the
// verifier's port in the same actor system: real signatures, real CAF messages, no middleman.
// Requests that queue while the link's calls are under way go to the verifier together, and the
// verifier spreads a call over its workers, its verdicts back in the call's order.
#define CAF_SUITE verifier_link
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <set>
#include <thread>

#include "actors/atoms.hpp"
#include "actors/detail/verifiers.hpp"
#include "actors/embedded_cluster.hpp"
#include "actors/verifier_parts.hpp"
#include "crypto/hashing.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

using held_atom = caf::atom_constant<caf::atom("held")>;
using release_atom = caf::atom_constant<caf::atom("release")>;

struct relay_state {
  std::vector<std::pair<bytes, caf::response_promise>> held;
  bool holding = true;
  size_t calls = 0;
  bool junk = false;
  static inline const char* name = "test.verifier_relay";
};

/// Stands between the link and the verifier's port: counts the calls, holds them until told to
/// release, and then passes them on (or answers junk in the verifier's place).
caf::behavior relay(caf::stateful_actor<relay_state>* self, caf::actor port, bool junk) {
  self->state.junk = junk;
  auto pass = [=](bytes wire, caf::response_promise rp) {
    if (self->state.junk) {
      rp.deliver(reply_atom::value, bytes{'j', 'u', 'n', 'k'});
      return;
    }
    self->request(port, caf::infinite, verify_atom::value, std::move(wire))
      .then([=](reply_atom, const bytes& result) mutable { rp.deliver(reply_atom::value, result); },
            [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  };
  return {
    [=](verify_atom, bytes& wire) {
      ++self->state.calls;
      auto rp = self->make_response_promise();
      if (self->state.holding)
        self->state.held.emplace_back(std::move(wire), rp);
      else
        pass(std::move(wire), rp);
    },
    [=](held_atom) { return std::make_pair(self->state.held.size(), self->state.calls); },
    [=](release_atom) {
      self->state.holding = false;
      for (auto& [wire, rp] : std::exchange(self->state.held, {}))
        pass(std::move(wire), rp);
    },
  };
}

struct config : caf::actor_system_config {
  config() { configure(*this); }
};

struct fixture {
  config cfg;
  caf::actor_system sys{cfg};
  cluster_keys k = test::thesis_keys();
  part_key key = test::filled<part_key>(5);
  part_link_id link{k.net.id, 1, 0, 1};
  caf::actor port = spawn_verifier_port(sys, k.net, key, link, 2);

  caf::actor relay_to_port(bool junk = false) { return sys.spawn(relay, port, junk); }

  caf::actor link_through(caf::actor relay) {
    auto finisher =
      std::make_shared<request_checker>(k.net, 1, nullptr, nullptr, share_mode::pooled);
    return spawn_verifier_link(
      sys, [relay]() -> caf::expected<caf::actor> { return relay; }, key, link, finisher);
  }

  /// Calls held by `relay` and calls it got, asked until `want` are held.
  std::pair<size_t, size_t> wait_until_held(caf::actor relay, size_t want) {
    caf::scoped_actor self{sys};
    std::pair<size_t, size_t> out;
    for (int i = 0; i < 500; ++i) {
      self->request(relay, caf::infinite, held_atom::value)
        .receive([&](std::pair<size_t, size_t> x) { out = x; }, [](caf::error&) {});
      if (out.first >= want)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return out;
  }

  ~fixture() { caf::anon_send_exit(port, caf::exit_reason::user_shutdown); }
};

/// `n` requests from the genesis (the verifier checks rules 1–3 only: spending one output
/// twice is the lock step's concern), those at `bad` with their witness broken.
std::vector<bytes> requests(const cluster_keys& k, size_t n, std::set<size_t> bad) {
  std::vector<bytes> out;
  for (size_t i = 0; i < n; ++i) {
    auto req = test::pay_from_genesis(k, 1 + i % 5, 10 + i);
    if (bad.count(i))
      req.witnesses[0].sig.bytes[0] ^= 0x01;
    out.push_back(encode(req));
  }
  return out;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(verifier_link_tests, fixture)

CAF_TEST(requests_queued_behind_the_calls_under_way_go_to_the_verifier_in_one_call) {
  auto r = relay_to_port();
  auto l = link_through(r);
  caf::scoped_actor self{sys};
  auto reqs = requests(k, 25, {7, 15, 24});
  for (const auto& req : reqs)
    self->send(l, check_atom::value, req);
  // Four calls under way at once; the other 21 requests wait for them, and go together (the
  // verifier's two workers check 10 and 11 of them).
  auto [held, calls] = wait_until_held(r, 4);
  CAF_REQUIRE_EQUAL(held, 4u);
  CAF_CHECK_EQUAL(calls, 4u);
  caf::anon_send(r, release_atom::value);
  std::map<hash32, checked_request> verdicts;
  size_t got = 0;
  self->receive_for(got, reqs.size())([&](const checked_request& c) { verdicts[c.tx] = c; });
  CAF_REQUIRE_EQUAL(verdicts.size(), reqs.size());
  for (size_t i = 0; i < reqs.size(); ++i) {
    auto tx = tx_hash(decode<sign_request>(reqs[i])->tx);
    auto& v = verdicts[tx];
    CAF_REQUIRE(v.req);
    CAF_CHECK_EQUAL(v.tx, tx);
    if (i == 7 || i == 15 || i == 24) { // 15 and 24: in the batch, at either worker
      CAF_CHECK_EQUAL(v.code, ec::invalid_witness);
      CAF_CHECK(!v.rejection.empty());
    } else {
      CAF_CHECK_EQUAL(v.code, ec::none);
      CAF_CHECK(v.rejection.empty());
    }
  }
  CAF_CHECK_EQUAL(wait_until_held(r, 0).second, 5u);
  caf::anon_send_exit(l, caf::exit_reason::user_shutdown);
}

CAF_TEST(a_call_answered_with_junk_refuses_each_of_its_requests_and_the_wallet_asks_again) {
  auto r = relay_to_port(true);
  auto l = link_through(r);
  caf::scoped_actor self{sys};
  auto reqs = requests(k, 10, {});
  for (const auto& req : reqs)
    self->send(l, check_atom::value, req);
  wait_until_held(r, 4);
  caf::anon_send(r, release_atom::value);
  size_t refused = 0;
  self->receive_for(refused, reqs.size())([&](const checked_request& c) {
    // Junk never reads as "rules hold": each is refused as the validator's own trouble.
    CAF_CHECK_EQUAL(c.code, ec::storage_fault);
    CAF_CHECK(!c.rejection.empty());
  });
  CAF_CHECK_EQUAL(refused, reqs.size());
  caf::anon_send_exit(l, caf::exit_reason::user_shutdown);
}

CAF_TEST_FIXTURE_SCOPE_END()
