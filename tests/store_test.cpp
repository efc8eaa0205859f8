// The durable stores on real LevelDB directories: what is committed survives a reopen, a batch is
// all or nothing, and a store refuses another committee or a second opener.
#define CAF_SUITE store
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>

#include <leveldb/db.h>

#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/lock_handover.hpp"
#include "persistence/group_committer.hpp"
#include "persistence/validator_store.hpp"
#include "persistence/wallet_store.hpp"
#include "protocol/rules.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

hash32 h(uint8_t b) {
  return test::filled<hash32>(b);
}

signature sig(uint8_t b) {
  return test::filled<signature>(b);
}

/// How many records a (closed) store holds under each one-byte tag, read with LevelDB itself.
std::map<char, size_t> records_by_tag(const std::string& dir) {
  leveldb::DB* raw = nullptr;
  if (!leveldb::DB::Open(leveldb::Options{}, dir, &raw).ok())
    std::abort();
  std::unique_ptr<leveldb::DB> db{raw};
  std::unique_ptr<leveldb::Iterator> it{db->NewIterator(leveldb::ReadOptions{})};
  std::map<char, size_t> n;
  for (it->SeekToFirst(); it->Valid(); it->Next())
    ++n[it->key()[0]];
  return n;
}

/// Writes records into a (closed) store as LevelDB key-value pairs: another layout's records.
void put_raw(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& kv) {
  leveldb::DB* raw = nullptr;
  if (!leveldb::DB::Open(leveldb::Options{}, dir, &raw).ok())
    std::abort();
  std::unique_ptr<leveldb::DB> db{raw};
  leveldb::WriteOptions wo;
  wo.sync = true;
  for (const auto& [key, value] : kv)
    if (!db->Put(wo, key, value).ok())
      std::abort();
}

std::string tagged(char tag, const hash32& tx) {
  return std::string(1, tag) + std::string(reinterpret_cast<const char*>(tx.data()), tx.size);
}

std::string as_string(const bytes& b) {
  return std::string(b.data(), b.size());
}

/// The requests a store keeps, in the order it gives them.
std::vector<std::pair<hash32, sign_request>> requests_in(const validator_store& store) {
  std::vector<std::pair<hash32, sign_request>> out;
  if (store.for_each_request(
        [&](const hash32& tx, sign_request req) { out.emplace_back(tx, std::move(req)); }))
    std::abort();
  return out;
}

std::map<hash32, share> shares_in(const validator_store& store) {
  std::map<hash32, share> out;
  if (store.for_each_share([&](const hash32& tx, const share& s) { out.emplace(tx, s); }))
    std::abort();
  return out;
}

} // namespace

CAF_TEST(validator_locks_survive_reopen) {
  test::temp_dir dir;
  lock_record rec{h(1), {{h(2), 0}, {h(2), 1}}, sig(3)};
  {
    auto store = validator_store::open(dir.path(), h(9), 0);
    CAF_REQUIRE(store);
    CAF_CHECK(!*(*store)->lock_of({h(2), 0}));
    CAF_REQUIRE_EQUAL((*store)->commit({&rec}), caf::error{});
  }
  auto store = validator_store::open(dir.path(), h(9), 0);
  CAF_REQUIRE(store);
  CAF_CHECK(*(*store)->lock_of({h(2), 0}) == h(1));
  CAF_CHECK(*(*store)->lock_of({h(2), 1}) == h(1));
  CAF_CHECK(!*(*store)->lock_of({h(2), 2}));
  CAF_CHECK((*(*store)->share_of(h(1)))->sig == sig(3));
  CAF_CHECK(!(*(*store)->share_of(h(1)))->path);
  size_t locks = 0;
  CAF_CHECK_EQUAL((*store)->for_each_lock([&](const output_ref&, const hash32& tx) {
    CAF_CHECK(tx == h(1));
    ++locks;
  }),
                  caf::error{});
  CAF_CHECK_EQUAL(locks, 2u);
}

