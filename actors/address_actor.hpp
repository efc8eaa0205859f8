// An address actor holds one private key and signs (witnesses) the spends of its outputs. The
// wallet never sees the secret key.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "crypto/keys.hpp"

namespace acfts {

/// Messages: (witness, hash32 tx_hash) → witness (in-process values, actors/local_types.hpp).
caf::actor spawn_address(caf::actor_system& sys, key_pair_ptr key);

} // namespace acfts
