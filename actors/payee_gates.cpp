#include "actors/payee_gates.hpp"

#include "actors/gate.hpp"

namespace acfts {

namespace {

/// The same actor object, not merely an equal handle.
bool same_object(const caf::actor& x, const caf::actor& y) {
  return caf::actor_cast<caf::strong_actor_ptr>(x).get()
         == caf::actor_cast<caf::strong_actor_ptr>(y).get();
}

} // namespace

payee_gates::~payee_gates() {
  for (auto& [wallet, g] : by_wallet_)
    close_gate(g.gate);
}

caf::actor payee_gates::gate_for(const caf::actor& wallet, const std::string& name) {
  auto& entry = by_wallet_[wallet.address()];
  if (!entry.gate || !same_object(entry.wallet, wallet)) {
    auto stale = entry.gate;
    entry = wallet_gate{wallet, make_gate(*sys_, wallet, courier_to_wallet_rules(name))};
    if (stale) { // every payee and endpoint of that wallet moves to the new gate
      for (auto& [a, g] : by_payee_)
        if (g == stale)
          g = entry.gate;
      for (auto& [e, g] : by_endpoint_)
        if (g == stale)
          g = entry.gate;
      close_gate(stale);
    }
  }
  return entry.gate;
}

void payee_gates::close_unused() {
  for (auto i = by_wallet_.begin(); i != by_wallet_.end();) {
    bool used = false;
    for (const auto& [a, g] : by_payee_)
      used = used || g == i->second.gate;
    for (const auto& [e, g] : by_endpoint_)
      used = used || g == i->second.gate;
    if (used) {
      ++i;
    } else {
      close_gate(i->second.gate);
      i = by_wallet_.erase(i);
    }
  }
}

void payee_gates::route(const address& payee, const caf::actor& wallet) {
  by_payee_[payee] = gate_for(wallet, payee.short_hex());
  close_unused();
}

void payee_gates::route_endpoint(const std::string& endpoint, const caf::actor& wallet) {
  by_endpoint_[endpoint] = gate_for(wallet, endpoint);
  close_unused();
}

caf::actor payee_gates::at(const std::string& endpoint) const {
  auto i = by_endpoint_.find(endpoint);
  return i == by_endpoint_.end() ? caf::actor{} : i->second;
}

caf::actor payee_gates::to(const address& payee) const {
  auto i = by_payee_.find(payee);
  return i == by_payee_.end() ? caf::actor{} : i->second;
}

} // namespace acfts
