#include "actors/wallet_client.hpp"

#include <thread>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"

namespace acfts {

namespace {

const auto query_timeout = std::chrono::seconds(30);

/// A transaction hash as a control port answers it (hex).
caf::expected<hash32> parse_tx_hash(const std::string& hex) {
  if (auto h = hash32::from_hex(hex))
    return *h;
  return make_error(ec::malformed_message, "wallet answered with a bad hash: " + hex);
}

/// Runs `done` with the answer of a payment-like request, whichever way the wallet is reached.
template <class Pending>
void then_done(Pending&& pending, bool remote, payment_done done) {
  auto failed = [done](caf::error& err) { done(std::move(err)); };
  if (remote)
    pending.then([done](std::string& hex) { done(parse_tx_hash(hex)); }, failed);
  else
    pending.then([done](hash32 h) { done(h); }, failed);
}

/// The amount answer of a balance query, whichever way the wallet is reached.
template <class... Ts>
caf::expected<amount> ask_amount(caf::actor_system& sys, const wallet_endpoint& w,
                                 const Ts&... xs) {
  if (!w.remote())
    return ask<amount>(sys, w, query_timeout, balance_atom::value, xs...);
  auto units = ask<uint64_t>(sys, w, query_timeout, balance_atom::value, xs...);
  if (!units)
    return units.error();
  return amount{*units};
}

} // namespace

void request_payment(caf::event_based_actor* self, const wallet_endpoint& w, caf::timespan timeout,
                     const address& from, const address& to, amount value, payment_done done) {
  if (w.remote())
    then_done(self->request(w.handle, timeout, pay_atom::value, w.token, from.hex(), to.hex(),
                            value.units()),
              true, std::move(done));
  else
    then_done(self->request(w.handle, timeout, pay_atom::value, from, to, value), false,
              std::move(done));
}

void request_split(caf::event_based_actor* self, const wallet_endpoint& w, caf::timespan timeout,
                   const address& owner, uint64_t parts, payment_done done) {
  if (w.remote())
    then_done(self->request(w.handle, timeout, split_atom::value, w.token, owner.hex(), parts),
              true, std::move(done));
  else
    then_done(self->request(w.handle, timeout, split_atom::value, owner, parts), false,
              std::move(done));
}

caf::expected<hash32> pay_and_wait(caf::actor_system& sys, const wallet_endpoint& w,
                                   const address& from, const address& to, amount value,
                                   caf::timespan timeout) {
  if (!w.remote())
    return ask<hash32>(sys, w, timeout, pay_atom::value, from, to, value);
  auto hex =
    ask<std::string>(sys, w, timeout, pay_atom::value, from.hex(), to.hex(), value.units());
  if (!hex)
    return hex.error();
  return parse_tx_hash(*hex);
}

caf::expected<amount> query_balance(caf::actor_system& sys, const wallet_endpoint& w,
                                    const address& owner) {
  if (w.remote())
    return ask_amount(sys, w, owner.hex());
  return ask_amount(sys, w, owner);
}

caf::expected<amount> query_total(caf::actor_system& sys, const wallet_endpoint& w) {
  return ask_amount(sys, w);
}

caf::expected<uint64_t> query_unsettled(caf::actor_system& sys, const wallet_endpoint& w) {
  return ask<uint64_t>(sys, w, query_timeout, unsettled_atom::value);
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
