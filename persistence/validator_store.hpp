// A validator's durable memory: which transaction each spent output is locked to, and the
// signature the validator gave each transaction. Backed by LevelDB; every commit is one synced
// write batch, so after `commit` returns without error the locks survive kill -9 and power loss.
//
// Key layout (all binary, integers big-endian):
//   "M"                          → committee_id(32) || validator_index(2)   binding of the store
//   "L" || tx(32) || index(4)    → tx_hash(32)                               lock of one output
//   "T" || tx_hash(32)           → share_size(2) || share || request          a signed transaction
//       share: signature(64)                                                   a single share
//          or signature(64) || position(4) || siblings(32 each)                a pooled share
//       request: the encoded sign_request that made its locks (empty: none kept)
//   "Q" || tx_hash(32)           → request                                    a request imported
//                                                                              with handed-over
//                                                                              locks
// Older stores (written before a signed transaction was one record) hold "S" || tx_hash(32) →
// share and a "Q" record for what they signed; they are read as they are, with no migration (a
// share is looked up under "S" only in a store that holds any).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/bytes.hpp"
#include "messages/committee_change.hpp"
#include "messages/transaction.hpp"
#include "persistence/storage_faults.hpp"
#include "protocol/lock_handover.hpp"
#include "protocol/lock_table.hpp"

namespace leveldb {
class DB;
class Env;
} // namespace leveldb

namespace acfts {

/// The key layout above as constants: one-byte tags, and sizes in bytes.
namespace validator_keys {
constexpr char lock_tag = 'L';
/// "S" || tx_hash(32) → share: what older stores kept of a signed transaction (with a "Q").
constexpr char sig_tag = 'S';
/// "T" || tx_hash(32) → share_size(2) || share || request: a signed transaction, one record,
/// so that a signature costs one memtable insert besides its locks, not two.
constexpr char signed_tag = 'T';
/// "Z" → the encoded seal_statement, once the validator sealed its locks for a new committee.
constexpr char seal_tag = 'Z';
/// "Q" || tx_hash(32) → the encoded sign_request that made the locks of tx, for locks imported
/// from a hand-over (and, in older stores, for every signed transaction).
constexpr char request_tag = 'Q';
/// "C" → the counter (8 bytes, big-endian) of the last release a lock shard in its own process
/// wrote (protocol/part_link.hpp): no call at or below it is accepted again.
constexpr char call_counter_tag = 'C';
/// "N" → which shard of how many this store holds (two 4-byte big-endian numbers), for a lock
/// shard in its own process.
constexpr char shard_tag = 'N';
/// "L" || tx(32) || index(4)
constexpr size_t lock_key_size = 1 + 32 + 4;
/// "S", "T" or "Q" || tx_hash(32)
constexpr size_t sig_key_size = 1 + 32;
} // namespace validator_keys

/// The lock table of a validator (protocol/lock_table.hpp) on LevelDB.
class validator_store : public lock_table {
public:
  /// Opens or creates the store in `dir`, bound to one committee and validator index: opening it
  /// for another fails (ec::storage_error), as does a directory locked by a running process.
  /// `faults` (tests, drills) injects failures below the store.
  static caf::expected<std::unique_ptr<validator_store>> open(const std::string& dir,
                                                              const hash32& committee_id,
                                                              uint16_t validator_index,
                                                              storage_faults_ptr faults = nullptr);

  ~validator_store() override;

  caf::expected<std::optional<hash32>> lock_of(const output_ref& input) const override;

  caf::expected<std::optional<share>> share_of(const hash32& tx) const override;

  /// Writes all records in one synced batch. On error nothing is known to be durable.
  caf::error commit(const std::vector<const lock_record*>& records);

  /// Deletes the locks of `inputs` that are locked to `tx` (a lock shard's reservation of a
  /// transaction another shard refused: protocol/lock_shards.hpp), in one synced batch.
  caf::error release(const hash32& tx, const std::vector<output_ref>& inputs);

  /// The same, for a shard in its own process: `counter` (the call's) is written in the same
  /// batch, so that the call is refused when played again, even after a restart.
  caf::error release(const hash32& tx, const std::vector<output_ref>& inputs, uint64_t counter);

  /// Binds this store to shard `k` of `shards` on first use; afterwards refuses any other
  /// (ec::invalid_config, naming the one it holds): with another count, inputs would fall into
  /// other shards, and a shard would not see the locks another one holds.
  caf::error bind_shard(uint32_t k, uint32_t shards);

  /// The counter of the last release written with one (0: none).
  caf::expected<uint64_t> last_call_counter() const;

  /// Calls `f(input, tx)` for every lock on disk (offline audits).
  caf::error for_each_lock(const std::function<void(const output_ref&, const hash32&)>& f) const;

  /// Calls `f(tx, request)` for every request kept with its locks, in the order of `tx`: one per
  /// transaction (the one it was signed with in this committee, if it was, else the imported one).
  caf::error for_each_request(const std::function<void(const hash32&, sign_request)>& f) const;

  /// Calls `f(tx, share)` for every share on disk (offline audits).
  caf::error for_each_share(const std::function<void(const hash32&, const share&)>& f) const;

  /// The seal this validator made (a committee change), if any.
  caf::expected<std::optional<seal_statement>> seal() const;
  caf::expected<std::optional<hash32>> sealed_for() const override;

  /// Records the seal, synced: from then on the validator locks nothing new, across restarts.
  caf::error put_seal(const seal_statement& s);

  /// Writes the locks a new validator starts from (protocol/lock_handover.hpp), with their
  /// requests, in one synced batch; an unspendable input is locked to unspendable_tx(). Error:
  /// storage_error (also when the store holds any lock already).
  caf::error import_locks(const merged_locks& merged);

  /// Whether the store holds any lock (one seek).
  caf::expected<bool> holds_locks() const;

  const std::string& dir() const { return dir_; }

private:
  validator_store(std::string dir, std::unique_ptr<leveldb::Env> env,
                  std::unique_ptr<leveldb::DB> db);
  std::string dir_;
  std::unique_ptr<leveldb::Env> env_; // outlives db_
  std::unique_ptr<leveldb::DB> db_;
  /// Whether the store holds shares under "S" (an older store): only then does a
  /// share lookup that misses "T" look there too.
  bool legacy_shares_ = false;
};

/// The store of lock shard `k` of the validator whose own store is in `data_dir`.
std::string shard_store_dir(const std::string& data_dir, uint32_t k);

/// How many lock shard stores the validator whose own store is in `data_dir` has (0: none).
uint32_t shard_stores_in(const std::string& data_dir);

/// Calls `f(input, tx)` for every lock of the validator whose own store is `home`: its own, and
/// those of its lock shards, if it has any (their stores are opened: the validator is stopped).
/// Seals, lock exports and audits read a validator's locks through it.
caf::error for_each_validator_lock(const validator_store& home, const hash32& committee_id,
                                   uint16_t index,
                                   const std::function<void(const output_ref&, const hash32&)>& f);

} // namespace acfts
