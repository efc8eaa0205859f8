// `acfts bench`: the thesis' scenarios S1–S5 (and more trials, and concurrency) against a fresh
// in-process committee per row, or against running nodes (--config); the validator alone
// (--validator-only). Prints the machine's signature-bound limit first and each row's share.
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

namespace acfts {

/// Adds `bench`.
command_runner add_bench_command(CLI::App& app);

} // namespace acfts
