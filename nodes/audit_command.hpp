// `acfts audit --config FILE [--json]`: the offline audit of every store the cluster file names.
#pragma once

#include <string>

namespace acfts {

/// Exit 0 when every invariant holds, 1 on a breach, 2 when a store cannot be read (e.g. a node
/// still runs).
int run_audit(const std::string& config, bool json);

} // namespace acfts
