// Transaction files: a sign request passed between the wallet that plans a payment, offline
// co-signers and whichever wallet submits it (after Bitcoin's PSBT):
//
//   "acfts-tx-v1 " <hex of the request's canonical encoding> "\n"
//   ["creator " <host:port of the creating wallet's public port> "\n"]
//
// The creator line tells the submitting wallet where the creating wallet learns the outcome:
// its held request ends, its inputs leave its balance and its change arrives.
// The file holds no secret: it shows what a payment spends and pays, and which keys signed.
#pragma once

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/committee_change.hpp"
#include "messages/equivocation.hpp"
#include "messages/requests.hpp"

namespace acfts {

/// Writes `req` to `path`, replacing the file at once (a new file renamed over it, so a reader
/// never sees half of one). Without `replace`, an existing file is refused. Error:
/// ec::invalid_tx_file.
caf::error write_tx_file(const std::string& path, const sign_request& req, bool replace,
                         const std::string& creator = {});

/// Reads a transaction file, and its creator line into `creator` (empty when it has none).
/// Errors: ec::invalid_tx_file (missing, unreadable, not a transaction file, a line that is no
/// creator endpoint), and the decoder's (malformed_message, non_canonical, policy_over_limit, ...).
caf::expected<sign_request> read_tx_file(const std::string& path, std::string* creator = nullptr);

/// A certified transaction as a file ("acfts-certified-v1 <hex>"), for a payee that no node of
/// the payer can reach (`acfts tx export` / `acfts tx import`). Never overwrites a file. Errors
/// as for transaction files; the importing wallet verifies the certificate.
caf::error write_certified_file(const std::string& path, const certified_transaction& ct);
caf::expected<certified_transaction> read_certified_file(const std::string& path);

/// An equivocation proof as a file ("acfts-equivocation-v1 <hex>"), to publish and to check with
/// `acfts proof verify`. Never overwrites a file. Errors as for transaction files.
caf::error write_proof_file(const std::string& path, const equivocation_proof& proof);
caf::expected<equivocation_proof> read_proof_file(const std::string& path);

/// A change of committee as a file ("acfts-change-v1 <hex>"), passed among the holders of the
/// governance keys (`acfts committee sign` replaces it in place) and to the validators' operators.
caf::error write_change_file(const std::string& path, const change_request& req, bool replace);
caf::expected<change_request> read_change_file(const std::string& path);

/// A validator's seal as a file ("acfts-seal-v1 <hex>"). Never overwrites a file.
caf::error write_seal_file(const std::string& path, const seal_statement& s);
caf::expected<seal_statement> read_seal_file(const std::string& path);

} // namespace acfts
