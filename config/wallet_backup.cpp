#include "config/wallet_backup.hpp"

#include <cstring>

#include <msgpack.hpp>
#include <sodium.h>

#include "messages/error.hpp"

namespace acfts {

namespace {

constexpr std::string_view magic = "acfts-backup-v1\n";
constexpr size_t salt_size = crypto_pwhash_SALTBYTES;
constexpr size_t header_size = magic.size() + salt_size + 8 + 8;
constexpr size_t stream_header_size = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
/// What one backup may hold; a larger file is refused before anything is allocated for it.
constexpr size_t max_content = 1u << 30;

using content = std::tuple<std::string, std::string, std::string,
                           std::vector<std::pair<std::string, bytes>>, store_records>;

caf::error bad(const std::string& what) {
  return make_error(ec::invalid_config, "backup: " + what);
}

void put_u64(bytes& out, uint64_t x) {
  for (int i = 7; i >= 0; --i)
    out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

uint64_t get_u64(const char* p) {
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i)
    x = (x << 8) | static_cast<uint8_t>(p[i]);
  return x;
}

/// The 32-byte key of `passphrase` and `salt`.
caf::error derive(unsigned char* key, const std::string& passphrase, const unsigned char* salt,
                  uint64_t ops, uint64_t mem) {
  if (crypto_pwhash(key, crypto_secretstream_xchacha20poly1305_KEYBYTES, passphrase.data(),
                    passphrase.size(), salt, ops, static_cast<size_t>(mem),
                    crypto_pwhash_ALG_ARGON2ID13)
      != 0)
    return make_error(ec::storage_error, "backup: deriving the key ran out of memory");
  return caf::none;
}

template <class T>
bytes pack(const T& x) {
  msgpack::sbuffer buf;
  msgpack::pack(buf, x);
  return bytes(buf.data(), buf.data() + buf.size());
}

template <class T>
caf::expected<T> unpack(const char* data, size_t size, const char* what) {
  try {
    auto handle = msgpack::unpack(data, size);
    return handle.get().as<T>();
  } catch (const std::exception& e) {
    return make_error(ec::malformed_message, std::string{what} + " does not decode: " + e.what());
  }
}

} // namespace

caf::expected<bytes> seal_backup(const wallet_backup& b, const std::string& passphrase) {
  if (sodium_init() < 0)
    return make_error(ec::storage_error, "backup: libsodium did not start");
  auto plain = pack(content{b.wallet_name, b.wallet_file, b.committee_file, b.files, b.records});
  bytes out(magic.begin(), magic.end());
  unsigned char salt[salt_size];
  randombytes_buf(salt, sizeof salt);
  out.insert(out.end(), reinterpret_cast<char*>(salt), reinterpret_cast<char*>(salt) + salt_size);
  uint64_t ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  uint64_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  put_u64(out, ops);
  put_u64(out, mem);
  unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  if (auto err = derive(key, passphrase, salt, ops, mem))
    return err;
  crypto_secretstream_xchacha20poly1305_state st;
  unsigned char header[stream_header_size];
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
  sodium_memzero(key, sizeof key);
  // The file's header is the message's additional data: changing the limits or the salt fails
  // the check as surely as changing the content.
  bytes ad = out;
  out.insert(out.end(), reinterpret_cast<char*>(header),
             reinterpret_cast<char*>(header) + stream_header_size);
  auto at = out.size();
  out.resize(at + plain.size() + crypto_secretstream_xchacha20poly1305_ABYTES);
  crypto_secretstream_xchacha20poly1305_push(
    &st, reinterpret_cast<unsigned char*>(out.data() + at), nullptr,
    reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
    reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
    crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  sodium_memzero(plain.data(), plain.size());
  return out;
}

caf::expected<wallet_backup> open_backup(const bytes& sealed, const std::string& passphrase) {
  if (sodium_init() < 0)
    return make_error(ec::storage_error, "backup: libsodium did not start");
  if (sealed.size() < magic.size() || std::memcmp(sealed.data(), magic.data(), magic.size()) != 0)
    return bad("not an acfts backup, or a version this build cannot read (it does not start "
               "with \"acfts-backup-v1\")");
  if (sealed.size()
      < header_size + stream_header_size + crypto_secretstream_xchacha20poly1305_ABYTES)
    return bad("truncated");
  if (sealed.size() > max_content)
    return bad("larger than any backup this build writes");
  const auto* salt = reinterpret_cast<const unsigned char*>(sealed.data() + magic.size());
  auto ops = get_u64(sealed.data() + magic.size() + salt_size);
  auto mem = get_u64(sealed.data() + magic.size() + salt_size + 8);
  // A file may not make the reader spend more than libsodium's "sensitive" level.
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE
      || mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
    return bad("its key derivation limits are out of range (an altered file)");
  unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  if (auto err = derive(key, passphrase, salt, ops, mem))
    return err;
  crypto_secretstream_xchacha20poly1305_state st;
  const auto* header = reinterpret_cast<const unsigned char*>(sealed.data() + header_size);
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key) != 0) {
    sodium_memzero(key, sizeof key);
    return bad("its header is damaged");
  }
  sodium_memzero(key, sizeof key);
  auto body = header_size + stream_header_size;
  bytes plain(sealed.size() - body - crypto_secretstream_xchacha20poly1305_ABYTES);
  unsigned long long len = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(
        &st, reinterpret_cast<unsigned char*>(plain.data()), &len, &tag,
        reinterpret_cast<const unsigned char*>(sealed.data() + body), sealed.size() - body,
        reinterpret_cast<const unsigned char*>(sealed.data()), header_size)
        != 0
      || tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    return bad("wrong passphrase, or the file was altered or cut short");
  auto c = unpack<content>(plain.data(), static_cast<size_t>(len), "its content");
  sodium_memzero(plain.data(), plain.size());
  if (!c)
    return bad(describe(c.error()));
  wallet_backup b;
  std::tie(b.wallet_name, b.wallet_file, b.committee_file, b.files, b.records) = std::move(*c);
  for (const auto& [path, data] : b.files)
    if (path.empty() || path.front() == '/' || path.find("..") != std::string::npos)
      return bad("it names a file outside its directory: " + path);
  return b;
}

} // namespace acfts
