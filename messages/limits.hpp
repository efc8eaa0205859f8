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
constexpr size_t max_detail_chars = 512;
constexpr size_t max_name_chars = 128;
constexpr size_t max_endpoint_chars = 256;
/// Upper bound of any encoded message (a request with max_inputs parents fits well below it).
constexpr size_t max_message_bytes = 16u << 20;

} // namespace acfts::limits
