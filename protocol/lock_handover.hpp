// The hand-over of sealed lock sets to a new committee (doc/protocol.md, Committee changes): each
// old validator's set is its seal and the owner-signed requests that made its locks; a new
// validator starts from the merge of at least 2f+1 of them. A request that does not prove its
// lock (no valid owner witness, parents not certified by the old committee) is refused, so a
// Byzantine old validator cannot invent a lock; one that leaves locks out is covered by the
// others (any 2f+1 sets include an honest validator that locked each certified spend).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/committee_change.hpp"
#include "messages/requests.hpp"
#include "protocol/network.hpp"

namespace acfts {

/// One old validator's sealed lock set.
struct lock_export {
  seal_statement seal;
  std::vector<sign_request> requests;
};

/// What a new validator starts from.
struct merged_locks {
  /// Inputs locked to exactly one transaction, and the request that proves each transaction.
  std::map<output_ref, hash32> locks;
  std::map<hash32, sign_request> requests;
  /// Inputs locked to two transactions (their owner equivocated): never spendable.
  std::set<output_ref> unspendable;
  /// The old validators whose sets were used.
  std::vector<uint16_t> validators;
  /// Why requests were refused, and sets whose locks differ from their seal.
  std::vector<std::string> refused;
};

/// The transaction an unspendable input is locked to: no transaction hashes to it, so every
/// spend of the input is a conflict naming it.
hash32 unspendable_tx();

/// Merges the sealed lock sets of old committee `old_net` for the committee `next_id`. Errors:
/// invalid_change (fewer than 2f+1 distinct validators with a valid seal for `next_id`: the
/// change waits; a validator's set twice).
caf::expected<merged_locks> merge_lock_sets(const network& old_net, const hash32& next_id,
                                            const std::vector<lock_export>& sets);

} // namespace acfts
