// The objects of doc/protocol.md that make up a payment: outputs, transactions, witnesses and
// certificates. Plain structs; their canonical msgpack encoding is in messages/codec.hpp.
#pragma once

#include <cstdint>
#include <tuple>
#include <string>
#include <optional>
#include <vector>

#include "messages/amount.hpp"
#include "messages/bytes.hpp"

namespace acfts {

/// Names one output: the transaction that created it and its position there.
struct output_ref {
  hash32 tx;
  uint32_t index = 0;

  friend bool operator==(const output_ref& x, const output_ref& y) {
    return x.tx == y.tx && x.index == y.index;
  }
  friend bool operator!=(const output_ref& x, const output_ref& y) { return !(x == y); }
  friend bool operator<(const output_ref& x, const output_ref& y) {
    return std::tie(x.tx, x.index) < std::tie(y.tx, y.index);
  }
};

/// "<short hex of tx>:<index>", for messages and logs.
inline std::string short_text(const output_ref& ref) {
  return ref.tx.short_hex() + ":" + std::to_string(ref.index);
}

/// `amount` units that only `owner` may spend.
struct output {
  address owner;
  amount value = 0;

  friend bool operator==(const output& x, const output& y) {
    return x.owner == y.owner && x.value == y.value;
  }
};

/// Spends `inputs` and creates `outputs`. Its identity is `tx_hash` (crypto/hashing.hpp).
struct transaction {
  uint8_t version = 1;
  std::vector<output_ref> inputs;
  std::vector<output> outputs;

  friend bool operator==(const transaction& x, const transaction& y) {
    return x.version == y.version && x.inputs == y.inputs && x.outputs == y.outputs;
  }
};

/// An owner's consent: a signature over "acfts.tx.v1" || tx_hash by the key whose hash is the
/// owner.
struct witness {
  public_key owner_key;
  signature sig;

  friend bool operator==(const witness& x, const witness& y) {
    return x.owner_key == y.owner_key && x.sig == y.sig;
  }
};

/// Where a transaction sits in the Merkle tree of one validator batch (a pooled share): its
/// leaf's position (bit i: whether the node at level i is a right child) and the siblings from
/// the leaf up to the root (doc/protocol.md, version 2: pooled shares).
struct merkle_path {
  uint32_t position = 0;
  std::vector<hash32> siblings;

  friend bool operator==(const merkle_path& x, const merkle_path& y) {
    return x.position == y.position && x.siblings == y.siblings;
  }
  friend bool operator!=(const merkle_path& x, const merkle_path& y) { return !(x == y); }
};

/// What a validator gives a transaction it signs: its signature over the transaction (a single
/// share), or over the root of its batch's tree, with the transaction's path (a pooled share).
struct share {
  signature sig;
  std::optional<merkle_path> path = std::nullopt;

  friend bool operator==(const share& x, const share& y) {
    return x.sig == y.sig && x.path == y.path;
  }
  friend bool operator!=(const share& x, const share& y) { return !(x == y); }
};

/// One validator's share inside a certificate.
struct validator_signature {
  uint16_t validator_index = 0;
  signature sig;
  /// Present for a pooled share: `sig` signs the root this path leads to.
  std::optional<merkle_path> path = std::nullopt;

  share given() const { return share{sig, path}; }

  friend bool operator==(const validator_signature& x, const validator_signature& y) {
    return x.validator_index == y.validator_index && x.sig == y.sig && x.path == y.path;
  }
};

/// Proof that a quorum of the committee signed `tx_hash`.
struct certificate {
  hash32 tx_hash;
  std::vector<validator_signature> sigs;

  friend bool operator==(const certificate& x, const certificate& y) {
    return x.tx_hash == y.tx_hash && x.sigs == y.sigs;
  }
};

/// What a payer hands to a payee, and what proves that the transaction's outputs exist.
struct certified_transaction {
  transaction tx;
  certificate cert;

  friend bool operator==(const certified_transaction& x, const certified_transaction& y) {
    return x.tx == y.tx && x.cert == y.cert;
  }
};

/// An unspent output as its owner's wallet sees it.
struct utxo {
  output_ref ref;
  address owner;
  amount value = 0;
};

} // namespace acfts

namespace std {
template <>
struct hash<acfts::output_ref> {
  size_t operator()(const acfts::output_ref& x) const noexcept {
    return std::hash<acfts::hash32>{}(x.tx)
           ^ (static_cast<size_t>(x.index) * 0x9e3779b97f4a7c15ull);
  }
};
} // namespace std
