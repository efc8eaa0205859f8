// Private key files: one secret per file, hex, created with mode 0600 and refused when any other
// user may read it.
//
// Layout (one line): "acfts-ed25519-seed-v1 <64 hex digits>\n" (an Ed25519 seed), or
// "acfts-secp256k1-secret-v1 <64 hex>\n" / "acfts-p256-secret-v1 <64 hex>\n" (a scalar).
#pragma once

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "crypto/hashing.hpp"
#include "crypto/keys.hpp"
#include "crypto/schemes.hpp"

namespace acfts {

/// Writes `kp`'s seed to a new file at `path` with mode 0600. Refuses to overwrite an existing
/// file (ec::invalid_key_file).
caf::error write_key_file(const std::string& path, const key_pair& kp);

/// Whether the secret file at `path` is for its owner's eyes only (no group or other bits), as
/// every private key must be: owner keys, TLS keys, the network CA's key. Errors:
/// ec::invalid_key_file (missing), ec::insecure_key_file (naming the mode and the chmod).
caf::error check_owner_only(const std::string& path);

/// Reads a key file. Errors: ec::invalid_key_file (missing, unreadable, malformed),
/// ec::insecure_key_file (group or other may read or write it).
caf::expected<key_pair> read_key_file(const std::string& path);

/// Writes an owner key of any scheme (crypto/schemes.hpp), as write_key_file does.
caf::error write_owner_key_file(const std::string& path, const owner_key& key);

/// Reads a key file of any scheme. Errors as for read_key_file.
caf::expected<owner_key> read_owner_key_file(const std::string& path);

/// A secret token shared by a node and its local operators (the wallet's control interface):
/// reads it from `path`, or creates it there (32 random bytes as hex, mode 0600) when missing.
/// Errors as for key files; a token file readable by others is refused.
caf::expected<std::string> load_or_create_token(const std::string& path);

/// Writes `token` (64 hex digits) to a new file at `path` (mode 0600), whole or not at all; if
/// the file exists already, the token it holds (which the caller may compare).
caf::expected<std::string> write_token_file(const std::string& path, const std::string& token);

/// Reads an existing token file (see load_or_create_token).
caf::expected<std::string> read_token(const std::string& path);

/// A validator's part key, or a part's link key, held in a token file: read (or, for
/// load_or_create_part_key, made when missing). Errors as for tokens, and ec::invalid_key_file
/// when the file does not hold 64 hex digits.
caf::expected<part_key> load_or_create_part_key(const std::string& path);
caf::expected<part_key> read_part_key(const std::string& path);

/// Compares two secrets in time independent of where they differ.
bool secrets_equal(const std::string& x, const std::string& y);

} // namespace acfts
