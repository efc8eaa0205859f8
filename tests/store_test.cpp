// The durable stores on real LevelDB directories: what is committed survives a reopen, a batch is
// all or nothing, and a store refuses another committee or a second opener.
#define CAF_SUITE store
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>

#include "messages/error.hpp"
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
