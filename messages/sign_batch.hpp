// Several sign requests of one wallet to one validator in one message, and the validator's
// replies in one message, in the same order (doc/protocol.md, "Batches of sign requests").
// Each request and each reply is the encoding a single (sign, bytes) call carries: a batch only
// saves a hop between processes per request (bench/RESULTS.md, "Sign requests in batches").
#pragma once

#include <vector>

#include <caf/expected.hpp>

#include "messages/codec.hpp"

namespace acfts {

struct sign_batch {
  /// Encoded sign_requests, 1 to limits::max_sign_batch.
  std::vector<bytes> requests;
};

struct reply_batch {
  /// An encoded sign_reply per request of the batch, in its order; empty where the validator
  /// had no answer to give (the wallet asks again later, as after a lost reply).
  std::vector<bytes> replies;
};

bytes encode_sign_batch(const sign_batch& x);
/// Errors: ec::malformed_message (not an array of 1 to limits::max_sign_batch byte strings).
caf::expected<sign_batch> decode_sign_batch(const char* data, size_t size);
bytes encode_reply_batch(const reply_batch& x);
caf::expected<reply_batch> decode_reply_batch(const char* data, size_t size);

} // namespace acfts
