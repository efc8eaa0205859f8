// The messages between a validator and its parts in other processes (issue 25), lock shards and
// verifiers: a call and its result, canonical msgpack like every wire object (strict decoders,
// errors as values). protocol/part_link.hpp authenticates them; only it should call these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/requests.hpp"
#include "messages/transaction.hpp"

namespace acfts {

using bytes = std::vector<char>;

/// A validator's call to one of its lock shards.
struct shard_call {
  enum op_t : uint8_t { reserve = 0, release = 1 };
  uint8_t op = reserve;
  /// Strictly increasing over the validator's calls: a shard refuses a counter not above the
  /// last one it accepted, so a recorded call cannot be played again.
  uint64_t counter = 0;
  hash32 tx;
  std::vector<output_ref> inputs;
};

/// A shard's result of one call.
struct shard_result {
  /// The call's counter: a result answers exactly one call.
  uint64_t counter = 0;
  /// A reservation: 0 held, 1 conflict, 2 fault (reservation_answer::kind_t); a release: 0
  /// written, 2 fault.
  uint8_t kind = 0;
  std::vector<conflict_entry> conflicts;
  /// A fault: its error code (an `ec`) and what happened.
  uint16_t code = 0;
  std::string detail;
};

/// A validator's call to one of its verifiers: check rules 1–3 of one or more sign requests.
/// The link sends those that queued while its earlier calls were under way in one call: a hop
/// between processes costs about what one request's checks cost, so it is paid once per batch.
struct verify_call {
  /// Rises over the validator's calls; the result must carry it back.
  uint64_t counter = 0;
  /// The sign requests as the validator's gate took them (1 to limits::max_verify_batch).
  std::vector<bytes> requests;
};

/// A verifier's verdict on one request of a call.
struct verify_verdict {
  /// ec::none when rules 1–3 hold; else the rejection's code and what failed.
  uint16_t code = 0;
  std::string detail;
  /// Parents (indices into the request's `parents`) certified by a past committee: a verifier
  /// has no store, so the validator checks that its hand-over carried them.
  std::vector<uint32_t> past_parents;
};

/// A verifier's result of one call: a verdict per request, in the call's order.
struct verify_result {
  uint64_t counter = 0;
  std::vector<verify_verdict> verdicts;
};

bytes encode_shard_call(const shard_call& x);
caf::expected<shard_call> decode_shard_call(const char* data, size_t size);
bytes encode_shard_result(const shard_result& x);
caf::expected<shard_result> decode_shard_result(const char* data, size_t size);
bytes encode_verify_call(const verify_call& x);
caf::expected<verify_call> decode_verify_call(const char* data, size_t size);
bytes encode_verify_result(const verify_result& x);
caf::expected<verify_result> decode_verify_result(const char* data, size_t size);

} // namespace acfts
