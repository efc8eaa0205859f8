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

void payee_gates::route(const address& payee, const caf::actor& wallet) {
  auto& entry = by_wallet_[wallet.address()];
  if (!entry.gate || !same_object(entry.wallet, wallet)) {
    auto stale = entry.gate;
    entry =
      wallet_gate{wallet, make_gate(*sys_, wallet, courier_to_wallet_rules(payee.short_hex()))};
    if (stale) { // every payee of that wallet moves to the new gate
      for (auto& [a, g] : by_payee_)
        if (g == stale)
          g = entry.gate;
      close_gate(stale);
    }
  }
  by_payee_[payee] = entry.gate;
  for (auto i = by_wallet_.begin(); i != by_wallet_.end();) {
    bool used = false;
    for (const auto& [a, g] : by_payee_)
      used = used || g == i->second.gate;
    if (used) {
      ++i;
    } else {
      close_gate(i->second.gate);
      i = by_wallet_.erase(i);
    }
  }
}

caf::actor payee_gates::to(const address& payee) const {
  auto i = by_payee_.find(payee);
  return i == by_payee_.end() ? caf::actor{} : i->second;
}

} // namespace acfts
