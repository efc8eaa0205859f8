// Ed25519 key pairs and domain-separated signatures (libsodium).
//
// Every signature in acfts is over `tag || payload`, with tags from `domain` below, so that a
// signature made for one purpose can never be replayed as another.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "messages/bytes.hpp"

namespace acfts {

namespace domain {
/// Owners sign "acfts.tx.v1" || tx_hash.
constexpr std::string_view tx = "acfts.tx.v1";
/// Validators sign "acfts.cert.v1" || committee_id || tx_hash.
constexpr std::string_view cert = "acfts.cert.v1";
/// Pooled shares: validators sign "acfts.root.v1" || committee_id || root, the root of a Merkle
/// tree whose leaves are BLAKE2b-256("acfts.leaf.v1" || tx_hash) and whose inner nodes are
/// BLAKE2b-256("acfts.node.v1" || left || right).
constexpr std::string_view root = "acfts.root.v1";
constexpr std::string_view leaf = "acfts.leaf.v1";
constexpr std::string_view node = "acfts.node.v1";
/// A sealed validator's statement: "acfts.seal.v1" ‖ old id ‖ next id ‖ locks ‖ lock root.
constexpr std::string_view seal = "acfts.seal.v1";
} // namespace domain

/// The 32-byte seed an Ed25519 key pair is derived from (what a key file stores).
using key_seed = std::array<uint8_t, 32>;

/// Initialises libsodium once; safe to call from any thread, any number of times.
void crypto_init();

/// 64 bits from libsodium's CSPRNG (for values a peer must not guess, such as request ids).
uint64_t random_u64();

/// An Ed25519 key pair. Move-only; the secret half is wiped (sodium_memzero) on destruction.
class key_pair {
public:
  /// A fresh key pair from the OS's randomness.
  static key_pair generate();

  /// The key pair derived from `seed` (deterministic: tests and key files use it).
  static key_pair from_seed(const key_seed& seed);

  key_pair(key_pair&& other) noexcept;
  key_pair& operator=(key_pair&& other) noexcept;
  key_pair(const key_pair&) = delete;
  key_pair& operator=(const key_pair&) = delete;
  ~key_pair();

  const acfts::public_key& public_key() const { return public_; }

  /// The seed, for writing a key file. Wipe the copy when done.
  key_seed seed() const;

  /// Signs `tag || a || b`.
  signature sign(std::string_view tag, const uint8_t* a, size_t a_len, const uint8_t* b = nullptr,
                 size_t b_len = 0) const;

private:
  key_pair() = default;
  std::array<uint8_t, 64> secret_{};
  acfts::public_key public_;
};

using key_pair_ptr = std::shared_ptr<const key_pair>;

/// Checks `sig` over `tag || a || b` by `key`.
bool verify(const public_key& key, const signature& sig, std::string_view tag, const uint8_t* a,
            size_t a_len, const uint8_t* b = nullptr, size_t b_len = 0);

} // namespace acfts
