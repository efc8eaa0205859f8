// Certificates for TLS between nodes (CAF's OpenSSL module, mutual TLS): a network CA, a key and
// certificate per node, and the certificate request a joining wallet hands the network's
// operator. P-256 keys, SHA-256 signatures, PEM files; private keys with mode 0600. All of it is
// OpenSSL 3's own X.509 code; nothing here parses or signs by hand.
#pragma once

#include <string>

#include <caf/error.hpp>
#include <caf/expected.hpp>

namespace acfts {

/// Days a certificate is valid (the CA's and the nodes').
constexpr long tls_certificate_days = 3650;

/// Writes a new CA: its key at `key_file` (0600) and its self-signed certificate at `cert_file`,
/// with `common_name` as subject. Refuses to overwrite either (ec::invalid_config).
caf::error make_tls_ca(const std::string& common_name, const std::string& key_file,
                       const std::string& cert_file);

/// Writes a new node key at `key_file` (0600) and a certificate request for it, subject
/// `common_name`, at `csr_file`. Refuses to overwrite either.
caf::error make_tls_request(const std::string& common_name, const std::string& key_file,
                            const std::string& csr_file);

/// Signs the request at `csr_file` with the CA (`ca_cert_file`, `ca_key_file`) and writes the
/// node certificate (for client and server use) to `cert_file`. Errors: invalid_config (a file
/// missing or not PEM, a request whose signature does not verify, a CA key that is not the CA
/// certificate's, an existing `cert_file`).
caf::error sign_tls_request(const std::string& csr_file, const std::string& ca_cert_file,
                            const std::string& ca_key_file, const std::string& cert_file);

/// make_tls_request then sign_tls_request: a node key and certificate in one step (keygen).
caf::error issue_tls_certificate(const std::string& common_name, const std::string& ca_cert_file,
                                 const std::string& ca_key_file, const std::string& key_file,
                                 const std::string& cert_file);

/// The subject common name of the certificate or request in a PEM file ("" if none).
std::string tls_subject(const std::string& pem_file);

} // namespace acfts