CAF_TEST(a_signed_transaction_is_one_record_beside_its_locks_holding_its_share_and_request) {
  test::temp_dir dir;
  auto k = test::thesis_keys();
  auto req = test::pay_from_genesis(k, 4, 30);
  auto tx = tx_hash(req.tx);
  share pooled{sig(3), merkle_path{5, {h(6), h(7)}}};
  lock_record rec{tx, req.tx.inputs, pooled};
  rec.request = std::make_shared<const bytes>(encode(req));
  {
    auto store = validator_store::open(dir.path(), k.net.id, 0);
    CAF_REQUIRE(store);
    CAF_REQUIRE_EQUAL((*store)->commit({&rec}), caf::error{});
  }
  auto n = records_by_tag(dir.path());
  CAF_CHECK_EQUAL(n['L'], 1u);
  CAF_CHECK_EQUAL(n['T'], 1u);
  CAF_CHECK_EQUAL(n.count('S') + n.count('Q'), 0u);
  auto store = validator_store::open(dir.path(), k.net.id, 0);
  CAF_REQUIRE(store);
  CAF_CHECK(**(*store)->share_of(tx) == pooled);
  CAF_CHECK(!*(*store)->share_of(h(8)));
  auto reqs = requests_in(**store);
  CAF_REQUIRE_EQUAL(reqs.size(), 1u);
  CAF_CHECK(reqs[0].first == tx);
  CAF_CHECK(encode(reqs[0].second) == encode(req));
  auto shares = shares_in(**store);
  CAF_REQUIRE_EQUAL(shares.size(), 1u);
  CAF_CHECK(shares[tx] == pooled);
}

CAF_TEST(a_store_in_the_older_layout_is_read_as_it_is_and_grows_in_the_new_one) {
  test::temp_dir dir;
  auto k = test::thesis_keys();
  CAF_REQUIRE(validator_store::open(dir.path(), k.net.id, 0)); // binds it
  // Before one record per signed transaction: its share under "S", its request under "Q".
  auto before = test::pay_from_genesis(k, 4, 30);
  auto old_tx = tx_hash(before.tx);
  auto sig3 = sig(3);
  put_raw(
    dir.path(),
    {{tagged('L', k.net.genesis_hash) + std::string(4, '\0'), tagged('L', old_tx).substr(1)},
     {tagged('S', old_tx), std::string(reinterpret_cast<const char*>(sig3.data()), sig3.size)},
     {tagged('Q', old_tx), as_string(encode(before))}});
  auto store = validator_store::open(dir.path(), k.net.id, 0);
  CAF_REQUIRE(store);
  CAF_CHECK((*(*store)->share_of(old_tx))->sig == sig(3));
  auto after = test::make_request(k, 4, {{old_tx, 0}}, {{test::addr(k, 5), 30}});
  auto new_tx = tx_hash(after.tx);
  lock_record rec{new_tx, after.tx.inputs, sig(4)};
  rec.request = std::make_shared<const bytes>(encode(after));
  CAF_REQUIRE_EQUAL((*store)->commit({&rec}), caf::error{});
  CAF_CHECK((*(*store)->share_of(old_tx))->sig == sig(3));
  CAF_CHECK((*(*store)->share_of(new_tx))->sig == sig(4));
  auto shares = shares_in(**store);
  CAF_CHECK_EQUAL(shares.size(), 2u);
  CAF_CHECK(shares[old_tx].sig == sig(3));
  CAF_CHECK(shares[new_tx].sig == sig(4));
  auto reqs = requests_in(**store);
  CAF_REQUIRE_EQUAL(reqs.size(), 2u);
  CAF_CHECK(reqs[0].first < reqs[1].first);
  for (const auto& [tx, req] : reqs)
    CAF_CHECK(tx_hash(req.tx) == tx);
}

