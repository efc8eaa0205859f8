// The one parser for numbers a user types: amounts and counts on the command line, in payment
// URIs and in files. Only plain decimal digits are a number: no sign, no base prefix ("0x", a
// leading 0 read as octal), no leading zeros except "0" itself, no spaces, nothing after the
// digits. A value beyond the type's range is an error, never clamped or wrapped.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "messages/amount.hpp"

namespace acfts {

/// `text` as an integer in [min, max]. `what` names the value in the error ("--amount").
/// Errors: ec::invalid_number (not plain decimal digits), ec::amount_out_of_range (beyond max, or
/// below min).
caf::expected<uint64_t> parse_decimal(std::string_view text, std::string_view what,
                                      uint64_t min = 0,
                                      uint64_t max = std::numeric_limits<uint64_t>::max());

/// `text` as an amount of units (1 .. 2^64-1): as parse_decimal, and ec::zero_payment for "0".
caf::expected<amount> parse_amount(std::string_view text, std::string_view what);

} // namespace acfts
