// The readable form of a spending policy, as users write it on the command line and in files:
//
//   policy    := key | thresh(K, item, ...) | and(item, ...) | or(item, ...)
//              | max_out(N) | only_to(ADDRESS_HEX, ...) | after(TIME) | before(TIME)
//   item      := [W*] policy                  W: a weight 1..255 (default 1)
//   key       := ed25519:HEX | secp256k1:HEX | p256:HEX
//   TIME      := Unix seconds | YYYY-MM-DDTHH:MM:SSZ (UTC)
//
// and(...) is thresh(number of items, ...), or(...) is thresh(1, ...). Examples:
//   thresh(2, ed25519:…, secp256k1:…, p256:…)
//   thresh(3, 2*ed25519:…, p256:…, p256:…)
//   and(ed25519:…, before(2027-01-01T00:00:00Z), max_out(50))
#pragma once

#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "messages/policy.hpp"

namespace acfts {

/// Parses the readable form; the result also keeps every static limit (check_policy_limits).
/// Errors: malformed_message (with the position), unknown_scheme, invalid_key,
/// policy_over_limit.
caf::expected<policy> parse_policy(std::string_view text);

/// The readable form of `p` (thresholds written as thresh, times as UTC dates): parse_policy of it
/// gives `p` back.
std::string policy_text(const policy& p);

} // namespace acfts
