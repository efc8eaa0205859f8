// A proof that one validator signed two different transactions spending a common input: the two
// transactions and the validator's share over each (single, or pooled: root signature + path).
// Anyone with the committee file checks it (protocol/equivocation.hpp); no honest validator can
// be framed, since its shares are its signature (issue 24; doc/protocol.md, version 2 additions).
#pragma once

#include "messages/transaction.hpp"

namespace acfts {

struct equivocation_proof {
  /// The network whose committee the validator belongs to.
  hash32 committee_id;
  transaction first;
  validator_signature first_share;
  transaction second;
  validator_signature second_share;

  friend bool operator==(const equivocation_proof& x, const equivocation_proof& y) {
    return x.committee_id == y.committee_id && x.first == y.first && x.first_share == y.first_share
           && x.second == y.second && x.second_share == y.second_share;
  }
};

} // namespace acfts
