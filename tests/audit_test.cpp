// The offline audit passes on consistent stores and names each kind of breach: a double spend
// certified by colluding validators, money created from nothing, a forged stored signature.
#define CAF_SUITE audit
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <leveldb/db.h>

#include "messages/error.hpp"
#include "persistence/validator_store.hpp"
#include "persistence/wallet_store.hpp"
#include "audit/audit.hpp"
#include "protocol/committee_change.hpp"
#include "protocol/equivocation.hpp"
#include "protocol/lock_handover.hpp"
#include "protocol/lock_shards.hpp"
#include "protocol/validator_core.hpp"
#include "protocol/merkle.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

struct audit_fixture {
  test::temp_dir dir;
  cluster_keys k = test::thesis_keys();

  std::vector<audited_validator> validators() {
    std::vector<audited_validator> out;
    for (uint16_t i = 0; i < 4; ++i)
      out.push_back({"v" + std::to_string(i), dir / ("v" + std::to_string(i)), i});
    return out;
  }

  std::vector<audited_wallet> wallets() {
    std::vector<audited_wallet> out;
    for (size_t w = 0; w < 2; ++w) {
      audited_wallet aw{"w" + std::to_string(w), dir / ("w" + std::to_string(w)), {}};
      for (size_t a = 0; a < 4; ++a)
        aw.addresses.push_back(test::addr(k, w * 4 + a));
      out.push_back(aw);
    }
    return out;
  }

  /// Every validator signs `req` through its real rules and store.
  certified_transaction sign_everywhere(const sign_request& req) {
    certified_transaction ct{req.tx, {tx_hash(req.tx), {}}};
    for (uint16_t i = 0; i < 4; ++i) {
      auto store = std::shared_ptr<validator_store>{
        std::move(*validator_store::open(dir / ("v" + std::to_string(i)), k.net.id, i))};
      validator_core core{k.net, i, k.validators[i], store};
      auto out = core.handle(req);
      CAF_REQUIRE_EQUAL(out.kind, validator_core::outcome::commit);
      auto reply = core.committed(out.tx_hash, store->commit({&out.record}));
      if (ct.cert.sigs.size() < 3)
        ct.cert.sigs.push_back({i, std::get<signed_reply>(reply).sig});
    }
    return ct;
  }

  /// As sign_everywhere, with validators that pool their shares (each request a batch of one).
  certified_transaction sign_everywhere_pooled(const sign_request& req) {
    certified_transaction ct{req.tx, {tx_hash(req.tx), {}}};
    for (uint16_t i = 0; i < 4; ++i) {
      auto store = std::shared_ptr<validator_store>{
        std::move(*validator_store::open(dir / ("v" + std::to_string(i)), k.net.id, i))};
      validator_core core{k.net, i, k.validators[i], store, share_mode::pooled};
      auto out = core.handle(req);
      CAF_REQUIRE_EQUAL(out.kind, validator_core::outcome::commit);
      seal_batch({&out.record}, [&](const hash32& root) {
        return sign_batch_root(*k.validators[i], k.net, root);
      });
      auto reply = std::get<signed_reply>(
        core.committed(out.tx_hash, store->commit({&out.record}), out.record.given));
      if (ct.cert.sigs.size() < 3)
        ct.cert.sigs.push_back({i, reply.sig, reply.path});
    }
    return ct;
  }

  /// Records `ct` in the wallets as a completed payment from w0 would leave it.
  void record(const certified_transaction& ct, const std::vector<utxo>& spent) {
    for (size_t w = 0; w < 2; ++w) {
      auto store = wallet_store::open(dir / ("w" + std::to_string(w)), k.net.id);
      CAF_REQUIRE(store);
      wallet_change change;
      change.certified = std::make_shared<const certified_transaction>(ct);
      if (w == 0)
        change.spent = spent;
      auto h = tx_hash(ct.tx);
      for (uint32_t i = 0; i < ct.tx.outputs.size(); ++i)
        for (size_t a = 0; a < 4; ++a)
          if (ct.tx.outputs[i].owner == test::addr(k, w * 4 + a))
            change.added.push_back({{h, i}, ct.tx.outputs[i].owner, ct.tx.outputs[i].value});
      CAF_REQUIRE_EQUAL((*store)->apply(change), caf::error{});
    }
  }

