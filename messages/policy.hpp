// Spending policies (doc/protocol.md, version 2): an address may be the hash of a policy instead of
// one Ed25519 key. A policy is a tree: key leaves of any scheme, conditions on the spending
// transaction (value leaving the address, allowed payees, the validator's clock) and weighted
// thresholds over them (all-of and any-of are thresholds). A policy witness reveals the policy
// and signatures by some of its keys. Every policy's worst-case cost is bounded by static limits
// (messages/limits.hpp) that the decoder enforces before anything is evaluated.
//
// Encoding (canonical msgpack arrays):
//   key        [0, scheme u8, public_key bin]           scheme: 0 ed25519, 1 secp256k1, 2 p256
//   threshold  [1, k u16, [[weight u8, policy], ...]]
//   max_out    [2, amount u64]                           value leaving the address ≤ amount
//   only_to    [3, [address bin32, ...]]                 every output to a listed address or back
//   after      [4, unix seconds u64]                     the validator's clock ≥ t
//   before     [5, unix seconds u64]                     the validator's clock < t
//   policy_witness [policy, [[leaf u16, signature bin64], ...]]   leaves strictly increasing
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "messages/amount.hpp"
#include "messages/bytes.hpp"
#include "messages/transaction.hpp"

namespace acfts {

struct policy {
  enum class kind : uint8_t {
    key = 0,
    threshold = 1,
    max_out = 2,
    only_to = 3,
    after = 4,
    before = 5
  };

  kind type = kind::key;
  /// key: the scheme's wire number (crypto/schemes.hpp) and the public key's bytes.
  uint8_t scheme = 0;
  std::vector<uint8_t> key;
  /// threshold: reached when the weights of the satisfied children sum to at least `k`.
  uint16_t k = 0;
  std::vector<uint8_t> weights;
  std::vector<policy> children;
  /// max_out: the most that may leave the address in one transaction.
  amount limit;
  /// only_to: the addresses that may receive (besides the spending address itself).
  std::vector<address> payees;
  /// after / before: Unix seconds.
  uint64_t time = 0;

  friend bool operator==(const policy& x, const policy& y) {
    return x.type == y.type && x.scheme == y.scheme && x.key == y.key && x.k == y.k
           && x.weights == y.weights && x.children == y.children && x.limit == y.limit
           && x.payees == y.payees && x.time == y.time;
  }
  friend bool operator!=(const policy& x, const policy& y) { return !(x == y); }
};

/// A signature by key leaf number `leaf` (the policy's key leaves numbered depth-first from 0).
struct leaf_signature {
  uint16_t leaf = 0;
  signature sig;

  friend bool operator==(const leaf_signature& x, const leaf_signature& y) {
    return x.leaf == y.leaf && x.sig == y.sig;
  }
};

/// Witness v2: the policy an input's owner address hashes, and signatures of some of its keys.
struct policy_witness {
  policy spend_policy;
  std::vector<leaf_signature> sigs;

  friend bool operator==(const policy_witness& x, const policy_witness& y) {
    return x.spend_policy == y.spend_policy && x.sigs == y.sigs;
  }
};

/// What proves that the owner of some inputs approves a transaction: a key's witness, or a
/// policy's.
using owner_proof = std::variant<witness, policy_witness>;

/// What a policy holds, as its limits count it.
struct policy_shape {
  size_t keys = 0;
  size_t nodes = 0;
  size_t depth = 0;
  size_t encoded_bytes = 0;
};

} // namespace acfts