CAF_TEST(a_transaction_signed_again_after_a_hand_over_keeps_one_request_the_newer) {
  test::temp_dir dir;
  auto k = test::thesis_keys();
  auto store = validator_store::open(dir.path(), k.net.id, 0);
  CAF_REQUIRE(store);
  // Two transactions handed over with their requests (made for the past committee).
  merged_locks handed;
  std::vector<hash32> txs;
  for (size_t to : {4, 5}) {
    auto req = test::pay_from_genesis(k, to, 30);
    req.committee_id = h(1);
    auto tx = tx_hash(req.tx);
    handed.locks[{tx, 9}] = tx;
    handed.requests[tx] = req;
    txs.push_back(tx);
  }
  CAF_REQUIRE_EQUAL((*store)->import_locks(handed), caf::error{});
  // One of them asked again of this committee: signed with the request made for it.
  auto again = handed.requests[txs[1]];
  again.committee_id = k.net.id;
  lock_record rec{txs[1], {{txs[1], 9}}, sig(4)};
  rec.request = std::make_shared<const bytes>(encode(again));
  CAF_REQUIRE_EQUAL((*store)->commit({&rec}), caf::error{});
  auto reqs = requests_in(**store);
  CAF_REQUIRE_EQUAL(reqs.size(), 2u);
  CAF_CHECK(reqs[0].first < reqs[1].first);
  for (const auto& [tx, req] : reqs)
    CAF_CHECK(req.committee_id == (tx == txs[1] ? k.net.id : h(1)));
}

CAF_TEST(a_damaged_signed_transaction_record_is_an_error_never_an_absent_share) {
  auto k = test::thesis_keys();
  auto scans_fail = [](const validator_store& store) {
    CAF_CHECK_EQUAL(code_of(store.for_each_share([](const hash32&, const share&) {})),
                    ec::storage_error);
    CAF_CHECK_EQUAL(code_of(store.for_each_request([](const hash32&, sign_request) {})),
                    ec::storage_error);
  };
  // A share size beyond the record's bytes, and a record too short for a size.
  for (auto damaged : {std::string("\x01\x44") + std::string(64, 'x'), std::string(1, '\0')}) {
    test::temp_dir dir;
    CAF_REQUIRE(validator_store::open(dir.path(), k.net.id, 0));
    put_raw(dir.path(), {{tagged('T', h(1)), damaged}});
    auto store = validator_store::open(dir.path(), k.net.id, 0);
    CAF_REQUIRE(store);
    auto given = (*store)->share_of(h(1));
    CAF_REQUIRE(!given);
    CAF_CHECK_EQUAL(code_of(given.error()), ec::storage_error);
    scans_fail(**store);
  }
  // A key cut short.
  test::temp_dir dir;
  CAF_REQUIRE(validator_store::open(dir.path(), k.net.id, 0));
  put_raw(dir.path(), {{tagged('T', h(3)).substr(0, 20), std::string(2, '\0')}});
  auto store = validator_store::open(dir.path(), k.net.id, 0);
  CAF_REQUIRE(store);
  scans_fail(**store);
}

CAF_TEST(validator_store_refuses_another_committee_or_index) {
  test::temp_dir dir;
  CAF_REQUIRE(validator_store::open(dir.path(), h(9), 0));
  auto other = validator_store::open(dir.path(), h(8), 0);
  CAF_CHECK_EQUAL(code_of(other.error()), ec::storage_error);
  auto other_index = validator_store::open(dir.path(), h(9), 1);
  CAF_CHECK_EQUAL(code_of(other_index.error()), ec::storage_error);
}

CAF_TEST(store_in_use_by_another_opener_is_refused_with_a_clear_error) {
  test::temp_dir dir;
  auto first = validator_store::open(dir.path(), h(9), 0);
  CAF_REQUIRE(first);
  auto second = validator_store::open(dir.path(), h(9), 0);
  CAF_REQUIRE(!second);
  CAF_CHECK_EQUAL(code_of(second.error()), ec::storage_error);
  CAF_CHECK(describe(second.error()).find("locked") != std::string::npos);
}

CAF_TEST(group_committer_calls_back_only_after_the_write) {
  test::temp_dir dir;
  std::shared_ptr<validator_store> store{std::move(*validator_store::open(dir.path(), h(9), 0))};
  std::atomic<int> done{0};
  {
    group_committer gc{store, group_committer::mode::background};
    for (uint8_t i = 1; i <= 50; ++i)
      gc.submit(lock_record{h(i), {{h(100), i}}, sig(i)},
                [&, i](const caf::error& err, const share&) {
                  // When the callback runs, the lock is readable from the store.
                  if (!err && *store->lock_of({h(100), i}) == h(i))
                    ++done;
                });
  } // the destructor drains the queue
  CAF_CHECK_EQUAL(done.load(), 50);
}

