// `acfts validator --config FILE --name v0`: one validator as a CAF node on its port.
#pragma once

#include "protocol/validator_core.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include <caf/error.hpp>
#include <caf/fwd.hpp>

namespace acfts {

struct cluster_file;
struct validator_options;

/// Links validator `index` of `cluster` to the parts its entry lists as processes of their own
/// (lock_shards, verifiers; each must be listening): fills `opts`' remote_shards, lock_shards,
/// remote_verifiers and parts. Errors: ec::invalid_config (no part key file, a part not
/// listening). The node does this at start; `acfts bench --validator-only --validator-parts`
/// too.
caf::error link_validator_parts(caf::actor_system& sys, const cluster_file& cluster, uint16_t index,
                                bool tls, validator_options& opts);

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
