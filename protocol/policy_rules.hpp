// Rule 3 for inputs owned by spending policies (messages/policy.hpp), cheapest first: the static
// limits (already enforced by the decoder, and again here for policies built in-process), the
// policy's hash against the owner, the conditions and which keys signed at all (no signature
// checked), and only then as many signature checks as the thresholds need, within a budget per
// request.
#pragma once

#include <cstdint>
#include <vector>

#include <caf/error.hpp>

#include "crypto/schemes.hpp"
#include "messages/limits.hpp"
#include "messages/requests.hpp"

namespace acfts {

/// What a policy is judged against: the spending transaction, its hash, the address whose
/// outputs it spends, and the validator's clock (Unix seconds) when it signs.
struct spend_context {
  const transaction* tx = nullptr;
  hash32 tx_hash;
  address owner;
  uint64_t now = 0;
};

/// A clock under which every after/before condition holds: for checking a lock given earlier by
/// a validator that judged the time then (a lock set carried to a new committee).
constexpr uint64_t any_time = UINT64_MAX;

/// Signature checks left for one sign request.
struct check_budget {
  size_t left = limits::max_signature_checks;
  size_t used = 0;
};

/// The key of leaf number `leaf` (depth-first), if the policy has one.
const policy* key_leaf(const policy& p, size_t leaf);

/// The key leaves of `p`, depth-first (leaf i is element i).
std::vector<const policy*> key_leaves(const policy& p);

/// The scheme key a key leaf names.
scheme_key key_of(const policy& leaf);

/// How far `w` is from satisfying its policy if every signature it presents verifies: caf::none
/// when satisfied, else ec::policy_not_satisfied naming the weight missing at the root. Checks
/// no signature.
caf::error check_policy_presence(const policy_witness& w, const spend_context& ctx);

/// Verifies the signatures that the thresholds need, stopping as soon as each is reached.
/// Errors: invalid_witness (a signature needed does not verify), policy_over_limit (the budget
/// ran out), policy_not_satisfied.
caf::error check_policy_signatures(const policy_witness& w, const spend_context& ctx,
                                   check_budget& budget);

/// Refuses, with the reason, a policy that could lock its coins for good or does not mean what it
/// says, when an address is made: a threshold that no combination of its keys and conditions
/// reaches, the same key twice under one threshold (thresh(2, K, K) is one signature), a
/// `before` already past at `now`, a max_out below 1. Error: ec::invalid_config.
caf::error lint_policy(const policy& p, uint64_t now);

/// Where each condition stands and which keys signed: for `acfts tx show`.
struct policy_report {
  bool satisfied = false;
  /// Weight present at the root (counting presented signatures as valid) and needed.
  uint32_t weight = 0;
  uint32_t needed = 0;
};
policy_report report_policy(const policy_witness& w, const spend_context& ctx);

} // namespace acfts
