// A wallet's gates to the wallets it pays (actors/gate.hpp): a Byzantine payee may answer or
// strike whoever sends to it, so the wallet reaches each payee wallet only through a gate of
// its own, which passes on only `deliver` and relays only its answers. One gate per payee
// wallet, shared by that wallet's addresses; a gate no address uses any more is closed, and all
// are closed with this object.
#pragma once

#include <map>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_system.hpp>

#include "messages/bytes.hpp"

namespace acfts {

class payee_gates {
public:
  explicit payee_gates(caf::actor_system& sys) : sys_(&sys) {}
  payee_gates(const payee_gates&) = delete;
  payee_gates& operator=(const payee_gates&) = delete;
  ~payee_gates();

  /// Payments to `payee` go to `wallet` from now on. A handle that replaces an equal one (CAF
  /// compares handles by node and actor id, so the proxy of a reconnection equals the dead proxy
  /// of the lost connection) gets a new gate: the old gate would forward into the dead proxy.
  void route(const address& payee, const caf::actor& wallet);

  /// The gate to the wallet of `payee`; null while it is unknown.
  caf::actor to(const address& payee) const;

private:
  caf::actor_system* sys_;
  std::unordered_map<address, caf::actor> by_payee_;
  struct wallet_gate {
    caf::actor wallet; // the handle the gate forwards to
    caf::actor gate;
  };
  std::map<caf::actor_addr, wallet_gate> by_wallet_;
};

} // namespace acfts
