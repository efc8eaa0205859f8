// Payment requests as URIs, after Bitcoin's BIP-21:
//
//   acfts:<address, 64 hex digits>[?node=<host>:<port>][&amount=<units>]
//
// `node` is where the payee's wallet takes certified payments (its public port); `amount` what it
// asks, in plain decimal digits (messages/decimal.hpp). Parameters may come in any order, each at
// most once; an unknown one whose name starts with "req-" is refused (BIP-21: the payer must
// understand it), any other unknown one is ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "messages/amount.hpp"
#include "messages/transaction.hpp"

namespace acfts {

/// Where a wallet takes certified payments: its public host and port.
struct endpoint {
  std::string host;
  uint16_t port = 0;

  /// "host:port"
  std::string text() const { return host + ":" + std::to_string(port); }
};

/// "host:port" with a non-empty host (no spaces or control characters, at most
/// limits::max_endpoint_chars in all) and a port 1..65535 in plain decimal. Errors:
/// ec::malformed_message, ec::invalid_number, ec::amount_out_of_range (the port).
caf::expected<endpoint> parse_endpoint(std::string_view text);

struct payment_uri {
  address payee;
  std::optional<std::string> host;
  uint16_t port = 0;
  std::optional<amount> value;

  std::string text() const;
};

/// Whether `text` is meant as a payment URI (starts with "acfts:").
bool looks_like_payment_uri(const std::string& text);

/// Errors: ec::malformed_message naming what is wrong; ec::invalid_number, ec::amount_out_of_range
/// or ec::zero_payment for the amount or the port.
caf::expected<payment_uri> parse_payment_uri(const std::string& text);

} // namespace acfts
