// `acfts pay` and `acfts balance`: talk to a running wallet node's control interface (loopback).
#pragma once

#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/wallet_client.hpp"
#include "config/cluster_file.hpp"
#include "messages/error.hpp"
#include "nodes/control_client.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

struct pay_options {
  std::string config;
  std::string wallet;
  std::string from;
  std::string to;
  uint64_t amount = 0;
  double timeout_seconds = 30;
  /// Pay this many times in a row (each waits until final) and print throughput and latency.
  uint64_t count = 1;
  /// One JSON object: {"tx", "status"} (and for --count, the figures).
  bool json = false;
};

/// An address given by name ("a4") or as 64 hex digits. Error: ec::unknown_address.
caf::expected<address> resolve_address(const cluster_file& c, const std::string& text);

/// A connection to a running wallet node's control port, in an actor system of its own.
struct control_session {
  std::unique_ptr<caf::actor_system_config> cfg = node_config();
  caf::actor_system sys{*cfg};
  wallet_endpoint wallet;

  /// Asks the wallet `q` (messages/control.hpp) and waits for its reply, or the error
  /// (ec::timeout when `timeout` passes).
  template <class Request>
  caf::expected<typename Request::reply> ask(caf::timespan timeout, Request q) {
    return acfts::ask(sys, wallet, timeout, std::move(q));
  }
};

/// A control session with the wallet of `found`. Errors as for open_control.
caf::expected<std::unique_ptr<control_session>> open_session(const wallet_in_cluster& found);

/// A control session with wallet `wallet` of `config` (empty: the file's only wallet).
caf::expected<std::unique_ptr<control_session>> open_session(const std::string& config,
                                                             const std::string& wallet);

/// Asks the wallet of `found` (or wallet `wallet` of `config`) one request through its control
/// port, in a session of its own, and waits up to `timeout` for the reply. Errors: as
/// open_session's, the wallet's own, ec::timeout.
template <class Request>
caf::expected<typename Request::reply>
ask_wallet(const wallet_in_cluster& found, Request q,
           caf::timespan timeout = std::chrono::seconds(30)) {
  auto session = open_session(found);
  if (!session)
    return session.error();
  return (*session)->ask(timeout, std::move(q));
}

template <class Request>
caf::expected<typename Request::reply>
ask_wallet(const std::string& config, const std::string& wallet, Request q,
           caf::timespan timeout = std::chrono::seconds(30)) {
  auto found = find_wallet(config, wallet);
  if (!found)
    return found.error();
  return ask_wallet(*found, std::move(q), timeout);
}

/// Exit 0 and the transaction hash when final; exit 3, the hash and "pending" on timeout (the
/// wallet keeps trying; a wallet node that stops while the client waits is asked again once it
/// is back); exit 1 with a one-line reason otherwise.
int run_pay(const pay_options& opts);

/// `acfts tx status`: final (with the certificate's signers, exit 0), pending (with the
/// validators that signed so far, exit 3), held for co-signers (exit 3), failed (with the reason,
/// exit 1) or unknown (exit 4).
int run_tx_status(const std::string& config, const std::string& wallet, const std::string& tx,
                  bool json);

/// `acfts receive`: a payment URI for an address of the wallet (default: its first), with the
/// wallet's public endpoint as node, and `value` when not 0; with `qr`, also as a QR code drawn in
/// the terminal.
int run_receive(const std::string& config, const std::string& wallet, const std::string& address,
                uint64_t value, bool qr, bool json = false);

/// `acfts history`: the latest `limit` payments (0: all) sent and received, newest first: time
/// seen, hash, direction, amount, counterparty, state (pending, final, failed).
int run_history(const std::string& config, const std::string& wallet, uint64_t limit, bool json);

/// Per-address and total balance; with `json`, one JSON object.
int run_balance(const std::string& config, const std::string& wallet, bool json);

/// Adds `pay`, `receive`, `balance` and `history`.
command_runner add_payment_commands(CLI::App& app);

} // namespace acfts
