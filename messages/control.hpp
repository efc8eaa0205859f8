// The wallet's one API: what a client may ask a wallet, and what each request is answered with.
//
// In-process, these structs are the wallet actor's messages themselves (typed values; see
// actors/wallet_api.hpp). A wallet node's control port carries the same requests encoded:
// (control, token, bytes control_request) → (bytes reply), the reply being the request's
// `reply` type encoded. Each struct lists its fields once, in `fields()`, which the codec
// (messages/control.cpp) walks; the variant's order is the wire tag, so new requests go at the
// end. Adding a wallet command: a struct here, its handler in the wallet actor, its CLI command.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/expected.hpp>

#include "messages/amount.hpp"
#include "messages/equivocation.hpp"
#include "messages/requests.hpp"
#include "messages/transaction.hpp"

namespace acfts::control {

namespace detail {

/// Whether `Request` says when it is answered (`until_final()`).
template <class Request, class = void>
struct has_until_final : std::false_type {};
template <class Request>
struct has_until_final<Request, std::void_t<decltype(std::declval<const Request&>().until_final())>>
  : std::true_type {};

} // namespace detail

// -- answers that are not wire objects of their own -----------------------------------------------

/// A payment's hand-off to one payee's wallet not yet acknowledged.
struct handoff {
  hash32 tx;
  address payee;
  /// The payment's route ("host:port"); empty: the payee's wallet as the wallet's file names it.
  std::string endpoint;
  /// Offers made since the wallet started (or since `resend`).
  uint64_t tries = 0;
  /// Why the last offer failed; empty before the first failure.
  std::string last_error;
  /// The node at the route refused it: not offered again until `resend` (or a restart).
  bool refused = false;
  auto fields() { return std::tie(tx, payee, endpoint, tries, last_error, refused); }
  auto fields() const { return std::tie(tx, payee, endpoint, tries, last_error, refused); }
};

/// Where one payment stands.
struct tx_status {
  /// "final", "pending", "held", "failed" or "unknown".
  std::string state;
  /// Final: the certificate's signers; pending: the validators that signed so far.
  std::vector<std::string> validators;
  /// Failed: the reason; pending: why it waits, when the wallet knows.
  std::string detail;
  /// Final: the hand-offs not yet acknowledged (none: delivered).
  std::vector<handoff> undelivered;
  auto fields() { return std::tie(state, validators, detail, undelivered); }
  auto fields() const { return std::tie(state, validators, detail, undelivered); }
};

/// A payment sent or received, and where it stands now.
struct history_line {
  hash32 tx;
  /// "sent", "received" or "moved" (between the wallet's own addresses).
  std::string direction;
  /// The other side (zero: none, or several).
  address counterparty;
  amount value;
  /// "pending", "final" or "failed".
  std::string state;
  /// A final payment sent: "delivered" or "undelivered"; otherwise empty.
  std::string delivery;
  /// When the wallet first saw it, Unix seconds.
  uint64_t seen = 0;
  auto fields() { return std::tie(tx, direction, counterparty, value, state, delivery, seen); }
  auto fields() const {
    return std::tie(tx, direction, counterparty, value, state, delivery, seen);
  }
};

/// A running wallet's figures: since it started, and now.
struct wallet_counters {
  /// Payments of this wallet that became final, and that failed, since it started.
  uint64_t final = 0;
  uint64_t failed = 0;
  /// Validator replies that did not count (malformed, a non-member's, a bad share, a duplicate).
  uint64_t dropped = 0;
  /// Payments received, and deliveries refused (malformed, not certified, nothing for it).
  uint64_t received = 0;
  uint64_t refused = 0;
  /// Validators caught signing two spends of one coin.
  uint64_t equivocations = 0;
  /// Now: payments not yet final, and hand-offs not yet acknowledged.
  uint64_t pending = 0;
  uint64_t undelivered = 0;
  auto fields() {
    return std::tie(final, failed, dropped, received, refused, equivocations, pending, undelivered);
  }
  auto fields() const {
    return std::tie(final, failed, dropped, received, refused, equivocations, pending, undelivered);
  }
};

/// One record of the wallet's store, as a backup holds it.
struct store_record {
  std::string key;
  std::string value;
  auto fields() { return std::tie(key, value); }
  auto fields() const { return std::tie(key, value); }
};

// -- requests
// --------------------------------------------------------------------------------------

#define ACFTS_FIELDS(...)                                                                          \
  auto fields() {                                                                                  \
    return std::tie(__VA_ARGS__);                                                                  \
  }                                                                                                \
  auto fields() const {                                                                            \
    return std::tie(__VA_ARGS__);                                                                  \
  }
#define ACFTS_NO_FIELDS()                                                                          \
  auto fields() {                                                                                  \
    return std::tie();                                                                             \
  }                                                                                                \
  auto fields() const {                                                                            \
    return std::tie();                                                                             \
  }

/// Pays `value` from `from` to `to`; answered with the transaction's hash as soon as the payment
/// is recorded durably and sent (its outcome: `await`, `status`), or with `final`, once it is
/// final (one round trip: what a program paying many times wants; the CLI asks `await` in short
/// slices instead, to notice a wallet node that stops). `route` ("host:port", a payment URI's
/// node) is where this payment's certificate goes; empty: the payee's wallet as the wallet's
/// peers name it.
struct pay {
  address from;
  address to;
  amount value;
  std::string route;
  bool final = false;
  using reply = hash32;
  bool until_final() const { return final; }
  ACFTS_FIELDS(from, to, value, route, final)
};

/// Answered with the hash once the payment is final, or with why it failed.
struct await {
  hash32 tx;
  using reply = hash32;
  static constexpr bool until_final() { return true; }
  ACFTS_FIELDS(tx)
};

struct status {
  hash32 tx;
  using reply = tx_status;
  ACFTS_FIELDS(tx)
};

/// A payment planned as for `pay`, its inputs reserved (across restarts) and signed by the keys
/// the wallet holds, held for co-signers: answered with the request, a transaction file's body.
struct hold {
  address from;
  address to;
  amount value;
  using reply = sign_request;
  ACFTS_FIELDS(from, to, value)
};

/// A complete request co-signed elsewhere; answered once final. `creator` ("host:port"; may be
/// empty) is the wallet that made it, handed the certificate.
struct submit {
  sign_request request;
  std::string creator;
  using reply = hash32;
  static constexpr bool until_final() { return true; }
  ACFTS_FIELDS(request, creator)
};

/// Lets a held request go; answered once its inputs are free.
struct abandon {
  hash32 tx;
  using reply = hash32;
  ACFTS_FIELDS(tx)
};

/// The address's spendable outputs (up to 256) become `parts` ≤ 256 outputs to itself; answered
/// once final.
struct split {
  address owner;
  uint64_t parts = 0;
  using reply = hash32;
  static constexpr bool until_final() { return true; }
  ACFTS_FIELDS(owner, parts)
};

/// The certified transaction `tx` the wallet holds.
struct export_tx {
  hash32 tx;
  using reply = certified_transaction;
  ACFTS_FIELDS(tx)
};

/// Every certified transaction that created an output the wallet holds.
struct export_all {
  using reply = std::vector<certified_transaction>;
  ACFTS_NO_FIELDS()
};

/// A certified transaction brought by hand: verified and stored as a delivery would be.
struct import_tx {
  certified_transaction certified;
  using reply = hash32;
  ACFTS_FIELDS(certified)
};

/// The equivocation proofs the wallet made or keeps.
struct proofs {
  using reply = std::vector<equivocation_proof>;
  ACFTS_NO_FIELDS()
};

/// Every record of the wallet's store as of one moment between group commits.
struct backup {
  using reply = std::vector<store_record>;
  ACFTS_NO_FIELDS()
};

/// Every hand-off not yet acknowledged.
struct handoffs {
  using reply = std::vector<handoff>;
  ACFTS_NO_FIELDS()
};

/// Offers the hand-offs of `tx` again now; with a route, `payee`'s go there from now on.
struct resend {
  hash32 tx;
  address payee;
  std::string route;
  using reply = hash32;
  ACFTS_FIELDS(tx, payee, route)
};

/// The latest `limit` payments (0: all), newest first.
struct history {
  uint64_t limit = 0;
  using reply = std::vector<history_line>;
  ACFTS_FIELDS(limit)
};

/// Read the wallet's addresses from its file again: answered with how many are new.
struct reload_addresses {
  using reply = uint64_t;
  ACFTS_NO_FIELDS()
};

/// Payments not yet final plus hand-offs not yet acknowledged.
struct unsettled {
  using reply = uint64_t;
  ACFTS_NO_FIELDS()
};

/// What `owner` holds.
struct balance {
  address owner;
  using reply = amount;
  ACFTS_FIELDS(owner)
};

/// What `owner` holds that no pending payment or held request reserves.
struct spendable {
  address owner;
  using reply = amount;
  ACFTS_FIELDS(owner)
};

/// What the whole wallet holds.
struct total {
  using reply = amount;
  ACFTS_NO_FIELDS()
};

/// The wallet's figures (`acfts wallet stats`).
struct stats {
  using reply = wallet_counters;
  ACFTS_NO_FIELDS()
};

#undef ACFTS_FIELDS
#undef ACFTS_NO_FIELDS

/// Whether a request is answered only when a payment is final (so its asker waits long): those
/// that say so with `until_final()`.
template <class Request>
bool until_final(const Request& q) {
  if constexpr (detail::has_until_final<Request>::value)
    return q.until_final();
  else
    return false;
}

} // namespace acfts::control

