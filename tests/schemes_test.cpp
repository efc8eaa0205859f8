// Owner keys of every scheme (crypto/schemes): each signs "acfts.tx.v1" || tx_hash; a signature
// verifies only under its own key, scheme and transaction; P-256 signatures are low-S only.
#define CAF_SUITE schemes
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <sys/stat.h>

#include "crypto/key_file.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

const key_scheme all_schemes[] = {key_scheme::ed25519, key_scheme::secp256k1, key_scheme::p256};

/// The order n of P-256, big-endian.
const uint8_t p256_order[32] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
                                0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
                                0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};

/// The same P-256 signature with s replaced by n − s (valid ECDSA, but high-S).
signature high_s(const signature& sig) {
  signature out = sig;
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    int d = p256_order[i] - sig.data()[32 + i] - borrow;
    borrow = d < 0 ? 1 : 0;
    out.data()[32 + i] = static_cast<uint8_t>(d + 256 * borrow);
  }
  return out;
}

} // namespace

CAF_TEST(every_scheme_signs_and_verifies_its_own_signature_only) {
  auto tx = test::filled<hash32>(7);
  auto other_tx = test::filled<hash32>(8);
  for (auto s : all_schemes) {
    CAF_MESSAGE(name_of(s));
    auto k = owner_key::generate(s);
    CAF_CHECK_EQUAL(k.public_key().key.size(), public_key_size(s));
    auto sig = k.sign_tx(tx);
    CAF_CHECK(verify_tx_signature(k.public_key(), tx, sig));
    CAF_CHECK(!verify_tx_signature(k.public_key(), other_tx, sig));
    auto forged = sig;
    forged.data()[5] ^= 1;
    CAF_CHECK(!verify_tx_signature(k.public_key(), tx, forged));
    auto stranger = owner_key::generate(s);
    CAF_CHECK(!verify_tx_signature(stranger.public_key(), tx, sig));
  }
}

CAF_TEST(a_signature_of_one_scheme_never_verifies_as_another) {
  auto tx = test::filled<hash32>(9);
  for (auto signer : all_schemes)
    for (auto checker : all_schemes) {
      if (signer == checker)
        continue;
      auto k = owner_key::generate(signer);
      auto sig = k.sign_tx(tx);
      // The signer's key bytes read as the other scheme's key (same size or padded), and a
      // genuine key of the other scheme.
      scheme_key as_other{checker, k.public_key().key};
      as_other.key.resize(public_key_size(checker), 2);
      CAF_CHECK(!verify_tx_signature(as_other, tx, sig));
      CAF_CHECK(!verify_tx_signature(owner_key::generate(checker).public_key(), tx, sig));
    }
}

CAF_TEST(a_secret_determines_its_key) {
  owner_key::secret sec;
  sec.fill(0x42);
  for (auto s : all_schemes) {
    auto a = owner_key::from_secret(s, sec);
    auto b = owner_key::from_secret(s, sec);
    CAF_REQUIRE(a && b);
    CAF_CHECK(a->public_key() == b->public_key());
    CAF_CHECK(a->secret_bytes() == sec);
  }
  owner_key::secret zero{};
  CAF_CHECK_EQUAL(code_of(owner_key::from_secret(key_scheme::p256, zero).error()), ec::invalid_key);
  CAF_CHECK_EQUAL(code_of(owner_key::from_secret(key_scheme::secp256k1, zero).error()),
                  ec::invalid_key);
}

CAF_TEST(p256_signatures_are_low_s_and_high_s_is_refused) {
  auto k = owner_key::generate(key_scheme::p256);
  auto tx = test::filled<hash32>(3);
  for (int i = 0; i < 8; ++i) {
    auto sig = k.sign_tx(tx);
    CAF_CHECK_LESS(sig.data()[32], 0x80); // s ≤ n/2 < 2^255
    CAF_CHECK(verify_tx_signature(k.public_key(), tx, sig));
    CAF_CHECK(!verify_tx_signature(k.public_key(), tx, high_s(sig)));
  }
}

CAF_TEST(keys_are_written_scheme_colon_hex_and_parsed_strictly) {
  for (auto s : all_schemes) {
    auto k = owner_key::generate(s);
    auto text = k.public_key().text();
    CAF_CHECK_EQUAL(text.substr(0, text.find(':')), name_of(s));
    auto back = scheme_key::parse(text);
    CAF_REQUIRE(back);
    CAF_CHECK(*back == k.public_key());
    CAF_CHECK_EQUAL(code_of(scheme_key::parse(text + "00").error()), ec::invalid_key);
  }
  CAF_CHECK_EQUAL(code_of(scheme_key::parse("rsa:00").error()), ec::unknown_scheme);
  CAF_CHECK_EQUAL(code_of(scheme_key::parse("p256:02" + std::string(64, 'f')).error()),
                  ec::invalid_key); // x ≥ p: no point
  CAF_CHECK_EQUAL(code_of(scheme_key::parse("secp256k1:" + std::string(64, 'f')).error()),
                  ec::invalid_key);
  CAF_CHECK_EQUAL(code_of(scheme_key::parse("ed25519").error()), ec::invalid_key);
}

CAF_TEST(key_files_of_every_scheme_are_0600_and_read_back) {
  test::temp_dir dir;
  for (auto s : all_schemes) {
    auto k = owner_key::generate(s);
    auto path = dir / name_of(s);
    CAF_REQUIRE_EQUAL(write_owner_key_file(path, k), caf::error{});
    struct stat st;
    CAF_REQUIRE_EQUAL(::stat(path.c_str(), &st), 0);
    CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
    auto back = read_owner_key_file(path);
    CAF_REQUIRE(back);
    CAF_CHECK(back->public_key() == k.public_key());
    CAF_CHECK_EQUAL(code_of(write_owner_key_file(path, k)), ec::invalid_key_file); // no overwrite
    ::chmod(path.c_str(), 0644);
    CAF_CHECK_EQUAL(code_of(read_owner_key_file(path).error()), ec::insecure_key_file);
  }
  // An Ed25519 owner key file is an ordinary key file, and the others are not.
  ::chmod((dir / "ed25519").c_str(), 0600);
  auto ed = read_owner_key_file(dir / "ed25519");
  auto kp = read_key_file(dir / "ed25519");
  CAF_REQUIRE(ed && kp);
  CAF_CHECK(
    std::equal(ed->public_key().key.begin(), ed->public_key().key.end(), kp->public_key().data()));
  ::chmod((dir / "secp256k1").c_str(), 0600);
  CAF_CHECK_EQUAL(code_of(read_key_file(dir / "secp256k1").error()), ec::invalid_key_file);
}
