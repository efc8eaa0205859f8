// `acfts validator --config FILE --name v0`: one validator as a CAF node on its port.
#pragma once

#include "protocol/validator_core.hpp"

#include <cstdint>
#include <string>

namespace acfts {

/// Opens the validator's store, publishes it on host:port and serves until SIGTERM/SIGINT.
/// Returns the exit code (1 with a one-line message on bad config, a busy port, a locked store).
/// `fault_drill`, when not empty, names a file: while it exists every fsync of the store fails
/// (a drill: what operators see of a dying disk). `lock_shards`: validator_options::lock_shards.
int run_validator_node(const std::string& config, const std::string& name, bool verbose,
                       share_mode shares = share_mode::pooled, const std::string& fault_drill = {},
                       uint32_t lock_shards = 1);

} // namespace acfts
