#include "crypto/keys.hpp"

#include <cstring>
#include <mutex>
#include <stdexcept>

#include <sodium.h>

namespace acfts {

namespace {

// tag || a || b in a stack buffer: all signed payloads are at most two 32-byte hashes.
struct tagged_message {
  std::array<uint8_t, 128> buf;
  size_t len = 0;

  tagged_message(std::string_view tag, const uint8_t* a, size_t a_len, const uint8_t* b,
                 size_t b_len) {
    if (tag.size() + a_len + b_len > buf.size())
      throw std::length_error("signed payload too long");
    std::memcpy(buf.data(), tag.data(), tag.size());
    len = tag.size();
    if (a_len > 0)
      std::memcpy(buf.data() + len, a, a_len);
    len += a_len;
    if (b_len > 0)
      std::memcpy(buf.data() + len, b, b_len);
    len += b_len;
  }
};

} // namespace

void crypto_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0)
      throw std::runtime_error("libsodium failed to initialise");
  });
}

uint64_t random_u64() {
  crypto_init();
  uint64_t x = 0;
  randombytes_buf(&x, sizeof(x));
  return x;
}

key_pair key_pair::generate() {
  key_seed seed;
  crypto_init();
  randombytes_buf(seed.data(), seed.size());
  auto result = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return result;
}

key_pair key_pair::from_seed(const key_seed& seed) {
  crypto_init();
  key_pair kp;
  crypto_sign_seed_keypair(kp.public_.data(), kp.secret_.data(), seed.data());
  return kp;
}

key_pair::key_pair(key_pair&& other) noexcept : secret_(other.secret_), public_(other.public_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

key_pair& key_pair::operator=(key_pair&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_ = other.public_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

key_pair::~key_pair() {
  sodium_memzero(secret_.data(), secret_.size());
}

key_seed key_pair::seed() const {
  key_seed out;
  crypto_sign_ed25519_sk_to_seed(out.data(), secret_.data());
  return out;
}

signature key_pair::sign(std::string_view tag, const uint8_t* a, size_t a_len, const uint8_t* b,
                         size_t b_len) const {
  tagged_message msg{tag, a, a_len, b, b_len};
  signature sig;
  crypto_sign_detached(sig.data(), nullptr, msg.buf.data(), msg.len, secret_.data());
  return sig;
}

bool verify(const public_key& key, const signature& sig, std::string_view tag, const uint8_t* a,
            size_t a_len, const uint8_t* b, size_t b_len) {
  crypto_init();
  tagged_message msg{tag, a, a_len, b, b_len};
  return crypto_sign_verify_detached(sig.data(), msg.buf.data(), msg.len, key.data()) == 0;
}

} // namespace acfts
