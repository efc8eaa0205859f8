// A change of committee and a validator's seal (doc/protocol.md, Committee changes): the
// governance policy of a network approves a change that names the next committee; a validator
// that seals for it signs the root of its lock set and locks nothing new from then on.
#pragma once

#include <cstdint>

#include "messages/committee.hpp"
#include "messages/policy.hpp"

namespace acfts {

/// The committee `old_id` hands over to `next`, which starts epoch `next_epoch`. The genesis
/// stays: the next committee's id is committee_id(next, the same genesis).
struct committee_change {
  hash32 old_id;
  uint64_t next_epoch = 0;
  committee next;

  friend bool operator==(const committee_change& x, const committee_change& y) {
    return x.old_id == y.old_id && x.next_epoch == y.next_epoch && x.next == y.next;
  }
};

/// A change and the signatures of the governance policy's keys over its hash.
struct change_request {
  committee_change change;
  policy_witness approval;

  friend bool operator==(const change_request& x, const change_request& y) {
    return x.change == y.change && x.approval == y.approval;
  }
};

/// What a sealed validator signs: "acfts.seal.v1" ‖ old id ‖ next id ‖ lock count (u64 big
/// endian) ‖ root of its lock set.
struct seal_statement {
  uint16_t validator_index = 0;
  hash32 old_id;
  hash32 next_id;
  uint64_t locks = 0;
  hash32 lock_root;
  signature sig;

  friend bool operator==(const seal_statement& x, const seal_statement& y) {
    return x.validator_index == y.validator_index && x.old_id == y.old_id && x.next_id == y.next_id
           && x.locks == y.locks && x.lock_root == y.lock_root && x.sig == y.sig;
  }
};

} // namespace acfts
