// Pooled shares (doc/protocol.md, version 2): Merkle paths, root signatures, the cache of verified
// roots, and validators that sign one root per batch, on validator_core over in-memory tables.
#define CAF_SUITE pooled_shares
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include "messages/error.hpp"
#include "protocol/memory_lock_table.hpp"
#include "protocol/merkle.hpp"
#include "protocol/payment.hpp"
#include "protocol/share_cache.hpp"
#include "protocol/validator_core.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

std::vector<hash32> txs_of(size_t n) {
  std::vector<hash32> out;
  for (size_t i = 0; i < n; ++i) {
    auto x = static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ull + 1;
    out.push_back(blake2b_256(&x, sizeof(x)));
  }
  return out;
}

/// A committee whose validators pool their shares; `batch` decides, per request, which records
/// are written together (one root each batch).
struct pooled_fixture {
  cluster_keys k = test::thesis_keys();
  std::vector<std::shared_ptr<memory_lock_table>> stores;
  std::vector<std::unique_ptr<validator_core>> cores;

  pooled_fixture() {
    for (uint16_t i = 0; i < k.net.size(); ++i) {
      stores.push_back(std::make_shared<memory_lock_table>());
      cores.push_back(std::make_unique<validator_core>(k.net, i, k.validators[i], stores.back(),
                                                       share_mode::pooled));
    }
  }

  /// Validator i handles every request of `reqs`, then writes the new records as one batch.
  std::vector<sign_reply> batch(uint16_t i, const std::vector<sign_request>& reqs) {
    std::vector<validator_core::outcome> outs;
    for (const auto& r : reqs)
      outs.push_back(cores[i]->handle(r));
    std::vector<lock_record*> records;
    for (auto& o : outs)
      if (o.kind == validator_core::outcome::commit)
        records.push_back(&o.record);
    seal_batch(records,
               [&](const hash32& root) { return sign_batch_root(*k.validators[i], k.net, root); });
    std::vector<const lock_record*> written(records.begin(), records.end());
    auto err = stores[i]->commit(written);
    std::vector<sign_reply> replies;
    for (auto& o : outs)
      replies.push_back(o.kind == validator_core::outcome::commit
                          ? cores[i]->committed(o.tx_hash, err, o.record.given)
                          : o.answer);
    return replies;
  }

  /// A certificate for `req` from the pooled shares of the first 2f+1 validators.
  certified_transaction certify(const sign_request& req) {
    certified_transaction ct{req.tx, certificate{tx_hash(req.tx), {}}};
    for (uint16_t i = 0; i < k.net.quorum(); ++i) {
      auto r = batch(i, {req}).front();
      auto s = std::get<signed_reply>(r);
      ct.cert.sigs.push_back(validator_signature{s.validator_index, s.sig, s.path});
    }
    return ct;
  }
};

} // namespace

CAF_TEST(every_path_of_trees_of_1_to_257_leaves_leads_to_the_root) {
  for (size_t n = 1; n <= 257; ++n) {
    auto txs = txs_of(n);
    auto tree = build_merkle_tree(txs);
    size_t depth = 0;
    while ((size_t{1} << depth) < n)
      ++depth;
    for (size_t i = 0; i < n; ++i) {
      CAF_REQUIRE_EQUAL(tree.paths[i].siblings.size(), depth);
      if (merkle_root(txs[i], tree.paths[i]) != tree.root)
        CAF_FAIL("tree of " << n << ": path " << i << " does not lead to the root");
    }
  }
  // A tree of one: the root is the leaf, not the transaction.
  auto one = build_merkle_tree(txs_of(1));
  CAF_CHECK(one.root == merkle_leaf(txs_of(1)[0]));
  CAF_CHECK(one.root != txs_of(1)[0]);
}

