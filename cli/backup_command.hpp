// `acfts wallet backup` and `acfts wallet restore`: a running wallet's store, wallet file,
// committee file and keys in one encrypted file (config/wallet_backup.hpp), and back into a new
// directory from which the wallet starts with the same balance, history and pending hand-offs.
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace acfts {

struct backup_options {
  std::string config;
  std::string wallet;
  std::string out;
  /// The passphrase's first line; empty: asked on the terminal (twice).
  std::string passphrase_file;
};

/// Exit 0 once FILE is written (mode 0600, never over an existing file); 1 with a reason.
int run_wallet_backup(const backup_options& opts);

/// Exit 0 once DIR (new) holds the wallet; 1 with a reason (a wrong passphrase, an altered file,
/// DIR exists).
int run_wallet_restore(const std::string& file, const std::string& out_dir,
                       const std::string& passphrase_file);

/// Adds `wallet init|backup|restore` under `wallet`.
command_runner add_wallet_commands(CLI::App& wallet);

} // namespace acfts
