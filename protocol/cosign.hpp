// Co-signing a payment from a policy address (after Bitcoin's PSBT): each signer adds the
// signatures of the key leaves it holds to a policy witness, witnesses signed apart are combined,
// and the combined witness goes into the sign request that any wallet may submit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "crypto/schemes.hpp"
#include "messages/policy.hpp"
#include "messages/requests.hpp"
#include "protocol/policy_rules.hpp"

namespace acfts {

/// Signs "acfts.tx.v1" || tx with every key of `keys` that `w`'s policy names, at each leaf that
/// holds it and has no signature yet. Returns how many signatures it added.
size_t sign_policy(policy_witness& w, const hash32& tx, const std::vector<const owner_key*>& keys);

/// The signatures of `a` and `b` together (one per leaf; `a`'s where both signed a leaf).
/// ec::policy_mismatch when they reveal different policies.
caf::expected<policy_witness> combine(const policy_witness& a, const policy_witness& b);

/// What a co-signed request holds, judged offline: who signed, whether each signature verifies,
/// and how far each policy is from satisfied (its conditions by the clock `now` given to
/// summarize; each validator judges them by its own when it signs).
struct cosign_summary {
  struct input {
    output_ref ref;
    /// Known when the request carries the parent (every input but the genesis).
    std::optional<output> spent;
  };
  struct key_state {
    std::string key;
    bool signed_ = false;
    bool valid = false;
  };
  struct policy_state {
    address owner;
    std::string text;
    std::vector<key_state> keys;
    policy_report report;
  };

  hash32 tx;
  std::vector<input> inputs;
  std::vector<key_state> single_keys;
  std::vector<policy_state> policies;
  bool bad_signature = false;

  bool complete() const {
    for (const auto& p : policies)
      if (!p.report.satisfied)
        return false;
    return !bad_signature;
  }
};

/// The summary of `req` at the time `now` (Unix seconds).
cosign_summary summarize(const sign_request& req, uint64_t now);

/// "satisfied", or the weight a policy has and how much it misses.
std::string missing_text(const policy_report& r);

/// The first policy that is not satisfied (or a signature that does not verify), as the error a
/// submission would get; none when the request is complete.
caf::error incomplete(const cosign_summary& s);

} // namespace acfts
