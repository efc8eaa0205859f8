#include "crypto/hashing.hpp"

#include <array>
#include <cstring>

#include <sodium.h>

#include "crypto/keys.hpp"
#include "messages/codec.hpp"

namespace acfts {

uint64_t keyed_hash64(const void* data, size_t len) {
  static const auto key = [] {
    std::array<unsigned char, crypto_shorthash_KEYBYTES> k{};
    crypto_init();
    randombytes_buf(k.data(), k.size());
    return k;
  }();
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, static_cast<const unsigned char*>(data), len, key.data());
  uint64_t h;
  std::memcpy(&h, out, sizeof(h));
  return h;
}

hash32 blake2b_256(const void* data, size_t len) {
  crypto_init();
  hash32 out;
  crypto_generichash(out.data(), out.size, static_cast<const unsigned char*>(data), len, nullptr,
                     0);
  return out;
}

static_assert(crypto_auth_BYTES == 32 && crypto_auth_KEYBYTES == 32);

mac_tag authenticate(const part_key& key, const void* data, size_t len) {
  crypto_init();
  mac_tag out;
  crypto_auth(out.data(), static_cast<const unsigned char*>(data), len, key.data());
  return out;
}

bool authentic(const part_key& key, const mac_tag& tag, const void* data, size_t len) {
  crypto_init();
  return crypto_auth_verify(tag.data(), static_cast<const unsigned char*>(data), len, key.data())
         == 0;
}

static_assert(crypto_kdf_KEYBYTES == 32 && crypto_kdf_CONTEXTBYTES == 8);

part_key derive_part_key(const part_key& master, const char (&context)[9], uint64_t id) {
  crypto_init();
  part_key out;
  crypto_kdf_derive_from_key(out.data(), out.size, id, context, master.data());
  return out;
}

hash32 tx_hash(const transaction& tx) {
  auto buf = encode(tx);
  return blake2b_256(buf.data(), buf.size());
}

address policy_address(const policy& p) {
  static constexpr char tag[] = "acfts.policy.v1";
  bytes preimage(tag, tag + sizeof(tag) - 1);
  encode_into(preimage, p);
  auto h = blake2b_256(preimage.data(), preimage.size());
  address a;
  a.bytes = h.bytes;
  return a;
}

address address_of(const public_key& key) {
  auto h = blake2b_256(key.data(), key.size);
  address out;
  out.bytes = h.bytes;
  return out;
}

hash32 committee_id(const committee& c, const genesis& g) {
  crypto_init();
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, hash32::size);
  static constexpr char tag[] = "acfts.committee.v1";
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(tag), sizeof(tag) - 1);
  uint8_t f_le[4] = {static_cast<uint8_t>(c.f), static_cast<uint8_t>(c.f >> 8),
                     static_cast<uint8_t>(c.f >> 16), static_cast<uint8_t>(c.f >> 24)};
  crypto_generichash_update(&st, f_le, sizeof(f_le));
  for (const auto& m : c.members)
    crypto_generichash_update(&st, m.key.data(), m.key.size);
  auto gh = tx_hash(g.tx);
  crypto_generichash_update(&st, gh.data(), gh.size);
  hash32 out;
  crypto_generichash_final(&st, out.data(), out.size);
  return out;
}

} // namespace acfts
