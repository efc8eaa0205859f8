// A wallet's figures in the Prometheus text format (`acfts_wallet_*`), as its node's metrics
// port serves them.
#pragma once

#include <cstddef>
#include <string>

#include "protocol/wallet_core.hpp"

namespace acfts {

/// The metrics of the wallet `name` whose state machine is `core`, with the committee members it
/// reaches and whether its store failed.
std::string wallet_metrics(const wallet_core& core, const std::string& name,
                           size_t validators_connected, bool storage_faulted);

} // namespace acfts
