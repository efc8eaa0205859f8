// The wallet's protocol decisions without actors: which outputs to spend, and when the replies of
// the committee make a certificate (or make one impossible).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/requests.hpp"
#include "protocol/network.hpp"

namespace acfts {

/// A transaction ready to be witnessed: it spends `inputs` and pays `value` to the payee, with
/// the change (if any) back to the payer's address.
struct payment_plan {
  transaction tx;
  std::vector<utxo> inputs;
};

/// Picks outputs from `spendable` (all owned by `from`, none reserved by a pending payment) whose
/// sum covers `value`: the smallest single output that covers it if there is one, else the largest
/// first. Errors: ec::zero_payment, ec::insufficient_funds (also when more than
/// limits::max_inputs outputs would be needed).
caf::expected<payment_plan> plan_payment(std::vector<utxo> spendable, const address& from,
                                         const address& to, amount value);

/// Spreads `spendable` (all owned by `owner`, none reserved; up to limits::max_inputs of them,
/// largest first) over `parts` outputs back to `owner`, as equal as the sum allows, so that
/// `parts` payments can be in flight at once without one waiting for another's change.
/// Errors: ec::no_outputs (`parts` is 0), ec::too_many_outputs (above limits::max_outputs),
/// ec::insufficient_funds when the sum is smaller than `parts` (every output needs a unit).
caf::expected<payment_plan> plan_split(std::vector<utxo> spendable, const address& owner,
                                       size_t parts);

/// Collects the committee's replies to one sign request.
///
/// A reply counts only if it comes from the member it claims to be, names this transaction and
/// (for a signature) verifies; anything else is dropped and counted, never put into a
/// certificate. Each member counts once.
class quorum_collector {
public:
  enum class state { collecting, certified, failed };

  quorum_collector(const network& net, hash32 tx);

  /// Adds the reply received from validator `from`.
  state add(uint16_t from, const sign_reply& reply);

  state current() const { return state_; }

  /// The certificate, once certified: exactly 2f+1 signatures, ordered by validator index.
  certificate cert() const;

  /// Why the payment cannot be certified, once failed: ec::payment_conflict (naming the other
  /// transaction) when any member reported a conflict, else ec::payment_rejected.
  const caf::error& failure() const { return failure_; }

  /// True once `index` has given a reply that counts (so no resend is needed).
  bool answered(uint16_t index) const { return answered_[index]; }

  uint64_t dropped() const { return dropped_; }
  /// The members that answered `sealed` (their committee hands over to the next one).
  const std::vector<uint16_t>& sealed() const { return sealed_; }
  const hash32& tx() const { return tx_; }

private:
  const network* net_;
  hash32 tx_;
  state state_ = state::collecting;
  std::vector<bool> answered_;
  std::vector<validator_signature> sigs_;
  size_t refusals_ = 0;
  std::vector<uint16_t> sealed_;
  std::vector<conflict_entry> conflicts_;
  std::string last_refusal_;
  caf::error failure_;
  uint64_t dropped_ = 0;
};

} // namespace acfts
