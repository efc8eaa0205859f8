#include "nodes/validator_node.hpp"

#include <algorithm>
#include <thread>

#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "actors/gate.hpp"
#include "actors/validator_actor.hpp"
#include "messages/error.hpp"
#include "nodes/metrics_server.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

/// Once a minute while faulted: one line with what it refused since the last one (`refused_before`
/// carries the count from call to call).
void report_if_faulted(caf::actor_system& sys, const caf::actor& validator,
                       uint64_t& refused_before) {
  caf::scoped_actor self{sys};
  self->request(validator, std::chrono::seconds(5), stats_atom::value)
    .receive(
      [&](const validator_stats& s) {
        if (!s.faulted)
          return;
        spdlog::error("still faulted: refused {} requests in the last minute; restart required",
                      s.core.rejected - refused_before);
        refused_before = s.core.rejected;
      },
      [](const caf::error&) {});
}

} // namespace

int run_validator_node(const std::string& config, const std::string& name, bool verbose,
                       share_mode shares, const std::string& fault_drill, uint32_t lock_shards) {
  block_stop_signals(); // before any thread starts, so that only sigwait sees them
  init_logging(name, verbose);
  auto cluster = load_cluster_file(config);
  if (!cluster)
    return fail(cluster.error());
  auto entry = cluster->validator(name);
  if (!entry)
    return fail(config + ": no validator named '" + name + "'");
  if (entry->key_file.empty() || entry->data_dir.empty())
    return fail(config + ": validator '" + name
                + "' has no key_file or data_dir here (a copy of the committee for wallets?)");
  uint16_t index = static_cast<uint16_t>(entry - cluster->validators.data());
  auto key = load_key(entry->key_file, entry->key, name);
  if (!key)
    return fail(key.error());
  auto tls = cluster->tls_of(name);
  if (!tls)
    return fail(tls.error());
  auto cfg = node_config(*tls);
  caf::actor_system sys{*cfg};
  validator_options opts;
  opts.net = cluster->net;
  opts.index = index;
  opts.key = *key;
  opts.data_dir = entry->data_dir;
  opts.background_commit = true;
  opts.shares = shares;
  opts.lock_shards = lock_shards;
  if (!fault_drill.empty()) {
    opts.faults = std::make_shared<storage_faults>();
    opts.faults->fail_while_exists = fault_drill;
    spdlog::warn("fault drill: every fsync fails while {} exists", fault_drill);
  }
  // Signature checks on every core; the lock step stays in the validator actor.
  opts.verifiers = std::max(1u, std::thread::hardware_concurrency());
  opts.on_fault = [](const caf::error& cause) {
    spdlog::error("storage fault: {}; this validator signs nothing more: restart required",
                  describe(cause));
  };
  auto validator = spawn_validator(sys, std::move(opts));
  if (!validator)
    return fail(validator.error());
  // Peers reach only a gate that passes on (sign, bytes) and relays the reply.
  auto gate = make_gate(sys, *validator, validator_port_rules());
  auto watch = std::make_shared<node_watch>();
  watch_actor(*validator, watch, "validator " + name);
  auto port = publish_to_peers(sys, gate, entry->port, entry->host, tls->has_value());
  if (!port) {
    caf::anon_send_exit(*validator, caf::exit_reason::user_shutdown);
    return fail(name + ": cannot listen on " + entry->host + ":" + std::to_string(entry->port)
                + " (" + sys.render(port.error()) + ")");
  }
  std::unique_ptr<metrics_server> metrics;
  if (entry->metrics_port != 0) {
    auto started = metrics_server::start(entry->metrics_port, [&sys, v = *validator, entry, name] {
      return node_metrics(sys, v, entry->data_dir, name);
    });
    if (!started) {
      close_gate(gate);
      caf::anon_send_exit(*validator, caf::exit_reason::user_shutdown);
      return fail(name + ": " + describe(started.error()));
    }
    metrics = std::move(*started);
  }
  std::cout << "acfts validator " << name << " serving on " << entry->host << ":" << *port
            << (tls->has_value() ? " (TLS)" : "") << " (store " << entry->data_dir << ")"
            << std::endl;
  spdlog::info("committee {} f={}, index {}", cluster->net.id.short_hex(), cluster->net.f(), index);
  gate_report gates;
  gates.add("validator port", gate);
  uint64_t refused_before = 0;
  auto sig = wait_for_stop_signal([&] {
    gates.log_new_drops();
    report_if_faulted(sys, *validator, refused_before);
  });
  spdlog::info("{}: shutting down", sig);
  metrics.reset();
  watch->stopping = true;
  gates.log_totals();
  close_gate(gate);
  caf::anon_send_exit(*validator, caf::exit_reason::user_shutdown);
  return watch->died ? 1 : 0;
}

} // namespace acfts
