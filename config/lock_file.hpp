// A sealed validator's lock set as a file, for the validators of the next committee
// (`acfts validator export-locks` / `import-locks`):
//
//   "acfts-locks-v1 " <hex of the seal_statement> "\n"
//   <hex of one sign_request> "\n"      (one line per transaction it locked inputs to)
//
// Line by line, so a set of millions of locks never needs one message of that size.
#pragma once

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "protocol/lock_handover.hpp"

namespace acfts {

/// Writes `set` to `path` (new). Error: invalid_tx_file.
caf::error write_lock_file(const std::string& path, const lock_export& set);

/// Reads a lock file. Errors: invalid_tx_file (missing, not a lock file, a line that is not hex),
/// and the decoder's for a line that is no seal or request.
caf::expected<lock_export> read_lock_file(const std::string& path);

} // namespace acfts
