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
#include <caf/duration.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "actors/wallet_api.hpp"
#include "messages/amount.hpp"
#include "messages/control.hpp"
#include "messages/error.hpp"
#include "messages/transaction.hpp"

namespace acfts {

/// A wallet as a client reaches it: an in-process wallet actor, or a wallet node's control port
/// with its token.
struct wallet_endpoint {
  /// The in-process wallet; null for a wallet node.
  wallet_api local;
  /// The wallet node's control port (a gate) and the token from its data directory.
  caf::actor port;
  std::string token;

  static wallet_endpoint in_process(wallet_api wallet) { return {std::move(wallet), {}, {}}; }
  static wallet_endpoint control_port(caf::actor port, std::string token) {
    return {{}, std::move(port), std::move(token)};
  }
  bool remote() const { return !local; }
};

namespace detail {

/// Sends `q` by the endpoint's transport and hands the answer to `wait` (a response handle's
/// `then` or `receive`) as `ok(reply)` or `err(error)`: the one place that chooses the transport.
template <class Self, class Request, class OnReply, class OnError, class Wait>
void send_to_wallet(Self* self, const wallet_endpoint& w, caf::duration timeout, Request q,
                    OnReply ok, OnError err, Wait wait) {
  using reply = typename Request::reply;
  if (!w.remote()) {
    wait(
      self->request(w.local, timeout, std::move(q)), [ok](reply& r) mutable { ok(std::move(r)); },
      err);
    return;
  }
  wait(
    self->request(w.port, timeout, control_atom::value, w.token,
                  encode_control(control_request{std::move(q)})),
    [ok, err](const bytes& raw) mutable {
      auto r = decode_reply<reply>(raw);
      if (r)
        ok(std::move(*r));
      else
        err(r.error());
    },
    err);
}

} // namespace detail

/// Sends `q` to `w` from inside an actor; `ok(reply)` runs with its answer, `err(error)` with why
/// there is none (a wallet's refusal, a reply that does not decode, a timeout).
template <class Request, class OnReply, class OnError>
void request_wallet(caf::event_based_actor* self, const wallet_endpoint& w, caf::duration timeout,
                    Request q, OnReply ok, OnError err) {
  detail::send_to_wallet(
    self, w, timeout, std::move(q), std::move(ok),
    [err](caf::error& e) mutable { err(std::move(e)); },
    [](auto&& handle, auto on_reply, auto on_error) {
      handle.then(std::move(on_reply), std::move(on_error));
    });
}

/// Asks `w` and waits for its answer. No answer in time is ec::timeout (a payment may still be
/// pending).
template <class Request>
caf::expected<typename Request::reply> ask(caf::actor_system& sys, const wallet_endpoint& w,
                                           caf::timespan timeout, Request q) {
  using reply = typename Request::reply;
  caf::scoped_actor self{sys};
  caf::expected<reply> result{make_error(ec::timeout)};
  detail::send_to_wallet(
    self.ptr(), w, caf::duration{timeout}, std::move(q), [&](reply x) { result = std::move(x); },
    [&](caf::error& err) {
      if (err == caf::sec::request_timeout)
        result = make_error(ec::timeout, "no answer in time; the payment may be pending");
      else
        result = std::move(err);
    },
    [](auto&& handle, auto on_reply, auto on_error) {
      handle.receive(std::move(on_reply), std::move(on_error));
    });
  return result;
}

/// What a payment request ends with: the final transaction's hash, or why it is not final.
using payment_done = std::function<void(caf::expected<hash32>)>;

/// From inside an actor: asks `w` to pay `value` from `from` to `to`; `done` runs once it is
/// final (or failed, or `timeout` passed; caf::infinite: no timeout).
void request_payment(caf::event_based_actor* self, const wallet_endpoint& w, caf::duration timeout,
                     const address& from, const address& to, amount value, payment_done done);

/// From inside an actor: asks `w` to split the spendable outputs of `owner` into `parts`.
void request_split(caf::event_based_actor* self, const wallet_endpoint& w, caf::duration timeout,
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
