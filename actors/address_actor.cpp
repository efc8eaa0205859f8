#include "actors/address_actor.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "protocol/rules.hpp"

namespace acfts {

namespace {

caf::behavior address_behavior(caf::event_based_actor*, key_pair_ptr key) {
  return {
    [key](witness_atom, const hash32& tx) -> witness { return make_witness(*key, tx); },
  };
}

} // namespace

caf::actor spawn_address(caf::actor_system& sys, key_pair_ptr key) {
  return sys.spawn(address_behavior, std::move(key));
}

} // namespace acfts
