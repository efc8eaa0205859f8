// Whether a final payment reached its payees, as a running wallet node reports it, and the
// commands that list and retry the hand-offs that did not: `acfts tx undelivered` and
// `acfts tx resend`.
#pragma once

#include <chrono>
#include <string>

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/wallet_client.hpp"
#include "messages/control.hpp"

namespace acfts {

/// The hand-offs of one payment not yet acknowledged by their payees' wallets.
struct delivery_report {
  /// Final, and every payee acknowledged it.
  bool delivered = false;
  /// [{payee, endpoint, tries, last_error, refused}], empty when delivered.
  nlohmann::ordered_json undelivered = nlohmann::ordered_json::array();
};

/// Asks the wallet's control port for the delivery of `tx` (64 hex digits); waits up to `wait`
/// for every payee to acknowledge it. Errors: the control port's.
caf::expected<delivery_report> await_delivery(caf::actor_system& sys, const wallet_endpoint& w,
                                              const std::string& tx,
                                              std::chrono::milliseconds wait);

/// Hand-offs as the CLI prints them in JSON: [{[tx,] payee, endpoint, tries, last_error,
/// refused}].
nlohmann::ordered_json handoffs_json(const std::vector<control::handoff>& xs, bool with_tx);

/// "not yet delivered: to 3f2a… at host:port: <last error> (N tries)[; ...]"
std::string undelivered_text(const nlohmann::ordered_json& undelivered);

/// `acfts tx undelivered`: every certified payment whose payee has not acknowledged it, with its
/// route, tries and last error; exit 0 (3 when there is any).
int run_tx_undelivered(const std::string& config, const std::string& wallet, bool json);

/// `acfts tx resend HASH [--to URI]`: offers the hand-offs of HASH again now (a refused one
/// too); with a URI, the hand-off to the URI's address goes to the URI's node from now on. Waits
/// a few seconds: exit 0 once delivered, 3 when not yet (the wallet keeps offering it).
int run_tx_resend(const std::string& config, const std::string& wallet, const std::string& tx,
                  const std::string& to, bool json);

} // namespace acfts
