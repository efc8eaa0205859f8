// An address actor holds the private key of its address, or the policy of a policy address and
// whichever of its keys this wallet has (none, some or all), and signs (witnesses) the spends of
// its outputs. The wallet never sees a secret key.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <vector>

#include "crypto/keys.hpp"
#include "crypto/schemes.hpp"
#include "messages/policy.hpp"

namespace acfts {

/// Messages: (witness, hash32 tx_hash) → owner_proof (in-process values, actors/local_types.hpp).
caf::actor spawn_address(caf::actor_system& sys, key_pair_ptr key);

/// The address actor of a policy address: its witness holds the signatures of `keys` (the keys of
/// the policy this wallet holds).
caf::actor spawn_policy_address(caf::actor_system& sys, policy p,
                                std::vector<std::shared_ptr<const owner_key>> keys);

} // namespace acfts
