// Seeing what a wallet has (issue 23, item 3): `acfts address list`, `acfts key show`,
// `acfts network`.
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace acfts {

/// Every address of the wallet: name, address, scheme and public key (or the policy), and while
/// its node runs, balance and spendable (what no pending payment or held request reserves).
int run_address_list(const std::string& config, const std::string& wallet, bool json);

/// A key file's scheme and public key; never its secret.
int run_key_show(const std::string& file, bool json);

/// The network of a file: committee id, f, each validator's endpoint and whether it accepts a
/// connection now, the genesis. Exit 0 when at least 2f+1 validators are reachable, 3 otherwise.
int run_network(const std::string& config, bool json);

/// `acfts key new`: a new secret key file of `scheme` at `out` (never overwritten); prints its
/// public key as scheme:hex.
int run_key_new(const std::string& scheme, const std::string& out);

/// Adds `network`.
command_runner add_network_command(CLI::App& app);

} // namespace acfts