  /// w0 starts with the genesis output, as a wallet node registers it.
  void start_with_genesis() {
    auto store = wallet_store::open(dir / "w0", k.net.id);
    wallet_change init;
    init.added.push_back({test::genesis_output(k), test::addr(k, 0), 1'000'000});
    CAF_REQUIRE_EQUAL((*store)->apply(init), caf::error{});
    CAF_REQUIRE(wallet_store::open(dir / "w1", k.net.id));
  }

  audit_report run() {
    auto rep = audit_stores(k.net, validators(), wallets());
    if (!rep)
      CAF_FAIL(describe(rep.error()));
    for (const auto& b : rep->breaches)
      CAF_MESSAGE("breach: " << b);
    return std::move(*rep);
  }

  bool names(const audit_report& rep, const std::string& text) {
    for (const auto& b : rep.breaches)
      if (b.find(text) != std::string::npos)
        return true;
    return false;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(audits, audit_fixture)

CAF_TEST(audit_passes_on_consistent_stores) {
  start_with_genesis();
  auto ct = sign_everywhere(test::pay_from_genesis(k, 4, 30));
  record(ct, {{test::genesis_output(k), test::addr(k, 0), 1'000'000}});
  auto rep = run();
  CAF_CHECK(rep.ok());
  CAF_CHECK_EQUAL(rep.certified, 1u);
  CAF_CHECK_EQUAL(rep.signatures, 4u);
  CAF_CHECK_EQUAL(rep.unspent_supply, 1'000'000u);
  CAF_CHECK_EQUAL(rep.wallet_total, 1'000'000u);
  // Both wallets' copies, each of their 3 shares, each share's one input.
  CAF_CHECK_EQUAL(rep.checks.certificate_copies_verified, 2u);
  CAF_CHECK_EQUAL(rep.checks.shares_held_against_validators, 6u);
  CAF_CHECK_EQUAL(rep.checks.locks_held_against_shares, 6u);
  CAF_CHECK_EQUAL(rep.checks.stored_signatures_verified, 4u);
  CAF_CHECK_EQUAL(rep.checks.records_decoded, 2u);
}

CAF_TEST(audit_passes_a_shards_reservation_left_unsigned_but_not_such_a_lock_in_its_own_store) {
  start_with_genesis();
  auto ct = sign_everywhere(test::pay_from_genesis(k, 4, 30));
  record(ct, {{test::genesis_output(k), test::addr(k, 0), 1'000'000}});
  auto other = tx_hash(test::pay_from_genesis(k, 5, 30).tx);
  std::vector<output_ref> input{output_ref{tx_hash(ct.tx), 7}};
  // v0 with lock shards was killed between a reservation and its signature: safe, the shard
  // still refuses every other spend of that input.
  auto reserve_in = [&](const std::string& store_dir, uint16_t index) {
    auto store = validator_store::open(store_dir, k.net.id, index);
    CAF_REQUIRE(store);
    std::shared_ptr<validator_store> shared{std::move(*store)};
    lock_shard_core shard{shared};
    auto out = shard.reserve(other, input);
    CAF_REQUIRE_EQUAL(out.kind, lock_shard_core::outcome::commit);
    CAF_REQUIRE_EQUAL(shard.committed(other, shared->commit({&out.record})).kind,
                      reservation_answer::held);
  };
  reserve_in(shard_store_dir(dir / "v0", 0), 0);
  auto rep = run();
  CAF_CHECK(rep.ok());
  CAF_CHECK_EQUAL(rep.locks, 5u);
  // In a validator's own store a lock is written with its signature: one without is a breach.
  reserve_in(dir / "v1", 1);
  CAF_CHECK(names(run(), "v1: locks for " + other.short_hex() + " without its signature"));
}

CAF_TEST(audit_finds_a_payees_copy_with_a_flipped_share) {
  start_with_genesis();
  auto ct = sign_everywhere(test::pay_from_genesis(k, 4, 30));
  record(ct, {{test::genesis_output(k), test::addr(k, 0), 1'000'000}});
  // w1's copy (the payee's) has one bit of a share flipped; w0's copy is intact.
  auto bad = ct;
  bad.cert.sigs[1].sig.bytes[5] ^= 0x01;
  {
    auto store = wallet_store::open(dir / "w1", k.net.id);
    CAF_REQUIRE(store);
    wallet_change change;
    change.certified = std::make_shared<const certified_transaction>(bad);
    CAF_REQUIRE_EQUAL((*store)->apply(change), caf::error{});
  }
  auto rep = run();
  CAF_CHECK(!rep.ok());
  CAF_CHECK(names(rep, "w1: its copy of the certificate of"));
  CAF_CHECK(!names(rep, "w0: its copy"));
}

CAF_TEST(audit_finds_a_lock_that_a_validator_lost_after_signing) {
  start_with_genesis();
  auto ct = sign_everywhere(test::pay_from_genesis(k, 4, 30));
  record(ct, {{test::genesis_output(k), test::addr(k, 0), 1'000'000}});
  // v1's store loses its lock of the genesis output (a damaged disk), its signature stays.
  {
    leveldb::DB* raw = nullptr;
    CAF_REQUIRE(leveldb::DB::Open(leveldb::Options{}, dir / "v1", &raw).ok());
    std::unique_ptr<leveldb::DB> db{raw};
    std::string key(1, validator_keys::lock_tag);
    auto in = test::genesis_output(k);
    key.append(reinterpret_cast<const char*>(in.tx.data()), 32);
    for (int shift = 24; shift >= 0; shift -= 8)
      key.push_back(static_cast<char>(in.index >> shift));
    leveldb::WriteOptions wo;
    wo.sync = true;
    CAF_REQUIRE(db->Delete(wo, key).ok());
  }
  auto rep = run();
  CAF_CHECK(!rep.ok());
  CAF_CHECK(names(rep, "validator v1 lost a lock it signed"));
  CAF_CHECK_EQUAL(rep.breaches.size(), 2u); // once per wallet's copy
}

CAF_TEST(audit_finds_a_double_spend_certified_by_colluding_validators) {
  start_with_genesis();
  auto honest = sign_everywhere(test::pay_from_genesis(k, 4, 30));
  record(honest, {{test::genesis_output(k), test::addr(k, 0), 1'000'000}});
  // More than f validators sign a conflicting spend (beyond the protocol's fault assumption).
  auto evil = test::pay_from_genesis(k, 5, 40);
  certified_transaction forged{evil.tx, test::certify(k, evil.tx)};
  record(forged, {});
  auto rep = run();
  CAF_CHECK(!rep.ok());
  CAF_CHECK(names(rep, "double spend"));
  CAF_CHECK(names(rep, "supply"));
  // Each validator whose share is on both certificates is convicted by a proof of its own.
  CAF_REQUIRE_EQUAL(rep.proofs.size(), 3u);
  std::set<uint16_t> convicted;
  for (const auto& p : rep.proofs) {
    auto e = verify_equivocation(k.net, p);
    CAF_REQUIRE(e);
    convicted.insert(e->validator);
  }
  CAF_CHECK((convicted == std::set<uint16_t>{0, 1, 2}));
  CAF_CHECK(names(rep, "equivocation: validator v0 signed two transactions"));
}

CAF_TEST(audit_finds_money_from_nothing) {
  start_with_genesis();
  auto store = wallet_store::open(dir / "w1", k.net.id);
  hash32 nowhere;
  nowhere.bytes.fill(0x77);
  wallet_change fake;
  fake.added.push_back({{nowhere, 0}, test::addr(k, 4), 500});
  CAF_REQUIRE_EQUAL((*store)->apply(fake), caf::error{});
  store->reset();
  auto rep = run();
  CAF_CHECK(names(rep, "which no certificate created"));
  CAF_CHECK_EQUAL(rep.wallet_total, 1'000'500u);
}

CAF_TEST(audit_passes_pooled_shares_and_finds_one_whose_root_is_not_in_the_store) {
  start_with_genesis();
  auto ct = sign_everywhere_pooled(test::pay_from_genesis(k, 4, 30));
  CAF_REQUIRE(ct.cert.sigs[1].path);
  record(ct, {{test::genesis_output(k), test::addr(k, 0), 1'000'000}});
  CAF_CHECK(run().ok());
  // Validator 1's share in w1's copy: a valid signature of v1, over the root of a batch its
  // store never wrote (the transaction beside another one).
  auto other = build_merkle_tree({ct.cert.tx_hash, test::filled(0x77)});
  auto bad = ct;
  bad.cert.sigs[1].sig = sign_batch_root(*k.validators[1], k.net, other.root);
  bad.cert.sigs[1].path = other.paths[0];
  CAF_REQUIRE_EQUAL(verify_certified(k.net, bad), caf::error{}); // it verifies...
  {
    auto store = wallet_store::open(dir / "w1", k.net.id);
    CAF_REQUIRE(store);
    wallet_change change;
    change.certified = std::make_shared<const certified_transaction>(bad);
    CAF_REQUIRE_EQUAL((*store)->apply(change), caf::error{});
  }
  auto rep = run(); // ...but v1's store holds another share
  CAF_CHECK(names(rep, "validator v1 holds another share for"));
  CAF_CHECK(names(rep, "its root is not the one the validator's store signed"));
}

CAF_TEST(audit_finds_a_stored_signature_that_does_not_verify) {
  start_with_genesis();
  auto store = validator_store::open(dir / "v2", k.net.id, 2);
  lock_record bogus{tx_hash(test::pay_from_genesis(k, 1, 1).tx), {test::genesis_output(k)}, {}};
  CAF_REQUIRE_EQUAL((*store)->commit({&bogus}), caf::error{});
  store->reset();
  auto rep = run();
  CAF_CHECK(names(rep, "v2: stored signature"));
}

CAF_TEST(audit_refuses_a_store_in_use) {
  start_with_genesis();
  auto busy = wallet_store::open(dir / "w1", k.net.id);
  CAF_REQUIRE(busy);
  auto rep = audit_stores(k.net, validators(), wallets());
  CAF_REQUIRE(!rep);
  CAF_CHECK(describe(rep.error()).find("locked") != std::string::npos);
}

CAF_TEST(audit_of_a_new_committee_holds_old_certificates_against_the_carried_locks) {
  start_with_genesis();
  auto req = test::pay_from_genesis(k, 4, 30);
  auto ct = sign_everywhere(req);
  record(ct, {{test::genesis_output(k), test::addr(k, 0), 1'000'000}});
  // The change: v0..v2 seal over their one lock; each new validator starts from the merge.
  auto other = test::thesis_keys(8);
  auto next = next_network(k.net, committee_change{k.net.id, 1, other.net.members});
  CAF_REQUIRE(next);
  std::vector<lock_export> sets;
  for (uint16_t i = 0; i < 3; ++i)
    sets.push_back({make_seal(k.net, i, *k.validators[i], next->id,
                              {{test::genesis_output(k), tx_hash(req.tx)}}),
                    {req}});
  auto merged = merge_lock_sets(k.net, next->id, sets);
  CAF_REQUIRE(merged);
  std::vector<audited_validator> now;
  for (uint16_t i = 0; i < 4; ++i) {
    now.push_back({"n" + std::to_string(i), dir / ("n" + std::to_string(i)), i});
    auto store = validator_store::open(now.back().data_dir, next->id, i);
    CAF_REQUIRE(store);
    if (i < 3) // n3 starts empty: a hand-over that lost the certified spend
      CAF_REQUIRE_EQUAL((*store)->import_locks(*merged), caf::error{});
  }
  for (const auto& w : wallets()) // the wallets follow the change
    CAF_REQUIRE(wallet_store::open(w.data_dir, next->id, nullptr, {k.net.id}));
  auto rep = audit_stores(*next, now, wallets());
  CAF_REQUIRE(rep);
  for (const auto& b : rep->breaches)
    CAF_MESSAGE("breach: " << b);
  // The old certificate verifies by the past committee; n0..n2 hold its input locked to it
  // (a carried lock without a share of this committee is no breach); n3 does not.
  CAF_CHECK_EQUAL(rep->certified, 1u);
  CAF_REQUIRE_EQUAL(rep->breaches.size(), 2u); // n3, in each wallet's copy
  CAF_CHECK(rep->breaches[0].find("validator n3 of epoch 1 does not hold input") == 0);
  CAF_CHECK(rep->breaches[0].find("the hand-over lost a certified spend") != std::string::npos);
  CAF_CHECK_EQUAL(rep->wallet_total, 1'000'000u);
}

CAF_TEST_FIXTURE_SCOPE_END()
