// Rule 4 across lock shards (protocol/lock_shards.hpp), on real LevelDB stores, one per shard: a
// transaction is signed only once every shard holds its inputs durably, conflicting transactions
// racing over the shards are never both signed, a kill between reserving and signing loses no
// reservation, and reservations are released on a conflict only, never on a fault.
#define CAF_SUITE lock_shards
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <algorithm>
#include <set>

#include "messages/error.hpp"
#include "persistence/validator_store.hpp"
#include "protocol/lock_shards.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

hash32 h(uint8_t b) {
  return test::filled<hash32>(b);
}

/// `n` outputs whose locks shard `k` of `shards` holds.
std::vector<output_ref> outputs_in(uint32_t k, uint32_t shards, size_t n, uint8_t salt = 0) {
  std::vector<output_ref> out;
  for (uint32_t i = 0; out.size() < n; ++i) {
    output_ref ref{h(static_cast<uint8_t>(100 + salt)), i};
    if (shard_of(ref, shards) == k)
      out.push_back(ref);
  }
  return out;
}

/// A lock table whose reads fail (a damaged store).
struct unreadable_table : lock_table {
  caf::expected<std::optional<hash32>> lock_of(const output_ref&) const override {
    return make_error(ec::storage_error, "checksum mismatch");
  }
  caf::expected<std::optional<share>> share_of(const hash32&) const override {
    return make_error(ec::storage_error, "checksum mismatch");
  }
};

/// One validator's lock shards, each on its own store, and its coordinator's rounds. Messages
/// are delivered by the test, in the order it chooses; every reservation is written at once.
struct sharded_fixture {
  static constexpr uint32_t shards = 2;
  test::temp_dir dir;
  std::vector<std::shared_ptr<validator_store>> stores{shards};
  std::vector<std::unique_ptr<lock_shard_core>> cores{shards};
  std::unique_ptr<reservation_rounds> rounds;
  /// Transactions the coordinator signed (the signer's part).
  std::multiset<hash32> signed_txs;
  std::vector<output_ref> x = outputs_in(0, shards, 3), y = outputs_in(1, shards, 3);

  sharded_fixture() { restart(); }

  /// Every part killed and started again: what the stores hold is all that is left.
  void restart() {
    for (uint32_t k = 0; k < shards; ++k) {
      cores[k].reset();
      stores[k].reset();
      auto s = validator_store::open(dir / ("shard-" + std::to_string(k)), h(9), 0);
      CAF_REQUIRE(s);
      stores[k] = std::move(*s);
      cores[k] = std::make_unique<lock_shard_core>(stores[k]);
    }
    rounds = std::make_unique<reservation_rounds>(shards);
  }

  /// Shard k takes `tx`'s reservation of `inputs` and writes it; the coordinator's next step.
  reservation_rounds::step deliver(const hash32& tx, uint32_t k,
                                   const std::vector<output_ref>& inputs) {
    auto out = cores[k]->reserve(tx, inputs);
    CAF_REQUIRE(out.kind != lock_shard_core::outcome::await);
    auto answer = out.answer;
    if (out.kind == lock_shard_core::outcome::commit)
      answer = cores[k]->committed(tx, stores[k]->commit({&out.record}));
    return rounds->answered(tx, k, answer);
  }

  /// The coordinator's decision, performed: signs, or writes the releases it asks for.
  void decide(const hash32& tx, const reservation_rounds::step& s) {
    if (s.kind == reservation_rounds::step::sign) {
      signed_txs.insert(tx);
    } else if (s.kind == reservation_rounds::step::refuse) {
      for (const auto& [k, inputs] : s.asks) {
        CAF_REQUIRE_EQUAL(cores[k]->may_release(tx), caf::error{});
        CAF_REQUIRE_EQUAL(stores[k]->release(tx, inputs), caf::error{});
      }
    } else {
      return;
    }
    rounds->finished(tx);
  }

  /// One whole round of `tx`, its shards answering in shard order; the deciding step.
  reservation_rounds::step round(const hash32& tx, const std::vector<output_ref>& inputs) {
    auto s = rounds->begin(tx, inputs);
    CAF_REQUIRE_EQUAL(s.kind, reservation_rounds::step::reserve);
    auto asks = s.asks;
    for (const auto& [k, ins] : asks)
      s = deliver(tx, k, ins);
    decide(tx, s);
    return s;
  }

  std::optional<hash32> lock(const output_ref& in) {
    auto l = stores[shard_of(in, shards)]->lock_of(in);
    CAF_REQUIRE(l);
    return *l;
  }

  /// Every signed transaction has each of its inputs locked to it, durably, in its shard.
  bool signed_ones_hold(const std::map<hash32, std::vector<output_ref>>& txs) {
    for (const auto& tx : signed_txs)
      for (const auto& in : txs.at(tx))
        if (lock(in) != tx)
          return false;
    return true;
  }
};

