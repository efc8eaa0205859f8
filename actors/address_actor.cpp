#include "actors/address_actor.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>

#include "actors/atoms.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/rules.hpp"

namespace acfts {

namespace {

caf::behavior address_behavior(caf::event_based_actor*, key_pair_ptr key) {
  return {
    [key](witness_atom, const bytes& tx_raw) -> caf::result<bytes> {
      auto tx = hash32::from_raw(tx_raw.data(), tx_raw.size());
      if (!tx)
        return make_error(ec::malformed_message, "a transaction hash has 32 bytes");
      return encode(make_witness(*key, *tx));
    },
  };
}

} // namespace

caf::actor spawn_address(caf::actor_system& sys, key_pair_ptr key) {
  return sys.spawn(address_behavior, std::move(key));
}

} // namespace acfts
