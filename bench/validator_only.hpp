// The validator alone: one validator actor with its durable store, fed pre-signed, pre-encoded
// sign requests (each spending an output of its own certified parent) with a window of requests
// in flight, counting `Signed` replies — the way FastPay's single-authority benchmark measures.
#pragma once

#include "protocol/validator_core.hpp"

#include <cstddef>
#include <string>

#include <caf/expected.hpp>

namespace acfts {

struct validator_bench_options {
  size_t validators = 4;
  /// CAF scheduler threads.
  size_t workers = 1;
  size_t requests = 20000;
  /// Requests in flight.
  size_t window = 512;
  /// The validator's LevelDB directory goes below it.
  std::string data_dir;
  /// How the validator signs, and how the parents' certificates were signed (pooled: their
  /// validators signed one root per batch of `parent_batch` parents).
  share_mode shares = share_mode::pooled;
  size_t parent_batch = 64;
  uint32_t lock_shards = 1;
  /// A cluster file (acfts keygen) whose validator v0 has parts as processes of their own,
  /// already listening: the validator is v0, linked to them, with its keys and store. Empty:
  /// keys made in memory, every part in this process.
  std::string config;
};

struct validator_bench_result {
  size_t signed_replies = 0;
  double seconds = 0;
  /// Lock records per synced write (group commit).
  double mean_batch = 0;
  /// CPU seconds (user and system) of this process (validator and driver) while timed.
  double cpu_seconds = 0;
  double per_second() const { return seconds > 0 ? signed_replies / seconds : 0; }
};

/// Errors: whatever the cluster or store set-up reports; ec::payment_rejected when a request
/// is not signed (the requests are all valid, so that is a bug).
caf::expected<validator_bench_result> run_validator_only(const validator_bench_options& opts);

} // namespace acfts
