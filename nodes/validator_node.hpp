// `acfts validator --config FILE --name v0`: one validator as a CAF node on its port.
#pragma once

#include "protocol/validator_core.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace acfts {

/// Opens the validator's store, publishes it on host:port and serves until SIGTERM/SIGINT.
/// Returns the exit code (1 with a one-line message on bad config, a busy port, a locked store).
/// `fault_drill`, when not empty, names a file: while it exists every fsync of the store fails
/// (a drill: what operators see of a dying disk). `lock_shards`: validator_options::lock_shards.
/// A validator whose entry lists `lock_shards` (host:port each) calls them as processes of their
/// own (run_lock_shard_part), which must be listening first.
int run_validator_node(const std::string& config, const std::string& name, bool verbose,
                       share_mode shares = share_mode::pooled, const std::string& fault_drill = {},
                       uint32_t lock_shards = 1);

/// `acfts validator --config FILE --name v0 --part shard:K`: lock shard K of validator `name` as
/// a process of its own, on the K-th host:port of the entry's `lock_shards`, with its store in
/// data_dir/shard-K; it accepts only calls tagged with its link's key (keys/<v>.parts.key.shard-K,
/// or derived from the validator's part key when that file is not there).
int run_lock_shard_part(const std::string& config, const std::string& name, uint32_t shard,
                        bool verbose);

/// `acfts validator --config FILE --name v0 --part verifier:K` (or `verifier`, for a validator
/// with one): verifier K of validator `name` as a process of its own, on the K-th host:port of
/// the entry's `verifiers`. It checks rules 1–3 on every core it has, with neither the store nor
/// the validator's key, and accepts only calls tagged with its link's key (as a shard's).
int run_verifier_part(const std::string& config, const std::string& name,
                      std::optional<uint32_t> verifier, bool verbose);

} // namespace acfts
