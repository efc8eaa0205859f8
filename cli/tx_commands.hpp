// `acfts tx create|sign|show|submit|abandon`: co-signing through transaction files
// (config/tx_file.hpp). `create`, `submit` and `abandon` talk to a running wallet node's control
// interface; `sign` and `show` work offline, without a node or a network.
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace acfts {

struct tx_create_options {
  std::string config;
  std::string wallet;
  std::string from;
  std::string to;
  uint64_t amount = 0;
  std::string out;
};

/// The wallet plans the payment, reserves its inputs, attaches parents and policies and signs
/// with the keys it holds; the request goes to `out` (never overwritten). Prints its hash and
/// what it still lacks.
int run_tx_create(const tx_create_options& opts);

/// Shows what the file pays and to whom, then adds the signatures of the key in `key_file` at
/// every leaf of the file's policies that names it (a key the file does not name: refused).
int run_tx_sign(const std::string& file, const std::string& key_file);

/// Inputs, outputs, amounts, which keys signed (and whether each signature verifies), and for
/// each policy whether it is satisfied and what weight is missing. Exit 0 when complete, 3 when
/// signatures are missing, 1 when the file is bad or a signature does not verify.
int run_tx_show(const std::string& file, bool json);

/// Any wallet node submits the file's request and follows it to finality (hands the outputs
/// that are not its own to their wallets). Exit 0 final, 3 pending at `timeout_seconds`, 1
/// refused (incomplete files are refused before anything is sent, naming the missing weight).
int run_tx_submit(const std::string& file, const std::string& config, const std::string& wallet,
                  double timeout_seconds);

/// The certified transaction `tx` that `wallet` holds (it paid or received it), written to `out`
/// (never overwritten) for a payee that no node of the payer can reach.
/// `acfts tx export --all --out DIR`: DIR (new) gets one file per certified transaction that
/// created an output the wallet holds (DIR/<hash>.cert), so that another wallet with the keys can
/// take the coins over with `tx import`.
int run_tx_export_all(const std::string& config, const std::string& wallet,
                      const std::string& out_dir);

int run_tx_export(const std::string& tx, const std::string& config, const std::string& wallet,
                  const std::string& out);

/// Hands a file written by `tx export` to `wallet`, which verifies the certificate before it adds
/// anything (a tampered or foreign file is refused) and keeps the outputs that are its own.
int run_tx_import(const std::string& file, const std::string& config, const std::string& wallet);

/// The wallet that created a file lets its request go: the reserved inputs are spendable again.
/// `target` is the file or the transaction's hash.
int run_tx_abandon(const std::string& target, const std::string& config, const std::string& wallet);

/// Adds `tx status|create|sign|show|submit|export|import|undelivered|resend|abandon`.
command_runner add_tx_commands(CLI::App& app);

} // namespace acfts
