// Committee changes (doc/protocol.md, Committee changes), the parts built so far: a change
// approved by the network's governance policy, and a validator's seal over its lock set.
#pragma once

#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "crypto/keys.hpp"
#include "messages/committee_change.hpp"
#include "protocol/network.hpp"

namespace acfts {

/// BLAKE2b-256("acfts.change.v1" ‖ encoding of `c`): what the governance keys sign (as owners
/// sign a transaction hash; the tagged preimage can never be a transaction's).
hash32 change_hash(const committee_change& c);

/// The network the change leads to (the same genesis, the next committee and epoch, `net` added
/// to the chain of past committees). Errors:
/// invalid_change (the next committee is not a valid one, or has the same id).
caf::expected<network> next_network(const network& net, const committee_change& c);

/// A change request `net` must accept: this network's governance policy, this committee, the
/// next epoch, a valid next committee, and the governance keys' signatures satisfying the policy.
/// Errors: invalid_change, and the policy's (policy_not_satisfied, invalid_witness, ...).
caf::error verify_change(const network& net, const change_request& req);

/// The root of a lock set: a Merkle tree (protocol/merkle.hpp) over BLAKE2b-256(input ‖ tx) of
/// each lock, in input order; all zero for none.
hash32 lock_set_root(std::vector<std::pair<output_ref, hash32>> locks);

/// Validator `index` of `net` seals for `next_id` over `locks`.
seal_statement make_seal(const network& net, uint16_t index, const key_pair& key,
                         const hash32& next_id,
                         const std::vector<std::pair<output_ref, hash32>>& locks);

/// Whether `s` is signed by the validator it names, of the committee of `net`.
bool verify_seal(const network& net, const seal_statement& s);

} // namespace acfts