CAF_TEST(a_path_for_another_transaction_a_flipped_sibling_or_a_wrong_position_fails) {
  auto txs = txs_of(13);
  auto tree = build_merkle_tree(txs);
  CAF_CHECK(merkle_root(txs[4], tree.paths[5]) != tree.root);
  auto flipped = tree.paths[5];
  flipped.siblings[1].bytes[0] ^= 1;
  CAF_CHECK(merkle_root(txs[5], flipped) != tree.root);
  auto moved = tree.paths[5];
  moved.position = 4;
  CAF_CHECK(merkle_root(txs[5], moved) != tree.root);
  auto unrelated = txs_of(14)[13];
  CAF_CHECK(merkle_root(unrelated, tree.paths[5]) != tree.root);
}

CAF_TEST(an_inner_node_presented_as_a_leaf_does_not_lead_to_the_root) {
  auto txs = txs_of(8);
  auto tree = build_merkle_tree(txs);
  // The node above leaves 0 and 1, claimed as a transaction with the rest of leaf 0's path.
  auto inner = merkle_node(merkle_leaf(txs[0]), merkle_leaf(txs[1]));
  merkle_path upper{0, {tree.paths[0].siblings[1], tree.paths[0].siblings[2]}};
  CAF_CHECK(merkle_node(merkle_node(inner, upper.siblings[0]), upper.siblings[1]) == tree.root);
  CAF_CHECK(merkle_root(inner, upper) != tree.root); // the leaf tag keeps them apart
}

CAF_TEST(a_root_signed_by_a_non_member_or_for_another_committee_does_not_verify) {
  auto k = test::thesis_keys();
  auto other = test::thesis_keys(99);
  auto txs = txs_of(3);
  auto tree = build_merkle_tree(txs);
  auto good = sign_batch_root(*k.validators[1], k.net, tree.root);
  CAF_CHECK(verify_certificate_share(k.net, 1, txs[2], good, tree.paths[2]));
  CAF_CHECK(!verify_certificate_share(k.net, 2, txs[2], good, tree.paths[2])); // another member
  CAF_CHECK(!verify_certificate_share(k.net, 9, txs[2], good, tree.paths[2])); // no member
  auto outsider = sign_batch_root(*other.validators[1], k.net, tree.root);
  CAF_CHECK(!verify_certificate_share(k.net, 1, txs[2], outsider, tree.paths[2]));
  auto elsewhere = sign_batch_root(*k.validators[1], other.net, tree.root);
  CAF_CHECK(!verify_certificate_share(k.net, 1, txs[2], elsewhere, tree.paths[2]));
  // A root signature is not a transaction signature, nor the reverse (domain separation).
  CAF_CHECK(!verify_certificate_share(k.net, 1, tree.root, good));
  auto single = sign_certificate_share(*k.validators[1], k.net, merkle_leaf(txs[0]));
  CAF_CHECK(!verify_certificate_share(k.net, 1, txs[0], single, merkle_path{0, {}}));
}

CAF_TEST(each_root_is_verified_once_and_a_forged_signature_over_a_cached_root_fails) {
  auto k = test::thesis_keys(5);
  auto txs = txs_of(64);
  auto tree = build_merkle_tree(txs);
  auto sig = sign_batch_root(*k.validators[0], k.net, tree.root);
  auto before = share_cache_counters();
  for (size_t i = 0; i < txs.size(); ++i)
    CAF_CHECK(verify_certificate_share(k.net, 0, txs[i], sig, tree.paths[i]));
  auto after = share_cache_counters();
  CAF_CHECK_EQUAL(after.misses - before.misses, 1u);
  CAF_CHECK_EQUAL(after.hits - before.hits, 63u);
  auto forged = sig;
  forged.bytes[7] ^= 0x40;
  CAF_CHECK(!verify_certificate_share(k.net, 0, txs[3], forged, tree.paths[3]));
  CAF_CHECK(!verify_certificate_share(k.net, 0, txs[3], forged, tree.paths[3])); // not cached
  CAF_CHECK_EQUAL(share_cache_counters().misses - after.misses, 2u);
  CAF_CHECK(share_cache_counters().size <= share_cache_counters().capacity);
}

CAF_TEST_FIXTURE_SCOPE(pooled_validators, pooled_fixture)

