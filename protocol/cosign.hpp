// Co-signing a payment from a policy address (after Bitcoin's PSBT): each signer adds the
// signatures of the key leaves it holds to a policy witness, witnesses signed apart are combined,
// and the combined witness goes into the sign request that any wallet may submit.
#pragma once

#include <vector>

#include <caf/expected.hpp>

#include "crypto/schemes.hpp"
#include "messages/policy.hpp"

namespace acfts {

/// Signs "acfts.tx.v1" || tx with every key of `keys` that `w`'s policy names, at each leaf that
/// holds it and has no signature yet. Returns how many signatures it added.
size_t sign_policy(policy_witness& w, const hash32& tx, const std::vector<const owner_key*>& keys);

/// The signatures of `a` and `b` together (one per leaf; `a`'s where both signed a leaf).
/// ec::policy_mismatch when they reveal different policies.
caf::expected<policy_witness> combine(const policy_witness& a, const policy_witness& b);

} // namespace acfts
