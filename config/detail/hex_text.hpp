// Bytes as lower-case hex text and back (libsodium's constant-time codecs), for the line-based
// files of config/ (transaction, certificate, proof, change, seal and lock files).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <sodium.h>

#include "messages/codec.hpp"

namespace acfts {

inline std::string to_hex_text(const bytes& raw) {
  std::string hex(2 * raw.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

/// The bytes of `hex` (an even number of hex digits and nothing else); nullopt otherwise.
inline std::optional<bytes> from_hex_text(std::string_view hex) {
  bytes raw(hex.size() / 2);
  size_t len = 0;
  const char* end = nullptr;
  if (hex.size() % 2 != 0
      || sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hex.data(),
                        hex.size(), nullptr, &len, &end)
           != 0
      || len != raw.size() || end != hex.data() + hex.size())
    return std::nullopt;
  return raw;
}

} // namespace acfts
