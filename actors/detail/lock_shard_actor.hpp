// A lock shard as an actor (protocol/lock_shards.hpp): its own store and group commit, answering
// the validator's reservations once they are durable, and its releases once written. Its
// messages are typed values without a serializer: they never leave the process.
#pragma once

#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/expected.hpp>

#include "persistence/validator_store.hpp"
#include "protocol/lock_shards.hpp"

namespace acfts {

/// Reserve `inputs` (all in the shard's range) for `tx` → reservation_answer.
struct shard_reserve {
  hash32 tx;
  std::vector<output_ref> inputs;
};

/// Release `tx`'s reservations of `inputs` (another shard found a conflict) → true, once the
/// release is written. `counter`: the part link's call counter, written with the release (0:
/// an in-process call).
struct shard_release {
  hash32 tx;
  std::vector<output_ref> inputs;
  uint64_t counter = 0;
};

/// Spawns the shard over its open store. The validator's own locks (a hand-over's) are its
/// coordinator's to check before a round (validator_core::handle_checked_sharded), not a shard's.
caf::actor spawn_lock_shard(caf::actor_system& sys, std::shared_ptr<validator_store> store,
                            bool background_commit);

} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::shard_reserve)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::shard_release)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::reservation_answer)
