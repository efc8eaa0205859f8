#include "nodes/wallet_node.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/atoms.hpp"
#include "actors/gate.hpp"
#include "actors/local_types.hpp"
#include "actors/wallet_actor.hpp"
#include "crypto/key_file.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "nodes/detail/control_port.hpp"
#include "nodes/metrics_server.hpp"
#include "nodes/node_runtime.hpp"
#include "nodes/reconnect_backoff.hpp"
#include "nodes/detail/wallet_connector.hpp"
#include "protocol/equivocation.hpp"

namespace acfts {

namespace {

/// The addresses of `w` with their keys, read from their key files.
caf::expected<wallet_addresses> load_addresses(const wallet_entry& w) {
  wallet_addresses out;
  for (const auto& a : w.addresses) {
    if (a.spend_policy) {
      wallet_options::policy_address_options pa{*a.spend_policy, {}};
      for (const auto& file : a.key_files) {
        auto key = read_owner_key_file(file);
        if (!key)
          return make_error(ec::invalid_key_file, a.name + ": " + describe(key.error()));
        pa.keys.push_back(std::make_shared<const owner_key>(std::move(*key)));
      }
      out.policies.push_back(std::move(pa));
      continue;
    }
    auto key = load_key(a.key_file, a.key, a.name);
    if (!key)
      return key.error();
    out.keys.push_back(*key);
    out.key_refs.push_back(a.key_file);
  }
  return out;
}

} // namespace

int run_wallet_node(const std::string& config, const std::string& wallet_name, bool verbose) {
  block_stop_signals(); // before any thread starts, so that only sigwait sees them
  auto found = find_wallet(config, wallet_name);
  if (!found)
    return fail(found.error());
  auto cluster = &found->cluster;
  auto entry = &found->entry();
  auto name = entry->name;
  init_logging(name, verbose);
  wallet_options opts;
  opts.net = cluster->net;
  opts.name = name;
  opts.data_dir = entry->data_dir;
  auto addresses = load_addresses(*entry);
  if (!addresses)
    return fail(addresses.error());
  opts.keys = std::move(addresses->keys);
  opts.key_refs = std::move(addresses->key_refs);
  opts.policies = std::move(addresses->policies);
  opts.retry_interval = std::chrono::milliseconds(500);
  opts.on_fault = [](const caf::error& cause) {
    spdlog::error("storage fault: {}; payments and receipts that needed the write are not done: "
                  "restart required (a restart resumes what reached the disk)",
                  describe(cause));
  };
  opts.on_equivocation = [net = cluster->net](const equivocation_proof& p) {
    auto e = verify_equivocation(net, p);
    spdlog::error("equivocation: {}; the proof is kept (acfts proof list --out DIR writes it)",
                  e ? describe(net, *e) : describe(e.error()));
  };
  opts.reload = [config, wallet_name = name]() -> caf::expected<wallet_addresses> {
    auto again = find_wallet(config, wallet_name);
    if (!again)
      return again.error();
    return load_addresses(again->entry());
  };
  auto tls = cluster->tls_of(name);
  if (!tls)
    return fail(tls.error());
  auto cfg = node_config(*tls);
  caf::actor_system sys{*cfg};
  auto wallet = spawn_wallet(sys, std::move(opts));
  if (!wallet)
    return fail(wallet.error());
  auto token = load_or_create_token(entry->data_dir + "/control.token");
  if (!token) {
    caf::anon_send_exit(*wallet, caf::exit_reason::user_shutdown);
    return fail(token.error());
  }
  // Peers reach only gates: the public port passes on certified payments, the control port
  // the token-carrying commands; neither the wallet nor the control actor is ever addressable.
  auto links = std::make_shared<connector>(sys, *cluster, *entry, *wallet);
  auto ctl = sys.spawn(control_port, *wallet, *token);
  auto front = make_gate(sys, caf::actor_cast<caf::actor>(*wallet), wallet_port_rules());
  auto ctl_gate = make_gate(sys, ctl, control_port_rules());
  auto watch = std::make_shared<node_watch>();
  watch_actor(caf::actor_cast<caf::actor>(*wallet), watch, "wallet " + name);
  watch_actor(ctl, watch, "control interface of " + name);
  auto stop_actors = [&] {
    watch->stopping = true;
    close_gate(front);
    close_gate(ctl_gate);
    caf::anon_send_exit(ctl, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(*wallet, caf::exit_reason::user_shutdown);
  };
  auto port = publish_to_peers(sys, front, entry->port, entry->host, tls->has_value());
  if (!port) {
    stop_actors();
    return fail(name + ": cannot listen on " + entry->host + ":" + std::to_string(entry->port)
                + " (" + sys.render(port.error()) + ")");
  }
  auto control_port = sys.middleman().publish(ctl_gate, entry->control_port, "127.0.0.1", true);
  if (!control_port) {
    stop_actors();
    return fail(name + ": cannot listen on 127.0.0.1:" + std::to_string(entry->control_port) + " ("
                + sys.render(control_port.error()) + ")");
  }
  std::unique_ptr<metrics_server> metrics;
  if (entry->metrics_port != 0) {
    auto started = metrics_server::start(entry->metrics_port, [&sys, w = *wallet, entry, name] {
      return node_metrics(sys, caf::actor_cast<caf::actor>(w), entry->data_dir, name);
    });
    if (!started) {
      stop_actors();
      return fail(name + ": " + describe(started.error()));
    }
    metrics = std::move(*started);
  }
  links->start();
  std::cout << "acfts wallet " << name << " serving on " << entry->host << ":" << *port
            << (tls->has_value() ? " (TLS)" : "") << ", control on 127.0.0.1:" << *control_port
            << " (store " << entry->data_dir << ")" << std::endl;
  gate_report gates;
  gates.add("public port", front);
  gates.add("control port", ctl_gate);
  auto sig = wait_for_stop_signal([&] { gates.log_new_drops(); });
  spdlog::info("{}: shutting down", sig);
  metrics.reset();
  links->stop();
  gates.log_totals();
  stop_actors();
  return watch->died ? 1 : 0;
}

} // namespace acfts
