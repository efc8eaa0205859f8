#include "crypto/key_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "messages/error.hpp"

namespace acfts {

namespace {

constexpr std::string_view header = "acfts-ed25519-seed-v1 ";
struct seed_tag {};

std::string errno_text() {
  return std::strerror(errno);
}

} // namespace

namespace {

/// The header of a key file of scheme `s` (Ed25519 keeps the one of the first key files).
std::string header_of(key_scheme s) {
  if (s == key_scheme::ed25519)
    return std::string{header};
  return std::string{"acfts-"} + name_of(s) + "-secret-v1 ";
}

/// Writes "<head><64 hex digits>\n" to a new file at `path`, mode 0600.
caf::error write_secret_file(const std::string& path, const std::string& head,
                             std::array<uint8_t, 32> secret) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    sodium_memzero(secret.data(), secret.size());
    return make_error(ec::invalid_key_file, path + ": cannot create: " + errno_text());
  }
  // The umask may have removed bits but never adds any; make the mode exact anyway.
  ::fchmod(fd, 0600);
  std::string line(head);
  static constexpr char digits[] = "0123456789abcdef";
  for (auto b : secret) {
    line += digits[b >> 4];
    line += digits[b & 0x0f];
  }
  line += '\n';
  sodium_memzero(secret.data(), secret.size());
  auto written = ::write(fd, line.data(), line.size());
  bool ok = written == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  sodium_memzero(line.data(), line.size());
  ::close(fd);
  if (!ok)
    return make_error(ec::invalid_key_file, path + ": write failed: " + errno_text());
  return caf::none;
}

caf::error mode_error(const std::string& path, const struct stat& st) {
  if ((st.st_mode & 077) == 0)
    return caf::none;
  char mode[8];
  std::snprintf(mode, sizeof(mode), "%03o", static_cast<unsigned>(st.st_mode & 0777));
  return make_error(ec::insecure_key_file,
                    path + ": mode " + mode + " lets other users read it; chmod 600 it");
}

/// A key file's scheme and secret; refuses files that others may read.
caf::expected<std::pair<key_scheme, std::array<uint8_t, 32>>>
read_secret_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return make_error(ec::invalid_key_file, path + ": cannot open: " + errno_text());
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return make_error(ec::invalid_key_file, path + ": cannot stat: " + errno_text());
  }
  if (auto err = mode_error(path, st)) {
    ::close(fd);
    return err;
  }
  char buf[128];
  auto n = ::read(fd, buf, sizeof(buf));
  ::close(fd);
  if (n < 0)
    return make_error(ec::invalid_key_file, path + ": cannot read: " + errno_text());
  std::string_view text(buf, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  std::optional<key_scheme> scheme;
  size_t head_size = 0;
  for (auto s : {key_scheme::ed25519, key_scheme::secp256k1, key_scheme::p256}) {
    auto head = header_of(s);
    if (text.substr(0, head.size()) == head) {
      scheme = s;
      head_size = head.size();
    }
  }
  if (!scheme) {
    sodium_memzero(buf, sizeof(buf));
    return make_error(ec::invalid_key_file, path + ": not an acfts key file");
  }
  auto parsed = fixed_bytes<32, seed_tag>::from_hex(text.substr(head_size));
  sodium_memzero(buf, sizeof(buf));
  if (!parsed)
    return make_error(ec::invalid_key_file, path + ": the secret is not 64 hex digits");
  std::pair<key_scheme, std::array<uint8_t, 32>> out{*scheme, parsed->bytes};
  sodium_memzero(parsed->data(), parsed->size);
  return out;
}

} // namespace

caf::error write_key_file(const std::string& path, const key_pair& kp) {
  return write_secret_file(path, std::string{header}, kp.seed());
}

caf::expected<key_pair> read_key_file(const std::string& path) {
  auto secret = read_secret_file(path);
  if (!secret)
    return secret.error();
  if (secret->first != key_scheme::ed25519) {
    sodium_memzero(secret->second.data(), secret->second.size());
    return make_error(ec::invalid_key_file, path + ": a " + std::string{name_of(secret->first)}
                                              + " key, where an Ed25519 key is needed");
  }
  auto kp = key_pair::from_seed(secret->second);
  sodium_memzero(secret->second.data(), secret->second.size());
  return kp;
}

caf::error write_owner_key_file(const std::string& path, const owner_key& key) {
  return write_secret_file(path, header_of(key.scheme()), key.secret_bytes());
}

caf::expected<owner_key> read_owner_key_file(const std::string& path) {
  auto secret = read_secret_file(path);
  if (!secret)
    return secret.error();
  auto key = owner_key::from_secret(secret->first, secret->second);
  sodium_memzero(secret->second.data(), secret->second.size());
  if (!key)
    return make_error(ec::invalid_key_file, path + ": " + describe(key.error()));
  return key;
}

caf::expected<std::string> read_token(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return make_error(ec::invalid_key_file, path + ": cannot open: " + errno_text());
  struct stat st;
  if (::fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
    ::close(fd);
    return make_error(ec::insecure_key_file, path + ": must exist with mode 600");
  }
  char buf[65];
  auto n = ::read(fd, buf, 64);
  ::close(fd);
  if (n != 64)
    return make_error(ec::invalid_key_file, path + ": not a token file");
  return std::string(buf, 64);
}

caf::expected<std::string> write_token_file(const std::string& path, const std::string& token) {
  // Written whole to a file of its own, then linked into place: parts of one validator started
  // at once never read a token half written, and all of them end up with the one that was
  // linked first.
  std::string tmp = path + ".XXXXXX";
  int fd = ::mkstemp(tmp.data()); // mode 0600
  if (fd < 0)
    return make_error(ec::invalid_key_file, path + ": cannot create: " + errno_text());
  bool ok = ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size())
            && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return make_error(ec::invalid_key_file, path + ": write failed: " + errno_text());
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked == 0)
    return token;
  if (link_errno == EEXIST) // another process made it first: its token is the one
    return read_token(path);
  errno = link_errno;
  return make_error(ec::invalid_key_file, path + ": cannot create: " + errno_text());
}

caf::expected<std::string> load_or_create_token(const std::string& path) {
  struct stat existing;
  if (::lstat(path.c_str(), &existing) == 0)
    return read_token(path);
  crypto_init();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof(raw));
  static constexpr char digits[] = "0123456789abcdef";
  std::string token;
  for (auto b : raw) {
    token += digits[b >> 4];
    token += digits[b & 0x0f];
  }
  sodium_memzero(raw, sizeof(raw));
  return write_token_file(path, token);
}

namespace {

caf::expected<part_key> part_key_in(const std::string& path, caf::expected<std::string> token) {
  if (!token)
    return token.error();
  auto key = part_key::from_hex(*token);
  if (!key)
    return make_error(ec::invalid_key_file, path + ": not 64 hex digits");
  return *key;
}

} // namespace

caf::expected<part_key> load_or_create_part_key(const std::string& path) {
  return part_key_in(path, load_or_create_token(path));
}

caf::expected<part_key> read_part_key(const std::string& path) {
  return part_key_in(path, read_token(path));
}

bool secrets_equal(const std::string& x, const std::string& y) {
  return x.size() == y.size() && sodium_memcmp(x.data(), y.data(), x.size()) == 0;
}

caf::error check_owner_only(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return make_error(ec::invalid_key_file, path + ": cannot stat: " + errno_text());
  return mode_error(path, st);
}

} // namespace acfts
