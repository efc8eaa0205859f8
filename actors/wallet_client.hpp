// Asking a wallet from outside it: the embedded cluster's library API, the bench's load driver
// and its set-up. A wallet is reached either directly (an in-process wallet actor, whose messages
// carry typed values) or through a wallet node's control port (a remote gate: the token first,
// addresses and hashes as hex, amounts as integers). These functions speak both.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>

#include "messages/amount.hpp"
#include "messages/error.hpp"
#include "messages/transaction.hpp"

namespace acfts {

struct wallet_endpoint {
  caf::actor handle;
  /// The control token of a wallet node; empty for an in-process wallet actor.
  std::string token;

  bool remote() const { return !token.empty(); }
};

/// Sends a request to a wallet, with its token first when it has one.
template <class Self, class Atom, class... Ts>
auto request_wallet(Self& self, const wallet_endpoint& w, caf::timespan timeout, Atom atom,
                    const Ts&... xs) {
  return w.token.empty() ? self->request(w.handle, timeout, atom, xs...)
                         : self->request(w.handle, timeout, atom, w.token, xs...);
}

/// Asks a wallet and waits for its answer (a T). No answer in time is ec::timeout (a payment
/// may still be pending).
template <class T, class Atom, class... Ts>
caf::expected<T> ask(caf::actor_system& sys, const wallet_endpoint& w, caf::timespan timeout,
                     Atom atom, const Ts&... xs) {
  caf::scoped_actor self{sys};
  caf::expected<T> result{make_error(ec::timeout)};
  request_wallet(self, w, timeout, atom, xs...)
    .receive([&](T& x) { result = std::move(x); },
             [&](caf::error& err) {
               if (err == caf::sec::request_timeout)
                 result = make_error(ec::timeout, "no answer in time; the payment may be pending");
               else
                 result = std::move(err);
             });
  return result;
}

/// What a payment request ends with: the final transaction's hash, or why it is not final.
using payment_done = std::function<void(caf::expected<hash32>)>;

/// From inside an actor: asks `w` to pay `value` from `from` to `to`; `done` runs once it is
/// final (or failed, or `timeout` passed).
void request_payment(caf::event_based_actor* self, const wallet_endpoint& w, caf::timespan timeout,
                     const address& from, const address& to, amount value, payment_done done);

/// From inside an actor: asks `w` to split the spendable outputs of `owner` into `parts`.
void request_split(caf::event_based_actor* self, const wallet_endpoint& w, caf::timespan timeout,
                   const address& owner, uint64_t parts, payment_done done);

/// Pays and waits until the payment is final.
caf::expected<hash32> pay_and_wait(caf::actor_system& sys, const wallet_endpoint& w,
                                   const address& from, const address& to, amount value,
                                   caf::timespan timeout);

/// The balance of one address, of the whole wallet, and the number of a wallet's payments not
/// yet final plus its hand-offs not yet acknowledged.
caf::expected<amount> query_balance(caf::actor_system& sys, const wallet_endpoint& w,
                                    const address& owner);
caf::expected<amount> query_total(caf::actor_system& sys, const wallet_endpoint& w);
caf::expected<uint64_t> query_unsettled(caf::actor_system& sys, const wallet_endpoint& w);

/// Waits until no wallet has anything unsettled; false on timeout or error.
bool wait_settled(caf::actor_system& sys, const std::vector<wallet_endpoint>& wallets,
                  caf::timespan timeout);

} // namespace acfts
