#include "crypto/schemes.hpp"

#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

#include "crypto/keys.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

/// "acfts.tx.v1" || tx: what every scheme signs.
struct tx_message {
  std::array<uint8_t, domain::tx.size() + 32> buf;

  explicit tx_message(const hash32& tx) {
    std::memcpy(buf.data(), domain::tx.data(), domain::tx.size());
    std::memcpy(buf.data() + domain::tx.size(), tx.data(), 32);
  }
};

// ---- secp256k1 -----------------------------------------------------------------------------

/// One context for the process: read-only after creation (and randomized against side channels),
/// so any thread may sign and verify with it.
const secp256k1_context* secp_ctx() {
  static secp256k1_context* ctx = [] {
    auto* c = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
    crypto_init();
    unsigned char seed[32];
    randombytes_buf(seed, sizeof seed);
    if (secp256k1_context_randomize(c, seed) != 1)
      throw std::runtime_error("libsecp256k1: context randomization failed");
    sodium_memzero(seed, sizeof seed);
    return c;
  }();
  return ctx;
}

// ---- P-256 (OpenSSL 3) ---------------------------------------------------------------------

struct pkey_free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

struct bn_free {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
using bn_ptr = std::unique_ptr<BIGNUM, bn_free>;

const EC_GROUP* p256_group() {
  static EC_GROUP* g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  return g;
}

/// n / 2, the largest s of a low-S signature.
const BIGNUM* p256_half_order() {
  static BIGNUM* half = [] {
    BIGNUM* h = BN_dup(EC_GROUP_get0_order(p256_group()));
    BN_rshift1(h, h);
    return h;
  }();
  return half;
}

/// An EVP key from a compressed public point and, for signing, the secret scalar.
pkey_ptr p256_pkey(const std::vector<uint8_t>& pub, const BIGNUM* priv) {
  auto* bld = OSSL_PARAM_BLD_new();
  if (bld == nullptr)
    return nullptr;
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size());
  if (priv != nullptr)
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv);
  auto* params = OSSL_PARAM_BLD_to_param(bld);
  OSSL_PARAM_BLD_free(bld);
  EVP_PKEY* pkey = nullptr;
  auto* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  if (ctx != nullptr && params != nullptr && EVP_PKEY_fromdata_init(ctx) == 1)
    EVP_PKEY_fromdata(ctx, &pkey, priv != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return pkey_ptr{pkey};
}

/// The compressed public point of scalar `priv`, or empty if it is not a valid secret.
std::vector<uint8_t> p256_public(const BIGNUM* priv) {
  const auto* group = p256_group();
  if (BN_is_zero(priv) || BN_cmp(priv, EC_GROUP_get0_order(group)) >= 0)
    return {};
  auto* point = EC_POINT_new(group);
  std::vector<uint8_t> out(33);
  bool ok =
    EC_POINT_mul(group, point, priv, nullptr, nullptr, nullptr) == 1
    && EC_POINT_point2oct(group, point, POINT_CONVERSION_COMPRESSED, out.data(), 33, nullptr) == 33;
  EC_POINT_free(point);
  return ok ? out : std::vector<uint8_t>{};
}

bool p256_point_valid(const std::vector<uint8_t>& pub) {
  if (pub.size() != 33 || (pub[0] != 2 && pub[0] != 3))
    return false;
  auto* point = EC_POINT_new(p256_group());
  bool ok = EC_POINT_oct2point(p256_group(), point, pub.data(), pub.size(), nullptr) == 1;
  EC_POINT_free(point);
  return ok;
}

bool p256_verify(const std::vector<uint8_t>& pub, const tx_message& msg, const signature& sig) {
  bn_ptr r{BN_bin2bn(sig.data(), 32, nullptr)};
  bn_ptr s{BN_bin2bn(sig.data() + 32, 32, nullptr)};
  const auto* order = EC_GROUP_get0_order(p256_group());
  // Exactly one encoding per signature: r, s in [1, n-1] and s ≤ n/2.
  if (!r || !s || BN_is_zero(r.get()) || BN_is_zero(s.get()) || BN_cmp(r.get(), order) >= 0
      || BN_cmp(s.get(), p256_half_order()) > 0)
    return false;
  if (!p256_point_valid(pub))
    return false;
  auto pkey = p256_pkey(pub, nullptr);
  if (!pkey)
    return false;
  auto* ecdsa = ECDSA_SIG_new();
  ECDSA_SIG_set0(ecdsa, r.release(), s.release());
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(ecdsa, &der);
  ECDSA_SIG_free(ecdsa);
  if (der_len <= 0)
    return false;
  auto* md = EVP_MD_CTX_new();
  bool ok =
    EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, pkey.get()) == 1
    && EVP_DigestVerify(md, der, static_cast<size_t>(der_len), msg.buf.data(), msg.buf.size()) == 1;
  EVP_MD_CTX_free(md);
  OPENSSL_free(der);
  return ok;
}

} // namespace