CAF_TEST(group_committer_writes_records_of_the_gap_in_one_batch) {
  test::temp_dir dir;
  std::shared_ptr<validator_store> store{std::move(*validator_store::open(dir.path(), h(9), 0))};
  group_committer gc{store, group_committer::mode::background, std::chrono::milliseconds(300)};
  // A lone record after a quiet spell is written at once, in a batch of its own.
  std::promise<void> first;
  gc.submit(lock_record{h(1), {{h(100), 1}}, sig(1)},
            [&](const caf::error&, const share&) { first.set_value(); });
  first.get_future().wait();
  CAF_CHECK_EQUAL(gc.batches(), 1u);
  // Records that arrive within the gap after that write wait for it to pass and share one write.
  std::atomic<int> durable{0};
  std::promise<void> all;
  for (uint8_t i = 2; i <= 4; ++i)
    gc.submit(lock_record{h(i), {{h(100), i}}, sig(i)},
              [&, i](const caf::error& err, const share&) {
                if (!err && *store->lock_of({h(100), i}) == h(i) && ++durable == 3)
                  all.set_value();
              });
  all.get_future().wait();
  CAF_CHECK_EQUAL(gc.batches(), 2u);
  CAF_CHECK_EQUAL(gc.records(), 4u);
}

CAF_TEST(group_committer_signs_one_root_per_batch_of_pooled_records) {
  test::temp_dir dir;
  auto k = test::thesis_keys();
  std::shared_ptr<validator_store> store{
    std::move(*validator_store::open(dir.path(), k.net.id, 0))};
  std::atomic<int> signed_roots{0};
  group_committer gc{store, group_committer::mode::background, std::chrono::milliseconds(200),
                     [&](const hash32& root) {
                       ++signed_roots;
                       return sign_batch_root(*k.validators[0], k.net, root);
                     }};
  std::promise<void> first;
  lock_record lone{h(1), {{h(100), 1}}, {}, true};
  gc.submit(lone, [&](const caf::error&, const share&) { first.set_value(); });
  first.get_future().wait();
  // Five records within the gap: one batch, one root, five paths that lead to it.
  std::mutex mtx;
  std::vector<std::pair<hash32, share>> given;
  std::promise<void> all;
  for (uint8_t i = 2; i <= 6; ++i) {
    lock_record rec{h(i), {{h(100), i}}, {}, true};
    gc.submit(rec, [&, i](const caf::error& err, const share& s) {
      std::lock_guard<std::mutex> guard{mtx};
      if (!err)
        given.emplace_back(h(i), s);
      if (given.size() == 5)
        all.set_value();
    });
  }
  all.get_future().wait();
  CAF_CHECK_EQUAL(gc.batches(), 2u);
  CAF_CHECK_EQUAL(gc.roots(), 2u);
  CAF_CHECK_EQUAL(signed_roots.load(), 2);
  for (const auto& [tx, s] : given) {
    CAF_REQUIRE(s.path);
    CAF_CHECK_EQUAL(s.path->siblings.size(), 3u); // 5 leaves: depth 3
    CAF_CHECK(verify_certificate_share(k.net, 0, tx, s.sig, s.path));
    CAF_CHECK(**store->share_of(tx) == s); // a retry gets the same share from the store
    CAF_CHECK(s.sig == given.front().second.sig);
  }
}

