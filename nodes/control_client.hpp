// The client's end of a wallet node's control port: the port's gate, reached over loopback, and
// the token from the wallet's data directory that every request carries. The CLI's commands and
// the bench against running nodes speak to a wallet node through it.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/wallet_client.hpp"
#include "config/cluster_file.hpp"

namespace acfts {

/// Connects to the running wallet node `w`'s control port. Errors: ec::invalid_config (not
/// running), ec::unauthorized (token unreadable).
caf::expected<wallet_endpoint> open_control(caf::actor_system& sys, const wallet_entry& w);

} // namespace acfts
