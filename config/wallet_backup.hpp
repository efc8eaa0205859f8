// A wallet's backup: everything needed to bring it back on another machine — its wallet file,
// its committee file, its key files and every record of its store (the certificates are the
// money: validators keep locks, not a ledger anyone can ask) — in one file, encrypted with a
// passphrase (libsodium: Argon2id from crypto_pwhash for the key, crypto_secretstream for the
// content, which also authenticates the file's header):
//
//   "acfts-backup-v1\n" || salt(16) || opslimit(8) || memlimit(8) || stream header(24)
//   || one secretstream message (final) of the msgpack content:
//      [wallet name, wallet file text, committee file text, [[relative path, bytes]...],
//       [[store key, store value]...]]
//
// Paths in the two files are relative to them, so the content unpacks into any new directory.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/codec.hpp"

namespace acfts {

/// A store's records, key and value, in key order.
using store_records = std::vector<std::pair<std::string, std::string>>;

struct wallet_backup {
  std::string wallet_name;
  /// The wallet file, naming "committee.toml", its store as "data" and its keys under "keys/".
  std::string wallet_file;
  std::string committee_file;
  /// Key files (and TLS files) by path relative to the wallet file.
  std::vector<std::pair<std::string, bytes>> files;
  store_records records;
};

/// Encrypts `b` with `passphrase`. Error: ec::storage_error (the key derivation ran out of memory).
caf::expected<bytes> seal_backup(const wallet_backup& b, const std::string& passphrase);

/// Decrypts and checks a backup. Errors: ec::invalid_config naming what is wrong: not a backup or
/// a version this build cannot read, truncated, a wrong passphrase or an altered file (the two
/// cannot be told apart), key derivation limits out of range, content that does not decode.
caf::expected<wallet_backup> open_backup(const bytes& sealed, const std::string& passphrase);

} // namespace acfts
