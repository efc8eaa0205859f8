// An address actor holds one private key and signs (witnesses) the spends of its outputs. The
// wallet never sees the secret key.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "crypto/keys.hpp"

namespace acfts {

/// Messages: (witness, bytes tx_hash(32)) → bytes (an encoded witness); a malformed hash gets
/// ec::malformed_message.
caf::actor spawn_address(caf::actor_system& sys, key_pair_ptr key);

} // namespace acfts