const char* name_of(key_scheme s) {
  switch (s) {
    case key_scheme::ed25519:
      return "ed25519";
    case key_scheme::secp256k1:
      return "secp256k1";
    case key_scheme::p256:
      return "p256";
  }
  return "unknown";
}

std::optional<key_scheme> scheme_named(std::string_view name) {
  for (auto s : {key_scheme::ed25519, key_scheme::secp256k1, key_scheme::p256})
    if (name == name_of(s))
      return s;
  return std::nullopt;
}

std::optional<key_scheme> scheme_numbered(uint64_t n) {
  if (n > static_cast<uint64_t>(key_scheme::p256))
    return std::nullopt;
  return static_cast<key_scheme>(n);
}

size_t public_key_size(key_scheme s) {
  return s == key_scheme::p256 ? 33 : 32;
}

std::string scheme_key::text() const {
  static const char* digits = "0123456789abcdef";
  std::string out = std::string{name_of(scheme)} + ":";
  for (auto b : key) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

caf::expected<scheme_key> scheme_key::parse(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return make_error(ec::invalid_key, "a key is written scheme:hex, not " + std::string{text});
  auto s = scheme_named(text.substr(0, colon));
  if (!s)
    return make_error(ec::unknown_scheme, std::string{text.substr(0, colon)});
  auto hex = text.substr(colon + 1);
  scheme_key k{*s, std::vector<uint8_t>(hex.size() / 2)};
  size_t len = 0;
  if (hex.size() != 2 * public_key_size(*s)
      || sodium_hex2bin(k.key.data(), k.key.size(), hex.data(), hex.size(), nullptr, &len, nullptr)
           != 0
      || len != k.key.size())
    return make_error(ec::invalid_key, "not a " + std::string{name_of(*s)} + " public key");
  bool on_curve = true;
  if (*s == key_scheme::p256) {
    on_curve = p256_point_valid(k.key);
  } else if (*s == key_scheme::secp256k1) {
    secp256k1_xonly_pubkey pk;
    on_curve = secp256k1_xonly_pubkey_parse(secp_ctx(), &pk, k.key.data()) == 1;
  }
  if (!on_curve)
    return make_error(ec::invalid_key, "not a point on " + std::string{name_of(*s)});
  return k;
}

struct owner_key::impl {
  key_scheme scheme;
  scheme_key pub;
  secret sec{};
  std::optional<key_pair> ed;
  secp256k1_keypair secp{};
  pkey_ptr p256;

  ~impl() {
    sodium_memzero(sec.data(), sec.size());
    sodium_memzero(&secp, sizeof secp);
  }
};

owner_key::owner_key(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
owner_key::owner_key(owner_key&&) noexcept = default;
owner_key& owner_key::operator=(owner_key&&) noexcept = default;
owner_key::~owner_key() = default;

owner_key owner_key::generate(key_scheme s) {
  crypto_init();
  for (;;) {
    secret sec;
    randombytes_buf(sec.data(), sec.size());
    auto k = from_secret(s, sec);
    sodium_memzero(sec.data(), sec.size());
    if (k)
      return std::move(*k); // a scalar out of range (probability ~2^-128) is drawn again
  }
}

caf::expected<owner_key> owner_key::from_secret(key_scheme s, const secret& sec) {
  crypto_init();
  auto p = std::make_unique<impl>();
  p->scheme = s;
  p->sec = sec;
  p->pub.scheme = s;
  switch (s) {
    case key_scheme::ed25519: {
      p->ed.emplace(key_pair::from_seed(sec));
      const auto& pk = p->ed->public_key();
      p->pub.key.assign(pk.data(), pk.data() + pk.size);
      break;
    }
    case key_scheme::secp256k1: {
      secp256k1_xonly_pubkey xonly;
      if (secp256k1_keypair_create(secp_ctx(), &p->secp, sec.data()) != 1
          || secp256k1_keypair_xonly_pub(secp_ctx(), &xonly, nullptr, &p->secp) != 1)
        return make_error(ec::invalid_key, "not a secp256k1 secret key");
      p->pub.key.resize(32);
      secp256k1_xonly_pubkey_serialize(secp_ctx(), p->pub.key.data(), &xonly);
      break;
    }
    case key_scheme::p256: {
      bn_ptr priv{BN_bin2bn(sec.data(), 32, nullptr)};
      p->pub.key = p256_public(priv.get());
      if (p->pub.key.empty())
        return make_error(ec::invalid_key, "not a P-256 secret key");
      p->p256 = p256_pkey(p->pub.key, priv.get());
      if (!p->p256)
        return make_error(ec::invalid_key, "OpenSSL refused the P-256 key");
      break;
    }
  }
  return owner_key{std::move(p)};
}

key_scheme owner_key::scheme() const {
  return impl_->scheme;
}

const scheme_key& owner_key::public_key() const {
  return impl_->pub;
}

owner_key::secret owner_key::secret_bytes() const {
  return impl_->sec;
}

signature owner_key::sign_tx(const hash32& tx) const {
  signature sig;
  switch (impl_->scheme) {
    case key_scheme::ed25519:
      return impl_->ed->sign(domain::tx, tx.data(), tx.size);
    case key_scheme::secp256k1: {
      tx_message msg{tx};
      unsigned char aux[32];
      randombytes_buf(aux, sizeof aux);
      secp256k1_schnorrsig_extraparams extra = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
      extra.ndata = aux;
      if (secp256k1_schnorrsig_sign_custom(secp_ctx(), sig.data(), msg.buf.data(), msg.buf.size(),
                                           &impl_->secp, &extra)
          != 1)
        throw std::runtime_error("libsecp256k1: signing failed");
      return sig;
    }
    case key_scheme::p256: {
      tx_message msg{tx};
      auto* md = EVP_MD_CTX_new();
      unsigned char der[80];
      size_t der_len = sizeof der;
      bool ok = EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, impl_->p256.get()) == 1
                && EVP_DigestSign(md, der, &der_len, msg.buf.data(), msg.buf.size()) == 1;
      EVP_MD_CTX_free(md);
      const unsigned char* in = der;
      ECDSA_SIG* ecdsa = ok ? d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der_len)) : nullptr;
      if (ecdsa == nullptr)
        throw std::runtime_error("OpenSSL: P-256 signing failed");
      const BIGNUM* r = ECDSA_SIG_get0_r(ecdsa);
      bn_ptr s{BN_dup(ECDSA_SIG_get0_s(ecdsa))};
      if (BN_cmp(s.get(), p256_half_order()) > 0) // low-S: one signature per (key, message)
        BN_sub(s.get(), EC_GROUP_get0_order(p256_group()), s.get());
      BN_bn2binpad(r, sig.data(), 32);
      BN_bn2binpad(s.get(), sig.data() + 32, 32);
      ECDSA_SIG_free(ecdsa);
      return sig;
    }
  }
  return sig;
}

