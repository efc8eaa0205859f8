// The one client of a wallet: the embedded cluster's library API, the CLI and the bench. A
// wallet is reached either directly (an in-process wallet actor, which takes the requests of
// messages/control.hpp as typed values) or through a wallet node's control port (a gate that
// takes (control, token, bytes) and answers the reply encoded). The transport is chosen here,
// once; every request and reply is the same type either way.
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

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "messages/amount.hpp"
#include "messages/control.hpp"
#include "messages/error.hpp"
#include "messages/transaction.hpp"

namespace acfts {

struct wallet_endpoint {
  caf::actor handle;
  /// The control token of a wallet node; empty for an in-process wallet actor.
  std::string token;

  bool remote() const { return !token.empty(); }
};

/// Sends `q` to `w` from inside an actor; `ok(reply)` runs with its answer, `err(error)` with why
/// there is none (a wallet's refusal, a reply that does not decode, a timeout).
template <class Request, class OnReply, class OnError>
void request_wallet(caf::event_based_actor* self, const wallet_endpoint& w, caf::timespan timeout,
                    Request q, OnReply ok, OnError err) {
  using reply = typename Request::reply;
  if (!w.remote()) {
    self->request(w.handle, timeout, std::move(q))
      .then([ok](reply& r) mutable { ok(std::move(r)); },
            [err](caf::error& e) mutable { err(std::move(e)); });
    return;
  }
  self
    ->request(w.handle, timeout, control_atom::value, w.token,
              encode_control(control_request{std::move(q)}))
    .then(
      [ok, err](const bytes& raw) mutable {
        auto r = decode_reply<reply>(raw);
        if (r)
          ok(std::move(*r));
        else
          err(r.error());
      },
      [err](caf::error& e) mutable { err(std::move(e)); });
}

/// Asks `w` and waits for its answer. No answer in time is ec::timeout (a payment may still be
/// pending).
template <class Request>
caf::expected<typename Request::reply> ask(caf::actor_system& sys, const wallet_endpoint& w,
                                           caf::timespan timeout, Request q) {
  using reply = typename Request::reply;
  caf::scoped_actor self{sys};
  caf::expected<reply> result{make_error(ec::timeout)};
  auto failed = [&](caf::error& err) {
    if (err == caf::sec::request_timeout)
      result = make_error(ec::timeout, "no answer in time; the payment may be pending");
    else
      result = std::move(err);
  };
  if (!w.remote()) {
    self->request(w.handle, timeout, std::move(q))
      .receive([&](reply& x) { result = std::move(x); }, failed);
    return result;
  }
  self
    ->request(w.handle, timeout, control_atom::value, w.token,
              encode_control(control_request{std::move(q)}))
    .receive([&](const bytes& raw) { result = decode_reply<reply>(raw); }, failed);
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

/// Pays and waits until the payment is final (one `pay` request, answered once final).
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
