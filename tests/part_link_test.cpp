// The link between a validator and its lock shards in other processes (protocol/part_link.hpp):
// only the holder of the validator's part key can call a shard or answer for one, a call or a
// result bound to another validator, shard or direction is refused, and no recorded call is
// accepted twice — a release not even after the shard restarts.
#define CAF_SUITE part_link
#include <set>

#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "messages/error.hpp"
#include "messages/limits.hpp"
#include "messages/part_link.hpp"
#include "persistence/validator_store.hpp"
#include "protocol/part_link.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

hash32 h(uint8_t b) {
  return test::filled<hash32>(b);
}

struct link_fixture {
  part_key key = test::filled<part_key>(7);
  part_link_id link{h(9), 2, 1, 4};
  shard_call call{shard_call::release, 1234, h(1), {output_ref{h(3), 0}, output_ref{h(3), 1}}};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(part_link_tests, link_fixture)

CAF_TEST(a_call_sealed_with_the_validators_key_opens_as_it_was_sent) {
  auto opened = open_call(key, link, seal_call(key, link, call));
  CAF_REQUIRE(opened);
  CAF_CHECK_EQUAL(opened->op, shard_call::release);
  CAF_CHECK_EQUAL(opened->counter, 1234u);
  CAF_CHECK(opened->tx == h(1));
  CAF_CHECK(opened->inputs == call.inputs);
}

CAF_TEST(a_call_without_the_key_or_for_another_validator_or_shard_is_refused) {
  auto wire = seal_call(key, link, call);
  auto refused = [&](const part_key& k, const part_link_id& l, const bytes& w) {
    auto opened = open_call(k, l, w);
    return !opened && code_of(opened.error()) == ec::unauthorized;
  };
  CAF_CHECK(refused(test::filled<part_key>(8), link, wire));
  CAF_CHECK(refused(key, part_link_id{h(10), 2, 1, 4}, wire)); // another committee
  CAF_CHECK(refused(key, part_link_id{h(9), 3, 1, 4}, wire));  // another validator
  CAF_CHECK(refused(key, part_link_id{h(9), 2, 0, 4}, wire));  // another shard
  CAF_CHECK(refused(key, part_link_id{h(9), 2, 1, 2}, wire));  // another shard count
  for (size_t i = 0; i < wire.size(); ++i) {                   // any byte altered
    auto altered = wire;
    altered[i] ^= 0x01;
    CAF_CHECK(refused(key, link, altered));
  }
  // A result is never taken for a call (the direction is tagged), and junk is malformed.
  shard_result r;
  r.counter = 1234;
  CAF_CHECK(refused(key, link, seal_result(key, link, r)));
  auto junk = open_call(key, link, bytes{'x', 'y'});
  CAF_CHECK(!junk && code_of(junk.error()) == ec::malformed_message);
}

CAF_TEST(a_result_counts_only_with_the_key_and_for_the_call_it_answers) {
  reservation_answer conflict;
  conflict.kind = reservation_answer::conflict;
  conflict.conflicts = {conflict_entry{call.inputs[0], h(5)}};
  auto wire = seal_result(key, link, result_of(conflict, 1234));
  auto opened = open_result(key, link, wire, 1234);
  CAF_REQUIRE(opened);
  auto back = answer_of(*opened);
  CAF_CHECK_EQUAL(back.kind, reservation_answer::conflict);
  CAF_CHECK(back.conflicts == conflict.conflicts);
  auto other_call = open_result(key, link, wire, 1235);
  CAF_CHECK(!other_call && code_of(other_call.error()) == ec::unauthorized);
  auto forged = open_result(test::filled<part_key>(8), link, wire, 1234);
  CAF_CHECK(!forged && code_of(forged.error()) == ec::unauthorized);
  // A fault keeps its reason, and is a fault (never "held") on the validator's side.
  auto fault = answer_of(*open_result(
    key, link,
    seal_result(
      key, link,
      result_of(reservation_answer::failed(make_error(ec::storage_error, "disk gone")), 7)),
    7));
  CAF_CHECK_EQUAL(fault.kind, reservation_answer::fault);
  CAF_CHECK(describe(fault.err).find("disk gone") != std::string::npos);
}

CAF_TEST(a_shard_accepts_each_counter_once_and_only_rising) {
  call_counter counter;
  auto a = counter.next();
  auto b = counter.next();
  CAF_CHECK_LESS(a, b);
  call_guard guard{0};
  CAF_CHECK_EQUAL(guard.accept(a), caf::error{});
  CAF_CHECK_EQUAL(guard.accept(b), caf::error{});
  CAF_CHECK_EQUAL(code_of(guard.accept(b)), ec::unauthorized); // played again
  CAF_CHECK_EQUAL(code_of(guard.accept(a)), ec::unauthorized); // an older one
  CAF_CHECK_EQUAL(guard.last(), b);
}

CAF_TEST(a_release_is_written_with_its_counter_and_refused_again_after_a_restart) {
  test::temp_dir dir;
  output_ref x{h(3), 0};
  {
    auto store = validator_store::open(dir / "shard-0", h(9), 2);
    CAF_REQUIRE(store);
    auto none = (*store)->last_call_counter();
    CAF_REQUIRE(none);
    CAF_CHECK(*none == 0u);
    lock_record r;
    r.tx = h(1);
    r.inputs = {x};
    r.locks_only = true;
    CAF_REQUIRE_EQUAL((*store)->commit({&r}), caf::error{});
    CAF_REQUIRE_EQUAL((*store)->release(h(1), {x}, 5000), caf::error{});
    CAF_CHECK(!*(*store)->lock_of(x));
  }
  auto store = validator_store::open(dir / "shard-0", h(9), 2);
  CAF_REQUIRE(store);
  auto last = (*store)->last_call_counter();
  CAF_REQUIRE(last);
  CAF_CHECK(*last == 5000u);
  call_guard guard{*last};
  CAF_CHECK_EQUAL(code_of(guard.accept(5000)), ec::unauthorized);
  CAF_CHECK_EQUAL(guard.accept(5001), caf::error{});
}

CAF_TEST(a_shards_store_serves_only_the_shard_and_count_it_was_first_started_as) {
  test::temp_dir dir;
  {
    auto store = validator_store::open(dir / "shard-1", h(9), 2);
    CAF_REQUIRE(store);
    CAF_CHECK_EQUAL((*store)->bind_shard(1, 4), caf::error{});
  }
  auto store = validator_store::open(dir / "shard-1", h(9), 2);
  CAF_REQUIRE(store);
  CAF_CHECK_EQUAL((*store)->bind_shard(1, 4), caf::error{});
  auto other_count = (*store)->bind_shard(1, 2);
  CAF_CHECK_EQUAL(code_of(other_count), ec::invalid_config);
  CAF_CHECK(describe(other_count).find("lock shard 1 of 4") != std::string::npos);
  CAF_CHECK_EQUAL(code_of((*store)->bind_shard(0, 4)), ec::invalid_config);
}

CAF_TEST(a_verifiers_call_and_verdict_open_only_on_its_own_link_and_for_their_call) {
  verify_call vc{77, {bytes{'r', 'e', 'q'}, bytes{'t', 'w', 'o'}}};
  auto wire = seal_verify_call(key, link, vc);
  auto opened = open_verify_call(key, link, wire);
  CAF_REQUIRE(opened);
  CAF_CHECK_EQUAL(opened->counter, 77u);
  CAF_CHECK(opened->requests == vc.requests);
  auto refused = [](const auto& opened) {
    return !opened && code_of(opened.error()) == ec::unauthorized;
  };
  CAF_CHECK(refused(open_verify_call(test::filled<part_key>(8), link, wire)));
  CAF_CHECK(refused(open_verify_call(key, part_link_id{h(9), 2, 0, 4}, wire))); // verifier 0
  // A shard's call is never a verifier's, nor the other way round (tags of another domain).
  CAF_CHECK(refused(open_verify_call(key, link, seal_call(key, link, call))));
  CAF_CHECK(refused(open_call(key, link, wire)));
  verify_result result;
  result.counter = 77;
  result.verdicts = {verify_verdict{0, "", {0, 2}}, verify_verdict{38, "policy not satisfied", {}}};
  auto answer = seal_verify_result(key, link, result);
  auto back = open_verify_result(key, link, answer, 77, 2);
  CAF_REQUIRE(back);
  CAF_REQUIRE_EQUAL(back->verdicts.size(), 2u);
  CAF_CHECK_EQUAL(back->verdicts[0].code, 0u);
  CAF_CHECK(back->verdicts[0].past_parents == result.verdicts[0].past_parents);
  CAF_CHECK_EQUAL(back->verdicts[1].code, 38u);
  CAF_CHECK(refused(open_verify_result(key, link, answer, 78, 2))); // answers another call
  // A verdict for each request, or none counts: a short result cannot leave one unchecked.
  CAF_CHECK(refused(open_verify_result(key, link, answer, 77, 3)));
  CAF_CHECK(refused(open_verify_result(key, link, answer, 77, 1)));
  CAF_CHECK(refused(open_verify_result(test::filled<part_key>(8), link, answer, 77, 2)));
  CAF_CHECK(refused(open_verify_call(key, link, answer))); // a verdict taken as a call
  for (size_t i = 0; i < answer.size(); ++i) {             // "rules hold" cannot be made up
    auto altered = answer;
    altered[i] ^= 0x01;
    CAF_CHECK(!open_verify_result(key, link, altered, 77, 2));
  }
}

CAF_TEST(a_verifiers_call_carries_one_to_the_batch_limit_of_requests) {
  auto call_decodes = [](const verify_call& c) {
    auto b = encode_verify_call(c);
    return static_cast<bool>(decode_verify_call(b.data(), b.size()));
  };
  CAF_CHECK(!call_decodes(verify_call{1, {}}));
  verify_call full{1, std::vector<bytes>(limits::max_verify_batch, bytes{'r'})};
  CAF_CHECK(call_decodes(full));
  full.requests.push_back(bytes{'r'});
  CAF_CHECK(!call_decodes(full));
  auto none = encode_verify_result(verify_result{1, {}});
  CAF_CHECK(!decode_verify_result(none.data(), none.size()));
}

CAF_TEST(each_part_has_a_link_key_of_its_own_that_opens_no_other_parts_calls) {
  auto s0 = shard_link_key(key, 0);
  auto s1 = shard_link_key(key, 1);
  auto v0 = verifier_link_key(key, 0);
  // Derived the same way every time (the validator and its parts derive apart) ...
  CAF_CHECK(s0 == shard_link_key(key, 0));
  CAF_CHECK(v0 == verifier_link_key(key, 0));
  // ... and each its own: none is the part key or another part's.
  std::set<std::string> distinct{key.hex(), s0.hex(), s1.hex(), v0.hex(),
                                 verifier_link_key(key, 1).hex()};
  CAF_CHECK_EQUAL(distinct.size(), 5u);
  CAF_CHECK(shard_link_key(test::filled<part_key>(8), 0) != s0);
  // A verifier's key (all its machine holds) tags no call a shard takes.
  part_link_id shard0{h(9), 2, 0, 2};
  shard_call release{shard_call::release, 5, h(1), {output_ref{h(2), 0}}};
  CAF_CHECK(open_call(s0, shard0, seal_call(s0, shard0, release)));
  CAF_CHECK_EQUAL(code_of(open_call(s0, shard0, seal_call(v0, shard0, release)).error()),
                  ec::unauthorized);
  CAF_CHECK_EQUAL(code_of(open_call(s0, shard0, seal_call(s1, shard0, release)).error()),
                  ec::unauthorized);
  // Pinned (libsodium's crypto_kdf: BLAKE2b keyed with the part key, the part's number as salt
  // and the family as personalization; Python's hashlib.blake2b gives the same): a validator
  // and parts of different builds must derive the same keys.
  CAF_CHECK_EQUAL(shard_link_key(test::filled<part_key>(1), 3).hex(),
                  "c099540a01c4a2387845abbfcaf4525a831f0bb8bd1b94a11b6e565028350aea");
  CAF_CHECK_EQUAL(verifier_link_key(test::filled<part_key>(1), 3).hex(),
                  "d4fedde1929a9a79eea4a7796ea868c3781a926443df5806d6723b90bd094d4a");
}

CAF_TEST_FIXTURE_SCOPE_END()