namespace acfts {

/// Every request of the control port; the index is the wire tag.
using control_request =
  std::variant<control::pay, control::await, control::status, control::hold, control::submit,
               control::abandon, control::split, control::export_tx, control::export_all,
               control::import_tx, control::proofs, control::backup, control::handoffs,
               control::resend, control::history, control::reload_addresses, control::unsettled,
               control::balance, control::spendable, control::total, control::stats>;

/// A request's encoding, and the one decoder of the control port (strict, as messages/codec.hpp).
std::vector<char> encode_control(const control_request& x);
caf::expected<control_request> decode_control(const std::vector<char>& raw);

/// A reply's encoding, and its decoder on the client's side (a reply may be as large as a backup).
template <class Reply>
std::vector<char> encode_reply(const Reply& x);
template <class Reply>
caf::expected<Reply> decode_reply(const std::vector<char>& raw);

} // namespace acfts

#define ACFTS_LOCAL_CONTROL(T) CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::control::T)
ACFTS_LOCAL_CONTROL(pay)
ACFTS_LOCAL_CONTROL(await)
ACFTS_LOCAL_CONTROL(status)
ACFTS_LOCAL_CONTROL(hold)
ACFTS_LOCAL_CONTROL(submit)
ACFTS_LOCAL_CONTROL(abandon)
ACFTS_LOCAL_CONTROL(split)
ACFTS_LOCAL_CONTROL(export_tx)
ACFTS_LOCAL_CONTROL(export_all)
ACFTS_LOCAL_CONTROL(import_tx)
ACFTS_LOCAL_CONTROL(proofs)
ACFTS_LOCAL_CONTROL(backup)
ACFTS_LOCAL_CONTROL(handoffs)
ACFTS_LOCAL_CONTROL(resend)
ACFTS_LOCAL_CONTROL(history)
ACFTS_LOCAL_CONTROL(reload_addresses)
ACFTS_LOCAL_CONTROL(unsettled)
ACFTS_LOCAL_CONTROL(balance)
ACFTS_LOCAL_CONTROL(spendable)
ACFTS_LOCAL_CONTROL(total)
ACFTS_LOCAL_CONTROL(tx_status)
ACFTS_LOCAL_CONTROL(stats)
ACFTS_LOCAL_CONTROL(wallet_counters)
#undef ACFTS_LOCAL_CONTROL
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<acfts::control::handoff>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<acfts::control::history_line>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<acfts::control::store_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<acfts::certified_transaction>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<acfts::equivocation_proof>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::certified_transaction)
