// Owner keys of every scheme a spending policy may name: Ed25519 (libsodium), secp256k1 BIP-340
// Schnorr signatures with x-only keys (libsecp256k1's schnorrsig module) and P-256 ECDSA over
// SHA-256 with compressed keys and fixed 64-byte r||s signatures in low-S form (OpenSSL 3).
// Every scheme signs the same message, "acfts.tx.v1" || tx_hash, so one transaction hash is
// what every co-signer approves.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "messages/bytes.hpp"

namespace acfts {

enum class key_scheme : uint8_t { ed25519 = 0, secp256k1 = 1, p256 = 2 };

/// "ed25519", "secp256k1" or "p256".
const char* name_of(key_scheme s);
std::optional<key_scheme> scheme_named(std::string_view name);
/// A scheme by its wire number, if it is one.
std::optional<key_scheme> scheme_numbered(uint64_t n);

/// The size of a public key of `s`: 32 (Ed25519), 32 (x-only secp256k1), 33 (compressed P-256).
size_t public_key_size(key_scheme s);

/// A public key of some scheme, as a policy names it.
struct scheme_key {
  key_scheme scheme = key_scheme::ed25519;
  std::vector<uint8_t> key;

  /// "scheme:hex", as `acfts key new` prints it and policies are written.
  std::string text() const;
  /// Parses "scheme:hex" (right size for the scheme; a P-256 or secp256k1 key must be a point
  /// on the curve).
  static caf::expected<scheme_key> parse(std::string_view text);

  friend bool operator==(const scheme_key& x, const scheme_key& y) {
    return x.scheme == y.scheme && x.key == y.key;
  }
  friend bool operator!=(const scheme_key& x, const scheme_key& y) { return !(x == y); }
  friend bool operator<(const scheme_key& x, const scheme_key& y) {
    return x.scheme != y.scheme ? x.scheme < y.scheme : x.key < y.key;
  }
};

/// A secret key of any scheme. Move-only; every copy of the secret is wiped on destruction.
class owner_key {
public:
  using secret = std::array<uint8_t, 32>;

  static owner_key generate(key_scheme s);
  /// The key whose secret (Ed25519: seed; the others: scalar) is `sec`. ec::invalid_key when the
  /// scalar is zero or not below the group order.
  static caf::expected<owner_key> from_secret(key_scheme s, const secret& sec);

  owner_key(owner_key&&) noexcept;
  owner_key& operator=(owner_key&&) noexcept;
  ~owner_key();

  key_scheme scheme() const;
  const scheme_key& public_key() const;
  /// The secret, for writing a key file. Wipe the copy when done.
  secret secret_bytes() const;

  /// Signs "acfts.tx.v1" || tx.
  signature sign_tx(const hash32& tx) const;

  struct impl;

private:
  explicit owner_key(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Checks `sig` over "acfts.tx.v1" || tx by `key`. False for a key that does not parse, a
/// signature of another scheme, or (P-256) a signature not in low-S form.
bool verify_tx_signature(const scheme_key& key, const hash32& tx, const signature& sig);

/// Checks a single-key witness: `sig` over "acfts.tx.v1" || tx by the Ed25519 key `key`.
bool verify_key_witness(const public_key& key, const hash32& tx, const signature& sig);

/// How many owner signatures this process checked (verify_tx_signature and verify_key_witness):
/// tests count the checks a rule makes, the bench the checks per payment.
uint64_t tx_signature_checks();

} // namespace acfts
