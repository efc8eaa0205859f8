// `acfts audit --config FILE [--json]`: the offline audit of every store the cluster file names.
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace acfts {

/// Exit 0 when every invariant holds, 1 on a breach, 2 when a store cannot be read (e.g. a node
/// still runs).
/// `skip` names validators whose stores are left out (known damaged, counted among the f
/// faulty): their shares in certificates are then not held against a store.
int run_audit(const std::string& config, bool json, const std::vector<std::string>& skip = {},
              const std::string& proofs_dir = {});

/// Adds `audit`.
command_runner add_audit_command(CLI::App& app);

} // namespace acfts
