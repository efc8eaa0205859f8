// A network: the committee and the genesis, with the values derived from them that every
// check needs (committee id, genesis hash, quorum size).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <caf/expected.hpp>

#include "messages/committee.hpp"
#include "messages/policy.hpp"

namespace acfts {

struct network {
  committee members;
  genesis gen;
  hash32 id;
  hash32 genesis_hash;
  /// The committee's epoch: 0 for the first, one more with each change (not part of the id:
  /// another committee has other keys, and so another id).
  uint64_t epoch = 0;
  /// The policy whose signatures a change of committee needs; none: the committee never changes.
  std::optional<policy> governance;
  /// The committees before this one, oldest first, with the same genesis (their own `past`
  /// empty): certificates they made stay proofs of their outputs (doc/protocol.md, Committee
  /// changes).
  std::vector<network> past;

  size_t size() const { return members.members.size(); }
  uint32_t f() const { return members.f; }
  /// Signatures a certificate needs: 2f+1.
  size_t quorum() const { return 2 * static_cast<size_t>(members.f) + 1; }
  /// This committee or a past one, by id; null for none of them.
  const network* committee_of(const hash32& committee_id) const;
};

/// The f of a committee of `n` validators: n = 3f+1 (1, 4, 7, 10, ...), tolerating f faulty
/// members; nullopt for any other n, 0 included. The one place that knows the rule.
std::optional<uint32_t> faults_tolerated(size_t n);

/// Validates and derives a network. Errors (ec::invalid_config): N ≠ 3f+1, N = 0, a repeated
/// validator key, a genesis with inputs, without outputs, with a zero amount or overflowing sum.
caf::expected<network> make_network(committee c, genesis g);

} // namespace acfts
