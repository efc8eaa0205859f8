// `cluster.toml`: the file from which every node of a distributed network starts. Plain TOML a
// person can edit:
//
//   [genesis]            owner = "a0", amount = 1000000
//   tls = true, tls_ca   (optional) mutual TLS between all nodes, certificates of this CA
//   [[validators]]       name, host, port, public_key (hex), key_file, data_dir[, metrics_port]
//                        [, tls_certificate, tls_key]
//   [[wallets]]          name, host, port, control_port, data_dir[, metrics_port]
//                        [, tls_certificate, tls_key]
//     [[wallets.addresses]]  name, public_key (hex), key_file
//     [[wallets.addresses]]  name, policy (readable form, protocol/policy_text.hpp), key_files
//
// Relative paths are relative to the directory of the file. The committee is the validators in file
// order (v0 has index 0); f = (N−1)/3. The committee id is derived from keys and genesis, so
// editing hosts and ports never changes the network.
//
// The same network split in two, so that a wallet can join without any other file changing:
//
//   committee.toml       f = 1, [genesis] address (hex), amount; [[validators]] as above, where
//                        key_file and data_dir are needed only to run that validator
//   wallet.toml          committee = "committee.toml"; name, host, port, control_port, data_dir
//                        [, metrics_port]; [[addresses]] as in a cluster file
//
// load_cluster_file reads all three kinds into one cluster_file (a committee file has no wallets,
// a wallet file exactly one).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "config/cluster.hpp"
#include "config/payment_uri.hpp"
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
  /// Its TLS certificate and key (PEM), when the network runs TLS.
  std::string tls_certificate;
  std::string tls_key;
  /// Lock shards in processes of their own (`acfts validator --part shard:K`), shard K at K:
  /// where each listens (none: the shards, if any, run inside the validator's process).
  std::vector<endpoint> lock_shards;
  /// Verifiers in processes of their own (`acfts validator --part verifier:K`), verifier K at K:
  /// where each listens (none: the validator checks signatures itself).
  std::vector<endpoint> verifiers;
  /// The secret the validator shares with its parts (protocol/part_link.hpp): a token file,
  /// created at first use (copy it to the parts' machines).
  std::string part_key_file;
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
  /// Its TLS certificate and key (PEM), when the network runs TLS.
  std::string tls_certificate;
  std::string tls_key;
};

/// TLS for one node: its certificate and key, and the network's CA (mutual TLS: a peer must
/// present a certificate the CA signed).
struct tls_files {
  std::string certificate;
  std::string key;
  std::string ca;
};

struct cluster_file {
  enum class kind { cluster, committee, wallet };
  kind file_kind = kind::cluster;
  std::vector<validator_entry> validators;
  std::vector<wallet_entry> wallets;
  /// The genesis owner's name (cluster files; empty in the others).
  std::string genesis_owner;
  address genesis_address;
  amount genesis_amount = 0;
  /// A wallet file's committee file, as written in it (relative to the wallet file's directory).
  std::string committee_file;
  /// `tls = true`: every link between nodes is mutual TLS with certificates of the CA `tls_ca`.
  bool tls = false;
  std::string tls_ca;
  /// Derived: the committee, genesis, committee id.
  network net;

  const validator_entry* validator(const std::string& name) const;
  /// The TLS files of node `name` (none when the network runs without TLS). Error:
  /// invalid_config when TLS is on and the node has no certificate or key yet.
  caf::expected<std::optional<tls_files>> tls_of(const std::string& name) const;
  const wallet_entry* wallet(const std::string& name) const;
  /// The address named `name` ("a4") and the wallet holding it.
  std::optional<std::pair<const wallet_entry*, const address_entry*>>
  find_address(const std::string& name) const;
};

/// Adds a policy address named `name` to wallet `wallet` of the cluster or wallet file at `path`
/// and rewrites the file (a stopped wallet picks it up when it starts). `key_files` are the
/// policy's keys that wallet holds. Errors: invalid_config (no such wallet, a name in use, a key
/// file that is none of the policy's keys, a policy that can never be satisfied).
caf::expected<address> add_policy_address(const std::string& path, const std::string& wallet,
                                          const std::string& name, const policy& spend_policy,
                                          const std::vector<std::string>& key_files);

/// Adds the single-key address `entry` (its key file written already) to wallet `wallet` of the
/// file at `path` and rewrites the file. Errors: invalid_config (no such wallet, a name in use).
caf::error add_key_address(const std::string& path, const std::string& wallet, address_entry entry);

/// Reads and validates a cluster file. Every error is ec::invalid_config with one line naming
/// the file and the field: missing or mistyped field, duplicate name or port, bad hex key, an
/// unknown genesis owner, a committee that is not 3f+1.
caf::expected<cluster_file> load_cluster_file(const std::string& path);

/// Writes `c` as TOML to `path` (paths under the file's directory written relative to it).
caf::error write_cluster_file(const std::string& path, const cluster_file& c);

/// Writes the committee and genesis of `c` as a committee file. With `public_only`, leaves out
/// what only the validators' operators need (key files, data directories, metrics ports).
caf::error write_committee_file(const std::string& path, const cluster_file& c,
                                bool public_only = false);

/// Writes a wallet file for `w` that names `committee_file` (relative to the wallet file).
caf::error write_wallet_file(const std::string& path, const std::string& committee_file,
                             const wallet_entry& w);

/// A cluster file and one wallet's entry in it.
struct wallet_in_cluster {
  cluster_file cluster;
  size_t index = 0;
  const wallet_entry& entry() const { return cluster.wallets[index]; }
};

/// Loads `config` (a cluster or wallet file) and finds the wallet `name` in it; an empty name picks
/// the file's only wallet (ec::invalid_config when there is none, or several).
caf::expected<wallet_in_cluster> find_wallet(const std::string& config, const std::string& name);

} // namespace acfts
