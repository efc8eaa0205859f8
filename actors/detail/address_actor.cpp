#include "actors/detail/address_actor.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "protocol/cosign.hpp"
#include "protocol/rules.hpp"

namespace acfts {

namespace {

caf::behavior address_behavior(caf::event_based_actor*, key_pair_ptr key) {
  return {
    [key](witness_atom, const hash32& tx) -> owner_proof { return make_witness(*key, tx); },
  };
}

caf::behavior
policy_address_behavior(caf::event_based_actor*, std::shared_ptr<const policy> p,
                        std::shared_ptr<std::vector<std::shared_ptr<const owner_key>>> keys) {
  return {
    [=](witness_atom, const hash32& tx) -> owner_proof {
      policy_witness w{*p, {}};
      std::vector<const owner_key*> held;
      for (const auto& k : *keys)
        held.push_back(k.get());
      sign_policy(w, tx, held);
      return w;
    },
  };
}

} // namespace

caf::actor spawn_address(caf::actor_system& sys, key_pair_ptr key) {
  return sys.spawn(address_behavior, std::move(key));
}

caf::actor spawn_policy_address(caf::actor_system& sys, policy p,
                                std::vector<std::shared_ptr<const owner_key>> keys) {
  return sys.spawn(
    policy_address_behavior, std::make_shared<const policy>(std::move(p)),
    std::make_shared<std::vector<std::shared_ptr<const owner_key>>>(std::move(keys)));
}

} // namespace acfts
