// Shared by the two stores: opening a LevelDB, translating its status, big-endian key parts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <leveldb/db.h>

#include "messages/bytes.hpp"
#include "persistence/storage_faults.hpp"
#include "messages/error.hpp"
#include "messages/transaction.hpp"

namespace acfts::detail {

inline caf::error to_error(const leveldb::Status& st, const std::string& what) {
  if (st.ok())
    return caf::none;
  if (st.IsCorruption())
    return make_error(ec::storage_error, what + ": store is damaged (" + st.ToString() + ")");
  return make_error(ec::storage_error, what + ": " + st.ToString());
}

/// An open LevelDB and the Env it runs on (the Env must outlive the DB: members destroy in
/// reverse order).
struct db_handle {
  std::unique_ptr<leveldb::Env> env; // null: the default Env
  std::unique_ptr<leveldb::DB> db;
};

/// Opens (creating if needed) the LevelDB at `dir`. A directory held by a running node fails
/// with a clear "locked" message. With `faults`, file syncs go through the fault switch.
///
/// Damage is an error, never a silent loss: the store runs with LevelDB's paranoid checks, so a
/// log record or table block whose checksum fails stops the open (or the read) instead of being
/// dropped. The error is one line that names the damaged file and ends with `on_damage` (what
/// the operator can do).
///
/// `memtable_bytes` is LevelDB's write buffer: the bytes written before a table is made of them.
caf::expected<db_handle> open_db(const std::string& dir, storage_faults_ptr faults,
                                 const std::string& on_damage, size_t memtable_bytes);

/// A validator's (or lock shard's) store keeps each request with its lock: it takes most of a
/// payment's bytes, and a small memtable makes many small tables that compaction merges again
/// and again (bench/RESULTS.md, "The validator's memtable").
constexpr size_t validator_memtable_bytes = 8 << 20;
/// A wallet writes a few records per payment, a payee the whole certificate of each: with 1 MiB
/// a merchant's wallet spent ever more of its time merging small tables as its store grew
/// (bench/RESULTS.md, "A wallet's memtable"). A process may hold many wallets; a memtable takes
/// memory only as it is written.
constexpr size_t wallet_memtable_bytes = 4 << 20;

/// Read options for every read of a store: block checksums verified.
leveldb::ReadOptions checked_reads();

/// Checks or writes the store's binding to a network: a store never serves another committee.
/// Reading it is the first read of every open, so a damaged table block refuses the open with
/// `on_damage` like a damaged log does. A store bound to one of `earlier_metas` (a committee
/// this one took over from) is bound anew.
caf::error bind_meta(leveldb::DB& db, const std::string& expected_meta, const std::string& dir,
                     const std::string& on_damage,
                     const std::vector<std::string>& earlier_metas = {});

template <size_t N, class Tag>
void append(std::string& key, const fixed_bytes<N, Tag>& x) {
  key.append(reinterpret_cast<const char*>(x.data()), N);
}

inline void append_u32(std::string& key, uint32_t x) {
  for (int shift = 24; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>(x >> shift));
}

inline void append_u64(std::string& key, uint64_t x) {
  for (int shift = 56; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>(x >> shift));
}

inline uint32_t read_u32(const char* p) {
  uint32_t x = 0;
  for (int i = 0; i < 4; ++i)
    x = x << 8 | static_cast<uint8_t>(p[i]);
  return x;
}

inline uint64_t read_u64(const char* p) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i)
    x = x << 8 | static_cast<uint8_t>(p[i]);
  return x;
}

inline void append(std::string& key, const output_ref& ref) {
  append(key, ref.tx);
  append_u32(key, ref.index);
}

} // namespace acfts::detail
