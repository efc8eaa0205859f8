// Keys, hashes and signatures: domain separation, address derivation, committee identity, and
// key files that refuse to be readable by others.
#define CAF_SUITE crypto
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>
#include <sys/stat.h>

#include "crypto/key_file.hpp"
#include "messages/error.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

key_seed seed_of(uint8_t b) {
  key_seed s;
  s.fill(b);
  return s;
}

} // namespace

CAF_TEST(signature_verifies_only_under_its_domain_and_key) {
  auto kp = key_pair::from_seed(seed_of(1));
  auto other = key_pair::from_seed(seed_of(2));
  hash32 tx;
  tx.bytes.fill(9);
  auto sig = kp.sign(domain::tx, tx.data(), tx.size);
  CAF_CHECK(verify(kp.public_key(), sig, domain::tx, tx.data(), tx.size));
  // A witness signature is not a certificate share, and not another key's signature.
  CAF_CHECK(!verify(kp.public_key(), sig, domain::cert, tx.data(), tx.size));
  CAF_CHECK(!verify(other.public_key(), sig, domain::tx, tx.data(), tx.size));
  tx.bytes[0] ^= 1;
  CAF_CHECK(!verify(kp.public_key(), sig, domain::tx, tx.data(), tx.size));
}

CAF_TEST(keys_from_one_seed_are_identical) {
  auto a = key_pair::from_seed(seed_of(3));
  auto b = key_pair::from_seed(seed_of(3));
  CAF_CHECK_EQUAL(a.public_key().hex(), b.public_key().hex());
  CAF_CHECK(a.seed() == seed_of(3));
  auto fresh = key_pair::generate();
  CAF_CHECK(fresh.public_key() != a.public_key());
}

CAF_TEST(address_is_blake2b_of_the_public_key) {
  auto kp = key_pair::from_seed(seed_of(4));
  auto a = address_of(kp.public_key());
  auto h = blake2b_256(kp.public_key().data(), 32);
  CAF_CHECK(std::equal(a.bytes.begin(), a.bytes.end(), h.bytes.begin()));
  CAF_CHECK(address_of(key_pair::from_seed(seed_of(5)).public_key()) != a);
}

CAF_TEST(a_keyed_table_hash_is_stable_and_sees_past_a_shared_prefix) {
  // Two hashes a peer ground to agree in their first 8 bytes: std::hash<hash32> puts them in one
  // bucket, the keyed hash does not.
  hash32 a = blake2b_256("a", 1);
  hash32 b = a;
  b.bytes[31] ^= 1;
  CAF_CHECK_EQUAL(std::hash<hash32>{}(a), std::hash<hash32>{}(b));
  CAF_CHECK_EQUAL(keyed_hash64(a.data(), a.size), keyed_hash64(a.data(), a.size));
  CAF_CHECK_NOT_EQUAL(keyed_hash64(a.data(), a.size), keyed_hash64(b.data(), b.size));
}

CAF_TEST(committee_id_depends_on_keys_f_and_genesis_but_not_endpoints) {
  auto k = test::thesis_keys();
  auto c = k.net.members;
  auto g = k.net.gen;
  CAF_CHECK_EQUAL(committee_id(c, g), k.net.id);
  auto moved = c;
  moved.members[0].endpoint = "10.1.1.1:9";
  CAF_CHECK_EQUAL(committee_id(moved, g), k.net.id);
  auto rekeyed = c;
  rekeyed.members[1].key = key_pair::from_seed(seed_of(6)).public_key();
  CAF_CHECK_NOT_EQUAL(committee_id(rekeyed, g), k.net.id);
  auto richer = g;
  richer.tx.outputs[0].value = *checked_add(richer.tx.outputs[0].value, 1);
  CAF_CHECK_NOT_EQUAL(committee_id(c, richer), k.net.id);
  CAF_CHECK_NOT_EQUAL(test::thesis_keys(8).net.id, k.net.id);
}

CAF_TEST(key_file_is_written_0600_and_read_back) {
  test::temp_dir dir;
  auto kp = key_pair::from_seed(seed_of(7));
  auto path = dir / "a0.key";
  CAF_REQUIRE_EQUAL(write_key_file(path, kp), caf::error{});
  struct stat st;
  CAF_REQUIRE_EQUAL(::stat(path.c_str(), &st), 0);
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
  auto back = read_key_file(path);
  CAF_REQUIRE(back);
  CAF_CHECK_EQUAL(back->public_key(), kp.public_key());
  // Never overwrites a key.
  CAF_CHECK_EQUAL(code_of(write_key_file(path, key_pair::generate())), ec::invalid_key_file);
  CAF_CHECK_EQUAL(read_key_file(path)->public_key(), kp.public_key());
}

CAF_TEST(key_file_readable_by_others_is_refused) {
  test::temp_dir dir;
  auto path = dir / "v0.key";
  CAF_REQUIRE_EQUAL(write_key_file(path, key_pair::from_seed(seed_of(8))), caf::error{});
  ::chmod(path.c_str(), 0644);
  auto kp = read_key_file(path);
  CAF_REQUIRE(!kp);
  CAF_CHECK_EQUAL(code_of(kp.error()), ec::insecure_key_file);
  CAF_CHECK(describe(kp.error()).find(path) != std::string::npos);
}

CAF_TEST(missing_or_malformed_key_file_is_a_clear_error) {
  test::temp_dir dir;
  auto missing = read_key_file(dir / "nope.key");
  CAF_CHECK_EQUAL(code_of(missing.error()), ec::invalid_key_file);
  auto bad = dir / "bad.key";
  {
    std::ofstream out{bad};
    out << "acfts-ed25519-seed-v1 zz\n";
  }
  ::chmod(bad.c_str(), 0600);
  auto parsed = read_key_file(bad);
  CAF_CHECK_EQUAL(code_of(parsed.error()), ec::invalid_key_file);
}

CAF_TEST(parts_making_one_token_file_at_once_all_read_the_same_whole_token) {
  // A validator's shards and verifiers, started together, each make the part key at first use.
  for (int round = 0; round < 100; ++round) {
    test::temp_dir dir;
    auto path = dir / "v1.parts.key";
    std::vector<caf::expected<std::string>> got(6, std::string{});
    std::atomic<bool> go{false};
    std::vector<std::thread> parts;
    for (size_t i = 0; i < got.size(); ++i)
      parts.emplace_back([&, i] {
        while (!go)
          std::this_thread::yield();
        got[i] = load_or_create_token(path);
      });
    go = true;
    for (auto& t : parts)
      t.join();
    for (const auto& token : got) {
      CAF_REQUIRE(token);
      CAF_CHECK_EQUAL(token->size(), 64u);
      CAF_CHECK_EQUAL(*token, *got[0]);
    }
    struct stat st;
    CAF_REQUIRE_EQUAL(::stat(path.c_str(), &st), 0);
    CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
    auto again = read_token(path);
    CAF_REQUIRE(again);
    CAF_CHECK_EQUAL(*again, *got[0]);
  }
}
