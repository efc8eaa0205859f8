// A wallet's gates to the wallets it pays (actors/gate.hpp): a Byzantine payee may answer or
// strike whoever sends to it, so the wallet reaches each payee wallet only through a gate of
// its own, which passes on only `deliver` and relays only its answers. One gate per payee
// wallet, shared by that wallet's addresses and by the endpoints (a payment's own route) it was
// reached at; a gate that no address or endpoint uses any more is closed, and all are closed with
// this object.
#pragma once

#include <map>
#include <string>
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

  /// Hand-offs routed to `endpoint` ("host:port") go to `wallet` from now on (a connection to
  /// that endpoint). Unlike `route`, this says nothing of which addresses it holds: a payment
  /// names its endpoint, and only that payment goes there.
  void route_endpoint(const std::string& endpoint, const caf::actor& wallet);

  /// The gate to the wallet at `endpoint`; null while it is not connected.
  caf::actor at(const std::string& endpoint) const;

private:
  /// The gate to `wallet`, made anew when the handle is a different object.
  caf::actor gate_for(const caf::actor& wallet, const std::string& name);
  /// Closes the gates no payee or endpoint uses.
  void close_unused();

  caf::actor_system* sys_;
  std::unordered_map<address, caf::actor> by_payee_;
  std::map<std::string, caf::actor> by_endpoint_;
  struct wallet_gate {
    caf::actor wallet; // the handle the gate forwards to
    caf::actor gate;
  };
  std::map<caf::actor_addr, wallet_gate> by_wallet_;
};

} // namespace acfts