std::vector<output_ref> join(std::vector<output_ref> a, const std::vector<output_ref>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

} // namespace

CAF_TEST(inputs_fall_into_shards_by_their_hash_evenly_and_always_the_same) {
  std::vector<size_t> count(4);
  for (uint32_t i = 0; i < 4000; ++i) {
    output_ref ref{h(static_cast<uint8_t>(i % 200)), i};
    auto k = shard_of(ref, 4);
    CAF_REQUIRE_LESS(k, 4u);
    CAF_CHECK_EQUAL(k, shard_of(ref, 4));
    ++count[k];
  }
  for (auto n : count) {
    CAF_CHECK_GREATER(n, 850u);
    CAF_CHECK_LESS(n, 1150u);
  }
  CAF_CHECK_EQUAL(shard_of({h(1), 0}, 1), 0u);
  // Siblings of one transaction spread too.
  auto parts = inputs_by_shard({{h(7), 0}, {h(7), 1}, {h(7), 2}, {h(7), 3}, {h(7), 4}}, 2);
  CAF_CHECK_EQUAL(parts.size(), 2u);
}

CAF_TEST_FIXTURE_SCOPE(lock_shards_tests, sharded_fixture)

CAF_TEST(a_transaction_across_shards_is_signed_only_once_every_shard_holds_its_inputs) {
  auto inputs = join({x[0]}, {y[0]});
  auto s = rounds->begin(h(1), inputs);
  CAF_REQUIRE_EQUAL(s.kind, reservation_rounds::step::reserve);
  CAF_REQUIRE_EQUAL(s.asks.size(), 2u);
  CAF_CHECK_EQUAL(rounds->begin(h(1), inputs).kind, reservation_rounds::step::await);
  s = deliver(h(1), 0, s.asks.at(0));
  CAF_CHECK_EQUAL(s.kind, reservation_rounds::step::waiting); // shard 1 has not answered
  CAF_CHECK(lock(x[0]) == h(1));
  CAF_CHECK(!lock(y[0]));
  s = deliver(h(1), 1, {y[0]});
  CAF_CHECK_EQUAL(s.kind, reservation_rounds::step::sign);
  decide(h(1), s);
  CAF_CHECK(lock(y[0]) == h(1));
  // A shard keeps no share: the signer does.
  CAF_CHECK(!*stores[0]->share_of(h(1)));
  // The same transaction again (a retry) is held already and signed again; another that spends
  // one of its inputs is refused with the conflict, and releases nothing of h(1)'s.
  CAF_CHECK_EQUAL(round(h(1), inputs).kind, reservation_rounds::step::sign);
  auto refused = round(h(2), join({x[1]}, {y[0]}));
  CAF_CHECK_EQUAL(refused.kind, reservation_rounds::step::refuse);
  CAF_CHECK_EQUAL(refused.answer.kind, reservation_answer::conflict);
  CAF_REQUIRE_EQUAL(refused.answer.conflicts.size(), 1u);
  CAF_CHECK(refused.answer.conflicts[0].other_tx == h(1));
  CAF_CHECK(lock(y[0]) == h(1));
  CAF_CHECK(!lock(x[1])); // h(2)'s reservation of x[1] was released
}

CAF_TEST(two_conflicting_transactions_racing_over_the_shards_are_never_both_signed) {
  // h(1) and h(2) spend x[0] (shard 0) and y[0] (shard 1); each shard takes the two
  // reservations in either order, and the four deliveries interleave in every way.
  std::map<hash32, std::vector<output_ref>> txs{{h(1), join({x[0]}, {y[0]})},
                                                {h(2), join({x[0]}, {y[0]})}};
  std::vector<int> order{0, 1, 2, 3}; // event e: transaction e / 2 + 1 at shard e % 2
  size_t orders = 0, one_signed = 0;
  do {
    for (uint32_t k = 0; k < shards; ++k) {
      stores[k].reset();
      cores[k].reset();
    }
    dir = test::temp_dir{};
    restart();
    signed_txs.clear();
    for (auto tx : {h(1), h(2)})
      CAF_REQUIRE_EQUAL(rounds->begin(tx, txs[tx]).kind, reservation_rounds::step::reserve);
    for (int e : order) {
      auto tx = h(static_cast<uint8_t>(e / 2 + 1));
      uint32_t k = e % 2;
      decide(tx, deliver(tx, k, {k == 0 ? x[0] : y[0]}));
    }
    CAF_CHECK_LESS_OR_EQUAL(signed_txs.size(), 1u);
    // Retries, each until its round ends, in both orders: still at most one, and it holds.
    for (auto tx : {h(2), h(1), h(1), h(2)})
      round(tx, txs[tx]);
    CAF_CHECK_LESS_OR_EQUAL(std::set<hash32>(signed_txs.begin(), signed_txs.end()).size(), 1u);
    CAF_CHECK(signed_ones_hold(txs));
    one_signed += signed_txs.empty() ? 0 : 1;
    ++orders;
  } while (std::next_permutation(order.begin(), order.end()));
  CAF_CHECK_EQUAL(orders, 24u);
  CAF_CHECK_GREATER(one_signed, 0u); // where one came first everywhere, it was signed
}

