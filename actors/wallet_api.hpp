// The wallet actor's interface as a CAF typed actor: every request of messages/control.hpp,
// answered with its `reply` type, and the in-process messages of the node, the committee's
// connector and the wallet's own timers. The compiler checks both sides against it: a handler
// missing, extra or answering the wrong type does not build, and neither does a message a
// caller sends that the wallet does not take. A request added to `control_request` joins the
// interface by itself.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <memory>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "crypto/keys.hpp"
#include "crypto/schemes.hpp"
#include "messages/control.hpp"
#include "messages/policy.hpp"

namespace acfts {

namespace detail {

template <class Requests, class... InProcess>
struct wallet_interface;

template <class... Requests, class... InProcess>
struct wallet_interface<std::variant<Requests...>, InProcess...> {
  using type =
    caf::typed_actor<typename caf::replies_to<Requests>::template with<typename Requests::reply>...,
                     InProcess...>;
};

} // namespace detail

/// An address owned by a spending policy, and the keys of it this wallet holds (payments from
/// it need the policy satisfied by those keys).
struct policy_address_keys {
  policy spend_policy;
  std::vector<std::shared_ptr<const owner_key>> keys;
};

/// Addresses for a running wallet to hold from now on: single keys (with where each key lives,
/// parallel to `keys`, may be empty) and policies.
struct wallet_addresses {
  std::vector<key_pair_ptr> keys;
  std::vector<std::string> key_refs;
  std::vector<policy_address_keys> policies;
};

using wallet_api = typename detail::wallet_interface<
  control_request,
  // A certified payment from a payer's wallet (the payee's port passes it on), optionally
  // naming the payee address: acknowledged once stored.
  caf::replies_to<deliver_atom, bytes>::with<ack_atom>,
  caf::replies_to<deliver_atom, bytes, bytes>::with<ack_atom>,
  // Where to hand payments to an address, or to a route ("host:port"); the routes it needs.
  caf::reacts_to<peer_atom, address, caf::actor>,
  caf::reacts_to<route_atom, std::string, caf::actor>,
  caf::replies_to<endpoints_atom>::with<std::vector<std::string>>,
  // (Re)connects committee member `index`.
  caf::reacts_to<validator_atom, uint16_t, caf::actor>,
  // Its addresses in key order; adopting new ones answers how many were new.
  caf::replies_to<addresses_atom>::with<std::vector<address>>,
  caf::replies_to<addresses_atom, wallet_addresses>::with<uint64_t>,
  caf::replies_to<pending_atom>::with<uint64_t>, caf::replies_to<metrics_atom>::with<std::string>,
  // Its own timers: resend what is unanswered; write the queued changes (group commit).
  caf::reacts_to<retry_atom>, caf::reacts_to<flush_atom>>::type;

} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::wallet_addresses)
