// The validation rules of doc/protocol.md as plain functions over messages/ types. Each returns
// caf::none or an error whose code is the stable rejection code of the rule that failed.
#pragma once

#include <optional>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "crypto/keys.hpp"
#include "messages/requests.hpp"
#include "protocol/network.hpp"

namespace acfts {

/// Rule 1 on the transaction alone: 1..max inputs and outputs, no input twice, every amount > 0,
/// the outputs' sum fits into 64 bits.
caf::error check_transaction(const transaction& tx);

/// Rule 1 against the parents: one parent per distinct input transaction other than the genesis,
/// no parent that no input needs, every index in range, and sum(inputs) == sum(outputs).
/// On success returns the spent outputs, one per input in order.
caf::expected<std::vector<output>>
resolve_inputs(const network& net, const transaction& tx,
               const std::vector<certified_transaction>& parents);

/// The payload a validator signs for `tx`: "acfts.cert.v1" || committee_id || tx_hash.
signature sign_certificate_share(const key_pair& key, const network& net, const hash32& tx);

/// The payload a validator signs for a batch (pooled shares): "acfts.root.v1" || committee_id ||
/// root.
signature sign_batch_root(const key_pair& key, const network& net, const hash32& root);

/// Checks one validator's share of `tx` (index must name a member): a single share signs `tx`,
/// a pooled one (with `path`) the root its path leads to — each root verified once per process
/// (protocol/share_cache.hpp).
bool verify_certificate_share(const network& net, uint16_t validator_index, const hash32& tx,
                              const signature& sig,
                              const std::optional<merkle_path>& path = std::nullopt);

/// Rule 2: `cert` names `tx` and holds ≥ 2f+1 valid signatures of distinct members.
/// `known_share`, if given, is a share known to be valid (a validator's own, from its store): a
/// byte-identical share in `cert` is accepted without verifying it again.
caf::error verify_certificate(const network& net, const certificate& cert, const hash32& tx,
                              const std::optional<validator_signature>& known_share = {});

/// Rule 2 across epochs: the committee of `net`'s chain whose quorum signed `tx` — `net` itself
/// first, then the past committees, newest first. On failure, the current committee's error.
/// `known_share` is `net`'s own (see verify_certificate).
caf::expected<const network*>
certifying_committee(const network& net, const certificate& cert, const hash32& tx,
                     const std::optional<validator_signature>& known_share = {});

/// A certified transaction as a payee must check it before trusting its outputs: certified by
/// this committee or a past one.
caf::error verify_certified(const network& net, const certified_transaction& ct);

/// An owner's witness for `tx`.
witness make_witness(const key_pair& owner, const hash32& tx);

/// Rule 3: every distinct owner of `spent` has exactly one witness — a key witness whose key
/// hashes to the owner and whose signature over "acfts.tx.v1" || tx verifies, or a policy
/// witness whose policy hashes to the owner and is satisfied (protocol/policy_rules.hpp) — and no
/// witness is left over. Cheapest first for all owners together: the count of policy signatures,
/// the hashes, the policies' conditions and presence, and only then signatures. `now` is the
/// validator's clock (Unix seconds) for after/before conditions.
caf::error verify_witnesses(const hash32& tx, const sign_request& req,
                            const std::vector<output>& spent, uint64_t now);

} // namespace acfts
