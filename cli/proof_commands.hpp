// `acfts proof verify` and `acfts proof list`: equivocation proofs out of a wallet, and checked
// by anyone with the committee file (issue 24, item 1).
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace acfts {

/// Checks the proof in `file` against the committee of `config` (any of the three files):
/// exit 0 and what it proves, or exit 1 and why it proves nothing. Prints its size and how long
/// the check took.
int run_proof_verify(const std::string& file, const std::string& config, bool json);

/// The proofs a running wallet made or keeps; with `out_dir` (new), each as a file there.
int run_proof_list(const std::string& config, const std::string& wallet, const std::string& out_dir,
                   bool json);

/// The file name of a proof: "<validator>-<first tx>-<second tx>.equivocation" (short hashes).
std::string proof_file_name(const std::string& validator, const std::string& first_tx,
                            const std::string& second_tx);

/// Adds `proof verify|list`.
command_runner add_proof_commands(CLI::App& app);

} // namespace acfts
