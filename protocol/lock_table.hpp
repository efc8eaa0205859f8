// What the validator's rules read of a validator's durable memory — which transaction each spent
// output is locked to, and the signature it gave each transaction — and what one signing adds.
// persistence/validator_store implements it on LevelDB; memory_lock_table in memory (rule
// tests, the fuzz target). The rules never see how it is stored.
#pragma once

#include <optional>
#include <unordered_map>
#include <vector>

#include <caf/expected.hpp>

#include <memory>

#include "messages/codec.hpp"
#include "messages/requests.hpp"
#include "messages/transaction.hpp"

namespace acfts {

/// Everything a validator writes when it signs one transaction: its inputs' locks and its
/// share, in one durable batch.
struct lock_record {
  hash32 tx;
  std::vector<output_ref> inputs;
  /// A single share made with the request's checks, or (pooled) the share its batch gets.
  share given;
  /// Pooled: whoever writes the batch signs its root and fills in `given` first.
  bool pooled = false;
  /// The owner-signed request that made the locks (encoded, as it came), kept with them: a lock
  /// set handed to a new committee proves each of its locks (doc/protocol.md, Committee changes).
  std::shared_ptr<const bytes> request = nullptr;
  /// A lock shard's reservation (protocol/lock_shards.hpp): the locks of its inputs only; the
  /// share and the request are the signer's to keep.
  bool locks_only = false;
};

class lock_table {
public:
  virtual ~lock_table() = default;

  /// The transaction `input` is locked to, if any. An error (a damaged store) is never "none".
  virtual caf::expected<std::optional<hash32>> lock_of(const output_ref& input) const = 0;

  /// The share this validator gave `tx`, if any.
  virtual caf::expected<std::optional<share>> share_of(const hash32& tx) const = 0;

  /// The next committee this validator sealed its locks for, if it did: it locks nothing new.
  virtual caf::expected<std::optional<hash32>> sealed_for() const { return std::nullopt; }
};

/// What rule 4 finds of `inputs` for `tx`: the locks decided but not yet durable (`pending`)
/// first, then the table's.
struct lock_scan {
  std::vector<conflict_entry> conflicts;
  /// Inputs locked to `tx` already (a retry, or an earlier round).
  size_t locked_to_tx = 0;
};

/// An error when a lock cannot be read (a lock it cannot read may be a lock it lost).
inline caf::expected<lock_scan> scan_locks(const lock_table& table,
                                           const std::unordered_map<output_ref, hash32>& pending,
                                           const hash32& tx,
                                           const std::vector<output_ref>& inputs) {
  lock_scan out;
  for (const auto& in : inputs) {
    std::optional<hash32> lock;
    if (auto i = pending.find(in); i != pending.end()) {
      lock = i->second;
    } else {
      auto stored = table.lock_of(in);
      if (!stored)
        return std::move(stored.error());
      lock = *stored;
    }
    if (!lock)
      continue;
    if (*lock == tx)
      ++out.locked_to_tx;
    else
      out.conflicts.push_back(conflict_entry{in, *lock});
  }
  return out;
}

} // namespace acfts
