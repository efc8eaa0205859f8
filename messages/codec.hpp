// Canonical msgpack encoding of every wire object, and a strict decoder.
//
// Encoding: each struct is a msgpack array of its fields in declaration order (no maps); integers
// in their shortest form; fixed-size byte strings as `bin` of exactly their size; variants as
// [tag, body]. The same object always encodes to the same bytes (tests/golden pins them).
//
// Decoding never throws and never crashes: a wrong type, a wrong length, truncated or trailing
// bytes, a count over `limits`, or an unknown transaction version is returned as an error value
// (ec::malformed_message, ec::unsupported_version, ec::message_too_large). Decoding accepts only
// the canonical bytes: `decode` succeeds on x only if `encode(decode(x)) == x`; any other
// encoding of a valid object (a non-minimal integer, length or width) is ec::non_canonical.
#pragma once

#include <cstddef>
#include <vector>

#include <caf/expected.hpp>

#include "messages/committee.hpp"
#include "messages/requests.hpp"
#include "messages/committee_change.hpp"
#include "messages/equivocation.hpp"
#include "messages/transaction.hpp"

namespace acfts {

using bytes = std::vector<char>;

/// Encodes any wire object of messages/ (transaction, certificate, sign_request, sign_reply, ...).
template <class T>
bytes encode(const T& x);

/// Appends the encoding of `x` to `out` (avoids a copy when hashing or framing).
template <class T>
void encode_into(bytes& out, const T& x);

/// Decodes exactly one object of type T that spans all of [data, data + size).
template <class T>
caf::expected<T> decode(const char* data, size_t size);

/// The shape of `p` if it keeps every static limit and rule the decoder enforces (a policy built
/// in-process, e.g. by a wallet making an address). Errors: policy_over_limit, unknown_scheme,
/// invalid_key, malformed_message (no key, a key twice, an empty threshold, ...).
caf::expected<policy_shape> check_policy_limits(const policy& p);

template <class T>
caf::expected<T> decode(const bytes& buf) {
  return decode<T>(buf.data(), buf.size());
}

} // namespace acfts
