// `acfts demo`: the thesis setup in one process, S1–S5, a table, the balances, a supply check.
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace acfts {

struct demo_options {
  /// Parent directory of the stores; a fresh temporary directory when empty.
  std::string data_dir;
  bool keep = false;
  size_t trials = 10;
  uint64_t seed = 1;
};

/// Runs the demo, printing to stdout; returns the process exit code.
int run_demo(const demo_options& opts);

/// Adds `demo`.
command_runner add_demo_command(CLI::App& app);

} // namespace acfts
