// The wallet node's links to its peers: every validator, the other wallets of its file, and the
// endpoints its payments name as routes, each kept up with backoff (nodes/reconnect_backoff.hpp).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "actors/wallet_api.hpp"
#include "config/cluster_file.hpp"
#include "config/payment_uri.hpp"
#include "nodes/node_runtime.hpp"
#include "nodes/reconnect_backoff.hpp"

namespace acfts {

/// Keeps the wallet connected to every validator, to the other wallets' public ports, and to the
/// endpoints that its payments name as their routes (it asks the wallet for them). A peer that is
/// down, or whose connection drops, is tried again after a capped exponential backoff with
/// jitter; a lost or regained peer is logged once per change.
class connector {
public:
  connector(caf::actor_system& sys, const cluster_file& cluster, const wallet_entry& self_entry,
            wallet_api wallet)
    : sys_(sys), cluster_(cluster), me_(self_entry), wallet_(std::move(wallet)) {}

  void start() {
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    stop_ = true;
    if (thread_.joinable())
      thread_.join();
  }

private:
  using clock = std::chrono::steady_clock;

  /// One peer: where it is, its handle while connected, and when to try it next.
  struct peer {
    std::string kind; // "validator", "wallet" (of the file) or "route" (a payment's endpoint)
    std::string name;
    std::string host;
    uint16_t port;
    /// The payees whose payments this wallet takes.
    std::vector<address> payees;
    caf::actor handle;
    clock::time_point next_try;
    clock::time_point connected_at;
    reconnect_backoff backoff;
  };

  /// A connection that held this long was healthy: the next loss starts the backoff afresh.
  static constexpr auto stable_after = std::chrono::seconds(10);

  void connect(caf::scoped_actor& self, peer& p, uint16_t index) {
    auto h = connect_to_peer(sys_, p.host, p.port, cluster_.tls);
    if (!h) {
      p.next_try = clock::now() + p.backoff.next();
      return;
    }
    p.handle = *h;
    p.connected_at = clock::now();
    self->monitor(*h);
    if (p.kind == "validator") {
      caf::anon_send(wallet_, validator_atom::value, index, *h);
    } else {
      for (const auto& a : p.payees)
        caf::anon_send(wallet_, peer_atom::value, a, *h);
      // Payments routed to this endpoint go to whatever answers there; a node there that is not
      // the payee's wallet refuses them, and the wallet reports it.
      caf::anon_send(wallet_, route_atom::value, p.host + ":" + std::to_string(p.port), *h);
    }
    spdlog::info("connected to {} {} at {}:{}", p.kind, p.name, p.host, p.port);
  }

  void run() {
    caf::scoped_actor self{sys_};
    std::vector<peer> peers;
    std::random_device seed;
    auto add = [&](std::string kind, const std::string& name, const std::string& host,
                   uint16_t port, std::vector<address> payees) {
      peers.push_back(
        peer{std::move(kind),
             name,
             host,
             port,
             std::move(payees),
             nullptr,
             clock::now(),
             {},
             reconnect_backoff{std::chrono::milliseconds(100), std::chrono::seconds(10), seed()}});
    };
    for (const auto& v : cluster_.validators)
      add("validator", v.name, v.host, v.port, {});
    for (const auto& w : cluster_.wallets)
      if (w.name != me_.name) {
        std::vector<address> payees;
        for (const auto& a : w.addresses)
          payees.push_back(a.addr());
        add("wallet", w.name, w.host, w.port, std::move(payees));
      }
    auto next_ask = clock::now();
    while (!stop_) {
      if (clock::now() >= next_ask) {
        next_ask = clock::now() + std::chrono::milliseconds(500);
        for (const auto& text : endpoints_wanted(self)) {
          auto where = parse_endpoint(text);
          if (!where)
            continue; // the wallet checked it when the payment came: not reached
          auto known = std::any_of(peers.begin(), peers.end(), [&](const peer& p) {
            return p.kind != "validator" && p.host == where->host && p.port == where->port;
          });
          if (!known) {
            add("route", text, where->host, where->port, {});
            spdlog::info("a payment is routed to {}", text);
          }
        }
      }
      auto now = clock::now();
      auto wake = now + std::chrono::milliseconds(300);
      for (size_t i = 0; i < peers.size(); ++i) {
        auto& p = peers[i];
        if (!p.handle && p.next_try <= now)
          connect(self, p, static_cast<uint16_t>(i));
        if (!p.handle)
          wake = std::min(wake, p.next_try);
      }
      auto wait = std::max(clock::duration::zero(), wake - clock::now());
      self->receive(
        [&](caf::down_msg& dm) {
          for (auto& p : peers)
            if (p.handle && p.handle.address() == dm.source) {
              p.handle = nullptr;
              if (clock::now() - p.connected_at >= stable_after)
                p.backoff.reset();
              p.next_try = clock::now() + p.backoff.next();
              if (p.kind == "validator")
                spdlog::warn("lost validator {}", p.name);
              else
                spdlog::info("lost {} {}", p.kind, p.name);
            }
        },
        caf::after(std::chrono::duration_cast<std::chrono::microseconds>(wait)) >> [] {});
    }
  }

  /// The routes the wallet's payments name.
  std::vector<std::string> endpoints_wanted(caf::scoped_actor& self) {
    std::vector<std::string> out;
    self->request(wallet_, std::chrono::seconds(1), endpoints_atom::value)
      .receive([&](std::vector<std::string>& xs) { out = std::move(xs); }, [](caf::error&) {});
    return out;
  }

  caf::actor_system& sys_;
  const cluster_file& cluster_;
  const wallet_entry& me_;
  wallet_api wallet_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace acfts
