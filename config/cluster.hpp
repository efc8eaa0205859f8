// The shape of a network — how many validators, wallets and addresses, and the genesis — and the
// keys and network derived from it. Used by the embedded cluster, the demo and the benchmark
// (and, later, by `acfts keygen`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "crypto/keys.hpp"
#include "protocol/network.hpp"

namespace acfts {

struct cluster_shape {
  /// N = 3f+1 validators (4, 7, 10, ...).
  size_t validators = 4;
  size_t wallets = 2;
  /// Addresses per wallet; address names are global: wallet w holds a(w·A) .. a(w·A + A − 1).
  size_t addresses_per_wallet = 4;
  /// Created by the genesis and owned by a0.
  amount genesis_amount = 1'000'000;
  /// Derive all keys from this seed (reproducible tests); fresh random keys when unset.
  std::optional<uint64_t> seed;
};

struct cluster_keys {
  std::vector<key_pair_ptr> validators;
  /// wallets[w][i] is the key of address a(w·A + i).
  std::vector<std::vector<key_pair_ptr>> wallets;
  network net;
};

/// Generates the keys, the committee (validators v0..v(N−1)) and the genesis. Errors:
/// ec::invalid_config when N is not 3f+1, there are no wallets or addresses, or the amount is 0.
caf::expected<cluster_keys> make_cluster(const cluster_shape& shape);

/// "a7" → 7; nullopt for anything else.
std::optional<size_t> parse_address_name(const std::string& name);

} // namespace acfts
