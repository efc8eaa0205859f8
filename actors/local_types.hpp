// Values that travel between actors of one process as themselves, not as bytes: hashes,
// addresses, amounts and witnesses between a wallet, its address actors and its in-process
// clients. They have no CAF serializer on purpose, so they can never leave the process (CAF
// refuses to send them to another node); bytes, hex and integers are only for the network edge
// (actors/gate.hpp, the control port).
#pragma once

#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>

#include "messages/amount.hpp"
#include "messages/policy.hpp"
#include "messages/requests.hpp"
#include "messages/transaction.hpp"
#include "protocol/validator_core.hpp"
#include "protocol/wallet_core.hpp"
#include "protocol/wallet_records.hpp"

namespace acfts {

/// A validator actor's counters since it started (`stats`): its core's, and its store's.
struct validator_stats {
  validator_core::counters core;
  /// Group commits, and the records and pooled roots they wrote.
  uint64_t batches = 0;
  uint64_t records = 0;
  uint64_t roots = 0;
  /// Its store failed: it signs nothing until restarted.
  bool faulted = false;

  double mean_batch() const {
    return batches == 0 ? 0.0 : static_cast<double>(records) / static_cast<double>(batches);
  }
};

} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::hash32)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::address)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::amount)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::witness)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::owner_proof)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::sign_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<acfts::address>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::validator_stats)
