// `acfts keygen`: a new network in a directory — keys for every validator and address (mode
// 0600), a cluster file naming them, and the ports the nodes will listen on; the same network as
// a committee file and one wallet file per wallet. `acfts wallet init`: a new wallet that joins a
// network with only its committee file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <caf/expected.hpp>

#include "config/cluster_file.hpp"

namespace acfts {

struct keygen_options {
  std::string out_dir;
  size_t validators = 4;
  size_t wallets = 2;
  size_t addresses = 4;
  std::string host = "127.0.0.1";
  /// First port; 0 picks free ports on `host` (for tests that run side by side).
  uint16_t base_port = 7000;
  amount genesis = 1'000'000;
  /// Give every node a metrics_port too (after all other ports).
  bool metrics = false;
  /// Mutual TLS between all nodes: a network CA (tls/ca.key, tls/ca.crt) and a key and
  /// certificate per validator and wallet (tls/<name>.key, tls/<name>.crt).
  bool tls = false;
  /// Lock shards per validator as processes of their own (0: none): S more ports each, a
  /// part key file keys/<name>.parts.key (the validator's), and beside it each part's own link
  /// key, keys/<name>.parts.key.shard-K (all a shard's machine needs).
  uint32_t lock_shard_parts = 0;
  /// Verifiers per validator as processes of their own (0: none): V more ports each, the same
  /// part key file, and keys/<name>.parts.key.verifier-K.
  uint32_t verifier_parts = 0;
};

/// Creates out_dir/cluster.toml, out_dir/keys/<name>.key (mode 0600) for every validator and
/// address, and names data directories out_dir/data/<name>; also out_dir/committee.toml and
/// out_dir/<wallet>.toml (the same network, split). Refuses to overwrite an existing
/// cluster.toml or committee.toml. Returns the path of cluster.toml.
caf::expected<std::string> keygen(const keygen_options& opts);

struct wallet_init_options {
  /// The network's committee file (copied into out_dir without the operators' paths).
  std::string committee;
  std::string out_dir;
  /// Default: the name of out_dir.
  std::string name;
  std::string host = "127.0.0.1";
  /// Where other wallets hand it payments; 0 picks a free port on `host`.
  uint16_t port = 0;
  /// 0 picks a free port on 127.0.0.1.
  uint16_t control_port = 0;
  /// 0: no metrics.
  uint16_t metrics_port = 0;
  /// The first address's key: ed25519, secp256k1 or p256.
  std::string scheme = "ed25519";
};

/// Creates out_dir/wallet.toml, out_dir/committee.toml, a fresh key out_dir/keys/a0.key (mode
/// 0600) for its first address `a0`, and names the store out_dir/data. When the network runs TLS,
/// also out_dir/tls/ca.crt (the network's CA), a TLS key and the certificate request
/// out_dir/tls/<name>.csr for the network's operator to sign (the wallet starts once
/// out_dir/tls/<name>.crt exists). Refuses to overwrite an existing wallet.toml. Returns the path
/// of wallet.toml.
caf::expected<std::string> wallet_init(const wallet_init_options& opts);

/// A new address entry `name` with a fresh key of `scheme` written to `key_file` (never
/// overwritten): an Ed25519 key as a single-key address, another scheme as a policy of that
/// one key.
caf::expected<address_entry> new_key_address(const std::string& name, const std::string& scheme,
                                             const std::string& key_file);

} // namespace acfts
