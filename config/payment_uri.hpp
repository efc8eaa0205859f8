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

#include <caf/expected.hpp>

#include "messages/amount.hpp"
#include "messages/transaction.hpp"

namespace acfts {

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
