#include "nodes/client.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/atoms.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/error.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

constexpr int exit_pending = 3;

caf::expected<caf::actor> connect_control(caf::actor_system& sys, const wallet_entry& w) {
  auto h = sys.middleman().remote_actor("127.0.0.1", w.control_port);
  if (!h)
    return make_error(ec::invalid_config, "wallet " + w.name
                                            + " is not running (no control interface on "
                                              "127.0.0.1:"
                                            + std::to_string(w.control_port) + ")");
  return *h;
}

/// The control token the wallet node keeps in its data directory.
caf::expected<std::string> control_token(const wallet_entry& w) {
  auto token = read_token(w.data_dir + "/control.token");
  if (!token)
    return make_error(ec::unauthorized, "cannot read the control token of wallet " + w.name + " ("
                                          + describe(token.error()) + ")");
  return token;
}

/// An address given by name ("a4") or as 64 hex digits.
caf::expected<address> resolve_address(const cluster_file& c, const std::string& text) {
  if (auto found = c.find_address(text))
    return address_of(found->second->key);
  if (auto a = address::from_hex(text))
    return *a;
  return make_error(ec::unknown_address, "no address named '" + text + "'");
}

} // namespace

/// The wallet's control actor and the token its requests must carry.
caf::expected<std::pair<caf::actor, std::string>> open_control(caf::actor_system& sys,
                                                               const wallet_entry& w) {
  auto control = connect_control(sys, w);
  if (!control)
    return control.error();
  auto token = control_token(w);
  if (!token)
    return token.error();
  return std::make_pair(std::move(*control), std::move(*token));
}

int run_pay(const pay_options& opts) {
  auto cluster = load_cluster_file(opts.config);
  if (!cluster)
    return fail(describe(cluster.error()));
  auto wallet = cluster->wallet(opts.wallet);
  if (!wallet)
    return fail(opts.config + ": no wallet named '" + opts.wallet + "'");
  auto from = cluster->find_address(opts.from);
  if (!from || from->first != wallet)
    return fail("unknown_address: wallet " + opts.wallet + " holds no address '" + opts.from + "'");
  auto to = resolve_address(*cluster, opts.to);
  if (!to)
    return fail(describe(to.error()));
  auto cfg = node_config();
  caf::actor_system sys{*cfg};
  auto session = open_control(sys, *wallet);
  if (!session)
    return fail(describe(session.error()));
  auto& [control, token] = *session;
  caf::scoped_actor self{sys};
  int rc = 1;
  auto timeout =
    std::chrono::duration_cast<caf::timespan>(std::chrono::duration<double>(opts.timeout_seconds));
  std::vector<double> latencies_ms;
  auto started = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < opts.count; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    rc = 1;
    self
      ->request(control, timeout, pay_atom::value, token, address_of(from->second->key).hex(),
                to->hex(), opts.amount)
      .receive(
        [&](const std::string& tx) {
          latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
              .count());
          if (opts.count == 1)
            std::cout << tx << std::endl;
          rc = 0;
        },
        [&](caf::error& err) {
          if (err == caf::sec::request_timeout) {
            std::cerr << "acfts: pending: the payment is not final after " << opts.timeout_seconds
                      << " s (too few validators answer); wallet " << opts.wallet
                      << " keeps retrying it" << std::endl;
            rc = exit_pending;
          } else {
            rc = fail(describe(err));
          }
        });
    if (rc != 0)
      return rc;
  }
  if (opts.count > 1) {
    double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto pct = [&](double q) {
      return latencies_ms[std::min(latencies_ms.size() - 1,
                                   static_cast<size_t>(q * latencies_ms.size()))];
    };
    std::printf("%llu payments in %.3f s: %.1f payments/s, latency p50 %.2f ms, p99 %.2f ms\n",
                static_cast<unsigned long long>(opts.count), seconds, opts.count / seconds,
                pct(0.5), pct(0.99));
  }
  return rc;
}

int run_balance(const std::string& config, const std::string& wallet_name, bool json) {
  auto cluster = load_cluster_file(config);
  if (!cluster)
    return fail(describe(cluster.error()));
  auto wallet = cluster->wallet(wallet_name);
  if (!wallet)
    return fail(config + ": no wallet named '" + wallet_name + "'");
  auto cfg = node_config();
  caf::actor_system sys{*cfg};
  auto session = open_control(sys, *wallet);
  if (!session)
    return fail(describe(session.error()));
  auto& [control, token] = *session;
  caf::scoped_actor self{sys};
  nlohmann::ordered_json out;
  out["wallet"] = wallet_name;
  amount total = 0;
  caf::error failure;
  for (const auto& a : wallet->addresses) {
    self
      ->request(control, std::chrono::seconds(10), balance_atom::value, token,
                address_of(a.key).hex())
      .receive(
        [&](amount value) {
          out["addresses"][a.name] = value;
          total += value;
        },
        [&](caf::error& err) { failure = err; });
    if (failure)
      return fail(describe(failure));
  }
  out["total"] = total;
  if (json) {
    std::cout << out.dump() << std::endl;
  } else {
    for (const auto& a : wallet->addresses)
      std::cout << a.name << " " << out["addresses"][a.name].get<amount>() << "\n";
    std::cout << "total " << total << std::endl;
  }
  return 0;
}

} // namespace acfts
