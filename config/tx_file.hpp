// Transaction files: a sign request passed between the wallet that plans a payment, offline
// co-signers and whichever wallet submits it (after Bitcoin's PSBT). One line:
//
//   "acfts-tx-v1 " <hex of the request's canonical encoding> "\n"
//
// The file holds no secret: it shows what a payment spends and pays, and which keys signed.
#pragma once

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/requests.hpp"

namespace acfts {

/// Writes `req` to `path`, replacing the file at once (a new file renamed over it, so a reader
/// never sees half of one). Without `replace`, an existing file is refused. Error:
/// ec::invalid_tx_file.
caf::error write_tx_file(const std::string& path, const sign_request& req, bool replace);

/// Reads a transaction file. Errors: ec::invalid_tx_file (missing, unreadable, not a transaction
/// file), and the decoder's (malformed_message, non_canonical, policy_over_limit, ...).
caf::expected<sign_request> read_tx_file(const std::string& path);

/// A certified transaction as a file ("acfts-certified-v1 <hex>"), for a payee that no node of
/// the payer can reach (`acfts tx export` / `acfts tx import`). Never overwrites a file. Errors
/// as for transaction files; the importing wallet verifies the certificate.
caf::error write_certified_file(const std::string& path, const certified_transaction& ct);
caf::expected<certified_transaction> read_certified_file(const std::string& path);

} // namespace acfts
