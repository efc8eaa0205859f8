#include "actors/wallet_client.hpp"

#include <thread>

#include "actors/atoms.hpp"

namespace acfts {

caf::expected<amount> query_balance(caf::actor_system& sys, const wallet_endpoint& w,
                                    const std::string& address_hex) {
  return ask<amount>(sys, w, std::chrono::seconds(30), balance_atom::value, address_hex);
}

caf::expected<uint64_t> query_unsettled(caf::actor_system& sys, const wallet_endpoint& w) {
  return ask<uint64_t>(sys, w, std::chrono::seconds(30), unsettled_atom::value);
}

bool wait_settled(caf::actor_system& sys, const std::vector<wallet_endpoint>& wallets,
                  caf::timespan timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    uint64_t unsettled = 0;
    for (const auto& w : wallets) {
      auto n = query_unsettled(sys, w);
      if (!n)
        return false;
      unsettled += *n;
    }
    if (unsettled == 0)
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

} // namespace acfts
