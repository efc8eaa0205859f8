// `acfts status`: a node's metrics (its metrics_port) read the way a person or a script wants them.
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace acfts {

/// Prints the validator's or wallet's state from its /metrics: a few lines, or with `json` one
/// object holding every sample ("name{labels}": value) and the main figures by name. Exit 0 when
/// the node answers and is not faulted, 1 otherwise.
int run_status(const std::string& config, const std::string& node, bool json);

/// Adds `status`.
command_runner add_status_command(CLI::App& app);

} // namespace acfts
