// What a wallet sends to a validator and what comes back (doc/protocol.md "Sign request →
// validator").
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "messages/policy.hpp"
#include "messages/transaction.hpp"

namespace acfts {

/// Asks one validator to sign `tx`. Carries the committee id so that a request meant for another
/// network is refused up front, the owners' witnesses, and one certified parent per distinct
/// input transaction other than the genesis.
struct sign_request {
  hash32 committee_id;
  transaction tx;
  std::vector<witness> witnesses;
  std::vector<certified_transaction> parents;
  /// Witnesses of owners that are policies (encoded as a fifth field only when there are any,
  /// so requests without them keep their bytes).
  std::vector<policy_witness> policy_witnesses;

  friend bool operator==(const sign_request& x, const sign_request& y) {
    return x.committee_id == y.committee_id && x.tx == y.tx && x.witnesses == y.witnesses
           && x.parents == y.parents && x.policy_witnesses == y.policy_witnesses;
  }
};

/// The validator's signature over "acfts.cert.v1" || committee_id || tx_hash.
struct signed_reply {
  uint16_t validator_index = 0;
  hash32 tx_hash;
  signature sig;
  /// Present for a pooled share (see validator_signature).
  std::optional<merkle_path> path = std::nullopt;

  friend bool operator==(const signed_reply& x, const signed_reply& y) {
    return x.validator_index == y.validator_index && x.tx_hash == y.tx_hash && x.sig == y.sig
           && x.path == y.path;
  }
};

/// An input of the request and the other transaction it is locked to.
struct conflict_entry {
  output_ref input;
  hash32 other_tx;

  friend bool operator==(const conflict_entry& x, const conflict_entry& y) {
    return x.input == y.input && x.other_tx == y.other_tx;
  }
};

/// A refusal with a stable code (an `ec` value) and a human-readable detail. `conflicts` is
/// non-empty exactly when code is `ec::conflict`.
struct rejected_reply {
  uint16_t validator_index = 0;
  hash32 tx_hash;
  uint16_t code = 0;
  std::string detail;
  std::vector<conflict_entry> conflicts;

  friend bool operator==(const rejected_reply& x, const rejected_reply& y) {
    return x.validator_index == y.validator_index && x.tx_hash == y.tx_hash && x.code == y.code
           && x.detail == y.detail && x.conflicts == y.conflicts;
  }
};

/// A validator's answer to a sign_request: encoded as [0, signed] or [1, rejected].
using sign_reply = std::variant<signed_reply, rejected_reply>;

} // namespace acfts