namespace {
std::atomic<uint64_t> checks_made{0};
} // namespace

uint64_t tx_signature_checks() {
  return checks_made.load(std::memory_order_relaxed);
}

bool verify_key_witness(const public_key& key, const hash32& tx, const signature& sig) {
  checks_made.fetch_add(1, std::memory_order_relaxed);
  return verify(key, sig, domain::tx, tx.data(), tx.size);
}

bool verify_tx_signature(const scheme_key& key, const hash32& tx, const signature& sig) {
  checks_made.fetch_add(1, std::memory_order_relaxed);
  if (key.key.size() != public_key_size(key.scheme))
    return false;
  switch (key.scheme) {
    case key_scheme::ed25519: {
      public_key pk;
      std::memcpy(pk.data(), key.key.data(), pk.size);
      return verify(pk, sig, domain::tx, tx.data(), tx.size);
    }
    case key_scheme::secp256k1: {
      secp256k1_xonly_pubkey pk;
      if (secp256k1_xonly_pubkey_parse(secp_ctx(), &pk, key.key.data()) != 1)
        return false;
      tx_message msg{tx};
      return secp256k1_schnorrsig_verify(secp_ctx(), sig.data(), msg.buf.data(), msg.buf.size(),
                                         &pk)
             == 1;
    }
    case key_scheme::p256:
      return p256_verify(key.key, tx_message{tx}, sig);
  }
  return false;
}

} // namespace acfts
