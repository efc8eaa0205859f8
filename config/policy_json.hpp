// Spending policies as JSON (`acfts address new --policy-file FILE.json`): a tree that mirrors the
// readable form of protocol/policy_text.hpp, for policies that programs write.
//
//   {"thresh": 2, "of": [{"key": "ed25519:HEX"}, {"key": "p256:HEX", "weight": 2}, ...]}
//   {"and": [ ... ]}   {"or": [ ... ]}
//   {"max_out": 1000}   {"only_to": ["ADDRESS_HEX", ...]}
//   {"after": 1767225600}   {"before": "2027-01-01T00:00:00Z"}
//
// Any item of "of", "and" or "or" may carry "weight" (1..255, default 1). A file may also hold
// the readable form itself: {"policy": "thresh(2, ed25519:..., ...)"}.
#pragma once

#include <string>

#include <caf/expected.hpp>

#include "messages/policy.hpp"

namespace acfts {

/// Parses a policy from JSON text. Errors: malformed_message (not JSON, an unknown field, a value
/// of the wrong type), and those of parse_policy (unknown_scheme, invalid_key,
/// policy_over_limit).
caf::expected<policy> parse_policy_json(const std::string& json);

/// Reads and parses a policy file. Errors: invalid_config (unreadable), and those above.
caf::expected<policy> read_policy_file(const std::string& path);

} // namespace acfts
