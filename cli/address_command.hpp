// Joining a network: `acfts wallet init` (a wallet from the committee file alone), `acfts cert
// sign` (the operator admits its TLS certificate request), and `acfts address new` (more
// addresses for a wallet, running or stopped).
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "config/keygen.hpp"

namespace acfts {

struct address_new_options {
  std::string config;
  /// Empty: the file's only wallet.
  std::string wallet;
  /// Empty: the first free name a1, a2, ...
  std::string name;
  /// A policy (readable form or JSON file); neither: a fresh key of `scheme`.
  std::string policy;
  std::string policy_file;
  std::vector<std::string> key_files;
  std::string scheme = "ed25519";
  bool json = false;
};

/// Adds the address to the wallet's file and, when the wallet node runs, to the running wallet
/// (it can receive and pay with it at once). Prints the address.
int run_address_new(const address_new_options& opts);

/// Makes the wallet and prints its file, its first address and its endpoint.
int run_wallet_init(const wallet_init_options& opts, bool json);

/// Signs a TLS certificate request with the network's CA; `out` defaults to the request's path
/// with .crt for .csr.
int run_cert_sign(const std::string& csr, const std::string& ca_cert, const std::string& ca_key,
                  std::string out);

/// Adds `address list|new` and `key new|show`.
command_runner add_address_commands(CLI::App& app);

} // namespace acfts
