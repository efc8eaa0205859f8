#include "actors/payee_gates.hpp"

#include "actors/gate.hpp"

namespace acfts {

payee_gates::~payee_gates() {
  for (auto& [wallet, g] : by_wallet_)
    close_gate(g);
}

void payee_gates::route(const address& payee, const caf::actor& wallet) {
  auto& gate = by_wallet_[wallet.address()];
  if (!gate)
    gate = make_gate(*sys_, wallet, courier_to_wallet_rules(payee.short_hex()));
  by_payee_[payee] = gate;
  for (auto i = by_wallet_.begin(); i != by_wallet_.end();) {
    bool used = false;
    for (const auto& [a, g] : by_payee_)
      used = used || g == i->second;
    if (used) {
      ++i;
    } else {
      close_gate(i->second);
      i = by_wallet_.erase(i);
    }
  }
}

caf::actor payee_gates::to(const address& payee) const {
  auto i = by_payee_.find(payee);
  return i == by_payee_.end() ? caf::actor{} : i->second;
}

} // namespace acfts
