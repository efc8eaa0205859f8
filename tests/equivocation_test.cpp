// Equivocation proofs (issue 24, item 1): a validator's shares over two spends of one coin convict
// it, checked with the committee alone; anything less proves nothing; the file refuses damage.
#define CAF_SUITE equivocation
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <fstream>

#include "config/tx_file.hpp"
#include "messages/error.hpp"
#include "protocol/equivocation.hpp"
#include "protocol/merkle.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

struct equivocation_fixture {
  cluster_keys k = test::thesis_keys();
  test::temp_dir dir;
  /// Two spends of the genesis output, to different payees.
  transaction a = test::pay_from_genesis(k, 4, 10).tx;
  transaction b = test::pay_from_genesis(k, 5, 20).tx;

  validator_signature single(uint16_t v, const transaction& tx) {
    return {v, sign_certificate_share(*k.validators[v], k.net, tx_hash(tx))};
  }

  /// A pooled share of `tx`, signed as the root of a batch that also holds `filler`.
  validator_signature pooled(uint16_t v, const transaction& tx, const hash32& filler) {
    auto tree = build_merkle_tree({filler, tx_hash(tx)});
    return {v, sign_batch_root(*k.validators[v], k.net, tree.root), tree.paths[1]};
  }

  ec refusal(const equivocation_proof& p) {
    auto e = verify_equivocation(k.net, p);
    return e ? ec::none : code_of(e.error());
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(equivocation_proofs, equivocation_fixture)

CAF_TEST(two_single_shares_of_one_validator_over_two_spends_of_a_coin_convict_it) {
  auto p = make_equivocation_proof(k.net, a, single(2, a), b, single(2, b));
  auto e = verify_equivocation(k.net, p);
  CAF_REQUIRE(e);
  CAF_CHECK_EQUAL(e->validator, 2u);
  CAF_CHECK(e->inputs == std::vector<output_ref>{test::genesis_output(k)});
  CAF_CHECK(describe(k.net, *e).find("validator v2 signed two transactions") == 0);
  // One double-sign, one proof: the order of the arguments does not matter.
  CAF_CHECK(make_equivocation_proof(k.net, b, single(2, b), a, single(2, a)) == p);
}

CAF_TEST(pooled_shares_convict_too_and_mixed_with_a_single_one) {
  auto filler = tx_hash(test::pay_from_genesis(k, 6, 30).tx);
  CAF_CHECK(verify_equivocation(
    k.net, make_equivocation_proof(k.net, a, pooled(1, a, filler), b, pooled(1, b, filler))));
  CAF_CHECK(verify_equivocation(
    k.net, make_equivocation_proof(k.net, a, pooled(1, a, filler), b, single(1, b))));
}

CAF_TEST(anything_less_than_one_validator_signing_two_spends_proves_nothing) {
  // One transaction twice.
  CAF_CHECK_EQUAL(refusal({k.net.id, a, single(0, a), a, single(0, a)}), ec::invalid_proof);
  // Two validators, one share each.
  CAF_CHECK_EQUAL(refusal({k.net.id, a, single(0, a), b, single(1, b)}), ec::invalid_proof);
  // No common input: a spend of the genesis and a spend of one of its outputs.
  auto child = test::make_request(k, 4, {{tx_hash(a), 0}}, {{test::addr(k, 6), 10}}).tx;
  CAF_CHECK_EQUAL(refusal({k.net.id, a, single(0, a), child, single(0, child)}), ec::invalid_proof);
  // A share the validator did not make (another key), or made over another transaction.
  auto forged = validator_signature{0, sign_certificate_share(*k.validators[1], k.net, tx_hash(b))};
  CAF_CHECK_EQUAL(refusal({k.net.id, a, single(0, a), b, forged}), ec::invalid_proof);
  CAF_CHECK_EQUAL(refusal({k.net.id, a, single(0, a), b, single(0, a)}), ec::invalid_proof);
  // Another network, or a validator that is not a member.
  auto elsewhere = make_equivocation_proof(k.net, a, single(0, a), b, single(0, b));
  elsewhere.committee_id = tx_hash(a);
  CAF_CHECK_EQUAL(refusal(elsewhere), ec::invalid_proof);
  auto stranger = make_equivocation_proof(k.net, a, single(0, a), b, single(0, b));
  stranger.first_share.validator_index = stranger.second_share.validator_index = 9;
  CAF_CHECK_EQUAL(refusal(stranger), ec::invalid_proof);
}

CAF_TEST(a_proof_file_round_trips_and_refuses_damage_and_overwriting) {
  auto p = make_equivocation_proof(k.net, a, single(3, a), b, single(3, b));
  auto path = dir / "v3.equivocation";
  CAF_REQUIRE_EQUAL(write_proof_file(path, p), caf::error{});
  CAF_CHECK_EQUAL(code_of(write_proof_file(path, p)), ec::invalid_tx_file);
  auto back = read_proof_file(path);
  CAF_REQUIRE(back);
  CAF_CHECK(*back == p);
  std::string text;
  std::getline(std::ifstream{path}, text);
  CAF_CHECK(text.rfind("acfts-equivocation-v1 ", 0) == 0);
  auto rewrite = [&](const std::string& t) {
    std::ofstream{path, std::ios::trunc} << t << "\n";
    return read_proof_file(path);
  };
  CAF_CHECK(!rewrite(text.substr(0, text.size() - 10)));           // truncated
  CAF_CHECK(!rewrite("acfts-equivocation-v2 " + text.substr(22))); // another version
  CAF_CHECK(!rewrite("acfts-certified-v1 " + text.substr(22)));    // another kind of file
  auto flipped = text;
  flipped[100] = flipped[100] == '0' ? '1' : '0'; // one hex digit of a transaction
  auto altered = rewrite(flipped);
  CAF_CHECK(!altered || !verify_equivocation(k.net, *altered));
}

CAF_TEST(the_watch_proves_each_double_sign_once_and_an_unchecked_junk_share_never) {
  equivocation_watch watch{k.net};
  auto ta = std::make_shared<const transaction>(a);
  auto tb = std::make_shared<const transaction>(b);
  CAF_CHECK(watch.saw(tx_hash(a), ta, single(1, a), true).empty());
  CAF_CHECK(watch.saw(tx_hash(a), ta, single(1, a), true).empty()); // a retry: the same
  CAF_CHECK(watch.saw(tx_hash(b), tb, single(2, b), true).empty()); // another validator
  CAF_CHECK_EQUAL(watch.saw(tx_hash(b), tb, single(1, b), true).size(), 1u);
  CAF_CHECK(watch.saw(tx_hash(b), tb, single(1, b), true).empty()); // proven already
  // Junk from v0's connection first: checked once it would convict, found false, replaced.
  auto junk = validator_signature{0, sign_certificate_share(*k.validators[3], k.net, tx_hash(a))};
  CAF_CHECK(watch.saw(tx_hash(a), ta, junk, false).empty());
  CAF_CHECK(watch.saw(tx_hash(b), tb, single(0, b), true).empty());
  CAF_CHECK_EQUAL(watch.saw(tx_hash(a), ta, single(0, a), true).size(), 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()
