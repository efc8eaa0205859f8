// `cluster.toml`: the file from which every node of a distributed network starts. Plain TOML a
// person can edit:
//
//   [genesis]            owner = "a0", amount = 1000000
//   [[validators]]       name, host, port, public_key (hex), key_file, data_dir[, metrics_port]
//   [[wallets]]          name, host, port, control_port, data_dir[, metrics_port]
//     [[wallets.addresses]]  name, public_key (hex), key_file
//     [[wallets.addresses]]  name, policy (readable form, protocol/policy_text.hpp), key_files
//
// Relative paths are relative to the directory of the file. The committee is the validators in file
// order (v0 has index 0); f = (N−1)/3. The committee id is derived from keys and genesis, so
// editing hosts and ports never changes the network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "config/cluster.hpp"
#include "messages/policy.hpp"

namespace acfts {

struct validator_entry {
  std::string name;
  std::string host;
  uint16_t port = 0;
  public_key key;
  std::string key_file;
  std::string data_dir;
  /// Prometheus metrics on 127.0.0.1 (0: none).
  uint16_t metrics_port = 0;
};

/// One address of a wallet: a single Ed25519 key (`key`, its secret in `key_file`), or a spending
/// policy (`spend_policy`, written in its readable form; `key_files`: the secrets of the policy's
/// keys that this wallet holds, of any scheme, possibly none).
struct address_entry {
  std::string name;
  public_key key;
  std::string key_file;
  std::optional<policy> spend_policy;
  std::vector<std::string> key_files;

  /// The address: of the key, or of the policy.
  address addr() const;
};

struct wallet_entry {
  std::string name;
  std::string host;
  /// Where other wallets hand it certified payments.
  uint16_t port = 0;
  /// The control interface (pay, balance), bound to 127.0.0.1 only.
  uint16_t control_port = 0;
  std::string data_dir;
  /// Prometheus metrics on 127.0.0.1 (0: none).
  uint16_t metrics_port = 0;
  std::vector<address_entry> addresses;
};

struct cluster_file {
  std::vector<validator_entry> validators;
  std::vector<wallet_entry> wallets;
  std::string genesis_owner;
  amount genesis_amount = 0;
  /// Derived: the committee, genesis, committee id.
  network net;

  const validator_entry* validator(const std::string& name) const;
  const wallet_entry* wallet(const std::string& name) const;
  /// The address named `name` ("a4") and the wallet holding it.
  std::optional<std::pair<const wallet_entry*, const address_entry*>>
  find_address(const std::string& name) const;
};

/// Adds a policy address named `name` to wallet `wallet` of the cluster file at `path` and
/// rewrites the file (the wallet picks it up when it starts). `key_files` are the policy's keys
/// that wallet holds. Errors: invalid_config (no such wallet, a name in use, a key file that is
/// none of the policy's keys, a policy that can never be satisfied).
caf::expected<address> add_policy_address(const std::string& path, const std::string& wallet,
                                          const std::string& name, const policy& spend_policy,
                                          const std::vector<std::string>& key_files);

/// Reads and validates a cluster file. Every error is ec::invalid_config with one line naming
/// the file and the field: missing or mistyped field, duplicate name or port, bad hex key, an
/// unknown genesis owner, a committee that is not 3f+1.
caf::expected<cluster_file> load_cluster_file(const std::string& path);

/// Writes `c` as TOML to `path` (paths written as given).
caf::error write_cluster_file(const std::string& path, const cluster_file& c);

} // namespace acfts
