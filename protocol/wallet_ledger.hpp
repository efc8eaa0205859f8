// A wallet's outputs as its payment flow sees them: which it holds unspent, per address, and
// which of those a pending payment has reserved (so no second payment picks them). A plain class
// without actors or storage: the first piece of the wallet's state machine (issue 13).
#pragma once

#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/expected.hpp>

#include "messages/transaction.hpp"

namespace acfts {

class wallet_ledger {
public:
  /// Starts tracking `owner` (with no outputs yet). Repeating it changes nothing.
  void add_address(const address& owner);

  /// Outputs that became the wallet's (received, change, genesis, loaded from the store).
  void add(const std::vector<utxo>& outs);

  /// Outputs that are gone (spent by a final payment, or lost to a conflict); their
  /// reservations go with them.
  void remove(const std::vector<utxo>& outs);

  /// Reserves outputs for a payment in progress; release() gives them back.
  void reserve(const std::vector<utxo>& outs);
  void release(const std::vector<utxo>& outs);

  /// Whether a pending payment has reserved `ref`.
  bool reserved(const output_ref& ref) const { return reserved_.count(ref) != 0; }

  /// The outputs of `owner` that no pending payment has reserved, in output order.
  std::vector<utxo> spendable(const address& owner) const;

  /// The unspent output `ref`, if the wallet holds it.
  std::optional<utxo> find(const output_ref& ref) const;

  /// What `owner` holds, reserved outputs included (they count until their payment is final).
  /// ec::amount_overflow if the sum does not fit (it cannot, for outputs of one network).
  caf::expected<amount> balance(const address& owner) const;

  /// What the wallet holds in all.
  caf::expected<amount> total() const;

  /// The transactions that created the outputs the wallet holds (reserved ones included), each
  /// once, in hash order.
  std::vector<hash32> sources() const;

private:
  std::unordered_map<address, std::map<output_ref, amount>> unspent_;
  std::unordered_set<output_ref> reserved_;
};

} // namespace acfts
