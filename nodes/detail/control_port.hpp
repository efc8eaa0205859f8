// A wallet node's control port: 127.0.0.1:control_port, behind a gate that passes only
// (control, token, bytes). Every request carries the token from the wallet's data directory, so
// only local users who may read that file can pay or read balances; the bytes are one request of
// messages/control.hpp, decoded here and asked of the wallet as the typed value it is; the
// answer goes back encoded.
#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>

#include "actors/wallet_api.hpp"

namespace acfts {

caf::behavior control_port(caf::event_based_actor* self, wallet_api wallet, std::string token);

} // namespace acfts