CAF_TEST(wallet_change_is_all_or_nothing_and_survives_reopen) {
  test::temp_dir dir;
  auto k = test::thesis_keys();
  auto a0 = test::addr(k, 0);
  utxo g{test::genesis_output(k), a0, 1'000'000};
  auto req = test::pay_from_genesis(k, 1, 10);
  auto tx = tx_hash(req.tx);
  {
    auto store = wallet_store::open(dir.path(), k.net.id);
    CAF_REQUIRE(store);
    wallet_change init;
    init.new_addresses.push_back(address_record{a0, test::address_key(k, 0).public_key(), ""});
    init.added.push_back(g);
    CAF_REQUIRE_EQUAL((*store)->apply(init), caf::error{});
    CAF_REQUIRE_EQUAL((*store)->record_pending(tx, req), caf::error{});
  }
  auto store = wallet_store::open(dir.path(), k.net.id);
  CAF_REQUIRE(store);
  auto& s = **store;
  CAF_CHECK_EQUAL(s.addresses()->size(), 1u);
  auto before = s.unspent(a0);
  CAF_REQUIRE_EQUAL(before->size(), 1u);
  CAF_CHECK_EQUAL(before->front().value, 1'000'000u);
  auto pending = s.pending();
  CAF_REQUIRE_EQUAL(pending->size(), 1u);
  CAF_CHECK(pending->front() == req);
  // Finishing the payment: spend, add change, keep the certificate, clear the pending record.
  certified_transaction ct{req.tx, test::certify(k, req.tx)};
  wallet_change fin;
  fin.certified = std::make_shared<const certified_transaction>(ct);
  fin.spent.push_back(g);
  fin.added.push_back(utxo{{tx, 1}, a0, 999'990});
  fin.finished_payment = tx;
  fin.outbox_add.push_back(outbox_entry{tx, test::addr(k, 1)});
  CAF_REQUIRE_EQUAL(s.apply(fin), caf::error{});
  CAF_CHECK(s.pending()->empty());
  auto after = s.unspent(a0);
  CAF_REQUIRE_EQUAL(after->size(), 1u);
  CAF_CHECK_EQUAL(after->front().value, 999'990u);
  CAF_CHECK(*s.certified(tx) == std::optional<certified_transaction>{ct});
  CAF_CHECK_EQUAL(s.outbox()->size(), 1u);
  // Unspent outputs are indexed by address: another address sees none of a0's.
  CAF_CHECK(s.unspent(test::addr(k, 1))->empty());
}

CAF_TEST(a_transaction_with_two_payees_keeps_one_handoff_per_payee_until_each_acknowledges) {
  test::temp_dir dir;
  auto k = test::thesis_keys();
  auto p1 = test::addr(k, 4), p2 = test::addr(k, 5);
  auto req = test::make_request(k, 0, {test::genesis_output(k)}, {{p1, 10}, {p2, 999'990}});
  certified_transaction ct{req.tx, test::certify(k, req.tx)};
  auto tx = ct.cert.tx_hash;
  {
    auto store = wallet_store::open(dir.path(), k.net.id);
    CAF_REQUIRE(store);
    wallet_change fin;
    fin.certified = std::make_shared<const certified_transaction>(ct);
    fin.outbox_add = {outbox_entry{tx, p1}, outbox_entry{tx, p2}};
    CAF_REQUIRE_EQUAL((*store)->apply(fin), caf::error{});
    CAF_CHECK_EQUAL((*store)->outbox()->size(), 2u);
    wallet_change ack;
    ack.outbox_done.push_back(outbox_entry{tx, p1});
    CAF_REQUIRE_EQUAL((*store)->apply(ack), caf::error{});
  }
  auto store = wallet_store::open(dir.path(), k.net.id);
  CAF_REQUIRE(store);
  auto snap = (*store)->snapshot({});
  CAF_REQUIRE(snap);
  CAF_REQUIRE_EQUAL(snap->outbox.size(), 1u);
  CAF_CHECK(snap->outbox[0].payee == p2);
  CAF_CHECK(snap->outbox[0].certified == ct);
}

CAF_TEST(wallet_store_refuses_another_committee) {
  test::temp_dir dir;
  auto k = test::thesis_keys();
  CAF_REQUIRE(wallet_store::open(dir.path(), k.net.id));
  auto other = wallet_store::open(dir.path(), test::thesis_keys(99).net.id);
  CAF_CHECK_EQUAL(code_of(other.error()), ec::storage_error);
}
