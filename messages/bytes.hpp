// Fixed-size byte strings: hashes, addresses, Ed25519 keys and signatures. Each has its own type so
// that a public key cannot be passed where an address is expected.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace acfts {

template <size_t N, class Tag>
struct fixed_bytes {
  static constexpr size_t size = N;
  std::array<uint8_t, N> bytes{};

  const uint8_t* data() const { return bytes.data(); }
  uint8_t* data() { return bytes.data(); }

  bool is_zero() const {
    for (auto b : bytes)
      if (b != 0)
        return false;
    return true;
  }

  /// Lower-case hex, 2·N characters.
  std::string hex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(2 * N, '0');
    for (size_t i = 0; i < N; ++i) {
      out[2 * i] = digits[bytes[i] >> 4];
      out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    return out;
  }

  /// The first 16 hex digits: enough to tell values apart in logs and messages.
  std::string short_hex() const { return hex().substr(0, 16); }

  /// Parses exactly 2·N hex digits (either case); nullopt otherwise.
  static std::optional<fixed_bytes> from_hex(std::string_view text) {
    if (text.size() != 2 * N)
      return std::nullopt;
    fixed_bytes out;
    for (size_t i = 0; i < N; ++i) {
      int hi = nibble(text[2 * i]);
      int lo = nibble(text[2 * i + 1]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return out;
  }

  /// Copies exactly N raw bytes; nullopt for any other length.
  static std::optional<fixed_bytes> from_raw(const void* data, size_t len) {
    if (len != N)
      return std::nullopt;
    fixed_bytes out;
    std::memcpy(out.bytes.data(), data, N);
    return out;
  }

  friend bool operator==(const fixed_bytes& x, const fixed_bytes& y) { return x.bytes == y.bytes; }
  friend bool operator!=(const fixed_bytes& x, const fixed_bytes& y) { return x.bytes != y.bytes; }
  friend bool operator<(const fixed_bytes& x, const fixed_bytes& y) { return x.bytes < y.bytes; }

private:
  static int nibble(char c) {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  }
};

struct hash_tag {};
struct address_tag {};
struct public_key_tag {};
struct signature_tag {};

/// BLAKE2b-256 digest (transaction hashes, committee ids).
using hash32 = fixed_bytes<32, hash_tag>;
/// BLAKE2b-256 of an owner's public key: who may spend an output.
using address = fixed_bytes<32, address_tag>;
/// Ed25519 public key.
using public_key = fixed_bytes<32, public_key_tag>;
/// Ed25519 detached signature.
using signature = fixed_bytes<64, signature_tag>;

} // namespace acfts

namespace std {
template <size_t N, class Tag>
struct hash<acfts::fixed_bytes<N, Tag>> {
  size_t operator()(const acfts::fixed_bytes<N, Tag>& x) const noexcept {
    // The contents are hash outputs or keys: their first bytes are already uniform.
    size_t h;
    std::memcpy(&h, x.bytes.data(), sizeof(h));
    return h;
  }
};
} // namespace std