CAF_TEST(a_shard_killed_between_reserving_and_signing_keeps_its_reservation_and_the_retry_signs) {
  auto inputs = join({x[0], x[1]}, {y[0]});
  auto s = rounds->begin(h(1), inputs);
  s = deliver(h(1), 0, s.asks.at(0)); // shard 0 holds durably; then every part is killed
  CAF_CHECK_EQUAL(s.kind, reservation_rounds::step::waiting);
  restart();
  // The reservation survived: a conflicting transaction is refused at shard 0 ...
  auto other = round(h(2), join({x[0]}, {y[1]}));
  CAF_CHECK_EQUAL(other.kind, reservation_rounds::step::refuse);
  CAF_CHECK(lock(x[0]) == h(1));
  CAF_CHECK(!lock(y[1])); // ... and what it reserved at shard 1 is released
  // ... and the retry of the first finds it held and completes.
  CAF_CHECK_EQUAL(round(h(1), inputs).kind, reservation_rounds::step::sign);
  CAF_CHECK_EQUAL(signed_txs.count(h(1)), 1u);
  CAF_CHECK_EQUAL(signed_txs.count(h(2)), 0u);
}

CAF_TEST(a_reservation_not_yet_written_when_its_shard_dies_is_lost_whole_and_made_again) {
  auto inputs = join({x[0]}, {y[0]});
  auto s = rounds->begin(h(1), inputs);
  auto pending = cores[1]->reserve(h(1), {y[0]});
  CAF_REQUIRE_EQUAL(pending.kind, lock_shard_core::outcome::commit);
  // Meanwhile a conflicting reservation at the same shard is refused (held in memory) ...
  CAF_CHECK_EQUAL(cores[1]->reserve(h(2), {y[0]}).answer.kind, reservation_answer::conflict);
  // ... a retry waits for the write, and no release may overtake it.
  CAF_CHECK_EQUAL(cores[1]->reserve(h(1), {y[0]}).kind, lock_shard_core::outcome::await);
  CAF_CHECK_EQUAL(code_of(cores[1]->may_release(h(1))), ec::storage_fault);
  restart(); // killed before the write: nothing of it is on disk, nothing was signed
  CAF_CHECK(!lock(y[0]));
  CAF_CHECK_EQUAL(round(h(1), inputs).kind, reservation_rounds::step::sign);
  CAF_CHECK(lock(y[0]) == h(1));
}

CAF_TEST(a_fault_releases_nothing_and_a_conflict_releases_the_other_shards_reservations) {
  // h(1) is signed; its answer is lost. Its retry meets a shard that cannot read its store: the
  // round is refused with the fault and releases nothing — a fault proves nothing, and releasing
  // h(1)'s locks would let a second transaction spend x[0].
  auto inputs = join({x[0]}, {y[0]});
  CAF_REQUIRE_EQUAL(round(h(1), inputs).kind, reservation_rounds::step::sign);
  lock_shard_core damaged{std::make_shared<unreadable_table>()};
  auto s = rounds->begin(h(1), inputs);
  deliver(h(1), 0, {x[0]});
  s = rounds->answered(h(1), 1, damaged.reserve(h(1), {y[0]}).answer);
  CAF_CHECK_EQUAL(s.kind, reservation_rounds::step::refuse);
  CAF_CHECK_EQUAL(s.answer.kind, reservation_answer::fault);
  CAF_CHECK(s.asks.empty());
  CAF_CHECK(damaged.faulted());
  CAF_CHECK(!rounds->under_way(h(1)));
  CAF_CHECK(lock(x[0]) == h(1));
  CAF_CHECK_EQUAL(code_of(damaged.may_release(h(1))), ec::storage_fault);
  // A conflict does release: h(3) reserves x[1] and meets h(1)'s y[0]; x[1] is free again and
  // h(4) may spend it.
  CAF_CHECK_EQUAL(round(h(3), join({x[1]}, {y[0]})).kind, reservation_rounds::step::refuse);
  CAF_CHECK(!lock(x[1]));
  CAF_CHECK_EQUAL(round(h(4), {x[1]}).kind, reservation_rounds::step::sign);
  // A release never touches another transaction's lock, even if asked to.
  CAF_CHECK_EQUAL(stores[0]->release(h(3), {x[0], x[1]}), caf::error{});
  CAF_CHECK(lock(x[0]) == h(1));
  CAF_CHECK(lock(x[1]) == h(4));
}

CAF_TEST_FIXTURE_SCOPE_END()