CAF_TEST(one_batch_one_root_and_every_share_verifies_and_a_retry_gets_the_same_share) {
  std::vector<sign_request> reqs;
  // Three independent spends: a0's genesis, split first into three outputs.
  auto split =
    test::make_request(k, 0, {test::genesis_output(k)},
                       {{test::addr(k, 0), 1}, {test::addr(k, 0), 2}, {test::addr(k, 0), 999'997}});
  auto parent = certify(split);
  CAF_CHECK_EQUAL(verify_certified(k.net, parent), caf::error{});
  for (uint32_t j = 0; j < 3; ++j)
    reqs.push_back(test::make_request(k, 0, {{parent.cert.tx_hash, j}},
                                      {{test::addr(k, 4), parent.tx.outputs[j].value}}, {parent}));
  auto replies = batch(3, reqs);
  std::optional<signature> root_sig;
  for (size_t j = 0; j < 3; ++j) {
    auto s = std::get_if<signed_reply>(&replies[j]);
    CAF_REQUIRE(s != nullptr);
    CAF_REQUIRE(s->path);
    CAF_CHECK_EQUAL(s->path->siblings.size(), 2u);
    CAF_CHECK(verify_certificate_share(k.net, 3, s->tx_hash, s->sig, s->path));
    if (root_sig)
      CAF_CHECK(*root_sig == s->sig); // one signature for the batch
    root_sig = s->sig;
    // A retry, alone: the same share, from the store.
    auto again = batch(3, {reqs[j]}).front();
    CAF_CHECK(std::get<signed_reply>(again) == *s);
  }
  CAF_CHECK_EQUAL(cores[3]->stats().signed_new, 3u); // three in one batch (it never saw the split)
  CAF_CHECK_EQUAL(cores[3]->stats().signed_again, 3u);
}

CAF_TEST(two_shares_of_one_validator_count_once) {
  auto req = test::pay_from_genesis(k, 4, 10);
  auto tx = tx_hash(req.tx);
  auto r0 = std::get<signed_reply>(batch(0, {req}).front());
  quorum_collector c{k.net, tx};
  c.add(0, r0);
  c.add(0, r0);
  CAF_CHECK_EQUAL(c.cert().sigs.size(), 1u);
  certified_transaction ct{req.tx, certificate{tx, {}}};
  for (int n = 0; n < 3; ++n)
    ct.cert.sigs.push_back(validator_signature{0, r0.sig, r0.path});
  CAF_CHECK_EQUAL(code_of(verify_certified(k.net, ct)), ec::invalid_certificate);
}

CAF_TEST(a_child_of_a_pooled_certificate_is_signed_and_conflicts_are_refused_as_before) {
  auto parent = certify(test::pay_from_genesis(k, 4, 10));
  auto child =
    test::make_request(k, 4, {{parent.cert.tx_hash, 0}}, {{test::addr(k, 5), 10}}, {parent});
  CAF_CHECK(std::holds_alternative<signed_reply>(batch(0, {child}).front()));
  auto rival =
    test::make_request(k, 4, {{parent.cert.tx_hash, 0}}, {{test::addr(k, 6), 10}}, {parent});
  auto refused = batch(0, {rival}).front();
  CAF_REQUIRE(std::holds_alternative<rejected_reply>(refused));
  CAF_CHECK_EQUAL(std::get<rejected_reply>(refused).code, static_cast<uint16_t>(ec::conflict));
  // Two conflicting requests in one batch: the first is signed, the second refused.
  auto a =
    test::make_request(k, 5, {{tx_hash(child.tx), 0}}, {{test::addr(k, 6), 10}}, {certify(child)});
  auto b =
    test::make_request(k, 5, {{tx_hash(child.tx), 0}}, {{test::addr(k, 7), 10}}, {certify(child)});
  auto both = batch(3, {a, b});
  CAF_CHECK(std::holds_alternative<signed_reply>(both[0]));
  CAF_CHECK(std::holds_alternative<rejected_reply>(both[1]));
}

CAF_TEST_FIXTURE_SCOPE_END()
