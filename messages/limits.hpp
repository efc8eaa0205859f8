// Hard limits on message contents. The decoder refuses anything larger, so a hostile peer cannot
// make a node allocate without bound.
#pragma once

#include <cstddef>
#include <cstdint>

namespace acfts::limits {

/// The only transaction version this build signs.
constexpr uint8_t transaction_version = 1;
constexpr size_t max_inputs = 256;
constexpr size_t max_outputs = 256;
/// Signatures in one certificate (bounds the committee size as well).
constexpr size_t max_committee = 1024;
/// Siblings in a pooled share's Merkle path: a batch of up to 2^32 transactions.
constexpr size_t max_merkle_depth = 32;
constexpr size_t max_detail_chars = 512;
constexpr size_t max_name_chars = 128;
constexpr size_t max_endpoint_chars = 256;
/// Upper bound of any encoded message (a request with max_inputs parents fits well below it).
constexpr size_t max_message_bytes = 16u << 20;
/// Sign requests one call to a verifier process may carry (their bytes within max_message_bytes).
constexpr size_t max_verify_batch = 64;
/// Sign requests one batch from a wallet to a validator may carry (messages/sign_batch.hpp).
constexpr size_t max_sign_batch = 64;

/// Spending policies: static bounds on one policy, checked before any of it is evaluated, so
/// that every policy's worst-case cost is known and small.
constexpr size_t max_policy_keys = 16;
constexpr size_t max_policy_nodes = 32;
constexpr size_t max_policy_depth = 4;
constexpr size_t max_policy_bytes = 4096;
/// Payees one only_to condition may list.
constexpr size_t max_policy_payees = 16;
/// Policy signatures one sign request may present (each may cost one check).
constexpr size_t max_signature_checks = 64;

} // namespace acfts::limits
