// `acfts validator`, `acfts wallet` (the node processes), `acfts keygen` and `acfts cert sign`.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace acfts {

struct node_commands {
  command_runner run;
  /// The parents of the validator's and the wallet's own subcommands (seal, init, ...), which
  /// other groups add; their runners must run before `run`, which starts the node.
  CLI::App* validator = nullptr;
  CLI::App* wallet = nullptr;
};

node_commands add_node_commands(CLI::App& app);

} // namespace acfts
