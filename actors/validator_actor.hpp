// The validator actor: owns its store and a group committer, runs validator_core on each request,
// and sends `Signed` only after the lock record is durable.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "crypto/keys.hpp"
#include "persistence/storage_faults.hpp"
#include "protocol/network.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

/// Whether a part of a validator in another process (a lock shard or a verifier) is reachable,
/// as its link sees it: for the validator's metrics (acfts_validator_part_up) and `acfts
/// status`. Written by the part's link, read by the validator.
struct part_status {
  explicit part_status(std::string n) : name(std::move(n)) {}
  /// "shard-K" or "verifier-K".
  std::string name;
  std::atomic<bool> up{true};
};

using part_status_ptr = std::shared_ptr<part_status>;

struct validator_options {
  network net;
  uint16_t index = 0;
  key_pair_ptr key;
  /// The LevelDB directory (created if missing; bound to this committee and index).
  std::string data_dir;
  /// Sync writes on a private thread with group commit (production) or inline (tests).
  bool background_commit = true;
  /// Injects storage faults below the store (tests and drills); null in production.
  storage_faults_ptr faults;
  /// Called once, when the validator becomes faulted (its store failed a write or a read): it
  /// refuses every request from then on until restarted. The node logs it at error level.
  std::function<void(const caf::error& cause)> on_fault;
  /// Verifier actors that check signatures in parallel (0: the validator checks them itself).
  /// Only the lock step stays serialized in the validator actor.
  size_t verifiers = 0;
  /// One signature per transaction, or one per group-commit batch (a Merkle root).
  share_mode shares = share_mode::pooled;
  /// Lock shards (protocol/lock_shards.hpp): 1 keeps every lock in the validator's own store;
  /// S > 1 keeps them in S shard stores, `data_dir`/shard-K, each with its own group commit
  /// (the validator's own store then keeps shares and requests). A store is always opened with
  /// the count it was first run with (else ec::invalid_config).
  uint32_t lock_shards = 1;
  /// Lock shards in other processes, reached through their links (spawn_shard_link,
  /// actors/detail/lock_shard_actor.hpp), shard K at K; `lock_shards` is then their count and
  /// no shard store is opened here.
  std::vector<caf::actor> remote_shards;
  /// Verifiers in other processes: each makes the link to one (spawn_verifier_link,
  /// actors/verifier_parts.hpp) around the validator's own checker, which finishes their
  /// verdicts (a hand-over's locks, the single share). With any, `verifiers` is not used: the
  /// validator checks no signature itself.
  using verifier_link_fn = std::function<caf::actor(std::shared_ptr<request_checker> finisher)>;
  struct remote_verifier {
    verifier_link_fn link;
    /// Whether its link reaches it (may be null): requests go to the reachable ones.
    part_status_ptr status;
  };
  std::vector<remote_verifier> remote_verifiers;
  /// The state of each part in another process (its links write it), for the metrics.
  std::vector<part_status_ptr> parts;
};

/// Opens the validator's store and spawns it. Errors: ec::storage_error (cannot open, locked,
/// bound to another committee), ec::invalid_config (index out of range, key not the member's).
///
/// Messages: (sign, bytes) → (reply, bytes) — the reply is an encoded sign_reply;
/// (stats) → validator_stats (actors/local_types.hpp).
caf::expected<caf::actor> spawn_validator(caf::actor_system& sys, validator_options opts);

} // namespace acfts
