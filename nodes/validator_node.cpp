#include "nodes/validator_node.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <thread>
#include <utility>

#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/atoms.hpp"
#include "actors/lock_shard_parts.hpp"
#include "actors/verifier_parts.hpp"
#include "crypto/key_file.hpp"
#include "persistence/validator_store.hpp"
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

/// The validator's part key (protocol/part_link.hpp): the entry's token file, made at first use.
caf::expected<part_key> load_part_key(const validator_entry& entry) {
  if (entry.part_key_file.empty())
    return make_error(ec::invalid_config,
                      "validator '" + entry.name
                        + "' has parts of its own (lock_shards, verifiers) but no part_key_file "
                          "here");
  return load_or_create_part_key(entry.part_key_file);
}

/// The file of part `part` ("shard-K", "verifier-K"): its own link's key, beside the part key.
std::string link_key_file(const validator_entry& entry, const std::string& part) {
  return entry.part_key_file + "." + part;
}

/// The key of a part's link, as the part process loads it: from its own file when there is one
/// (and then the part key is never read: a part's machine needs nothing more), else derived
/// from the part key (one machine, or a set-up that did not write the parts' files).
caf::expected<part_key> load_link_key(const validator_entry& entry, const std::string& part,
                                      part_key (*derive)(const part_key&, uint32_t), uint32_t k) {
  auto own = link_key_file(entry, part);
  struct stat st;
  if (::lstat(own.c_str(), &st) == 0)
    return read_part_key(own);
  auto parts_key = load_part_key(entry);
  if (!parts_key)
    return parts_key.error();
  // Right on one machine; on a machine of its own the part key opens every other part too.
  spdlog::warn("{} of {}: no key file of its own ({}): its link's key is derived from the "
               "validator's part key {}; on a machine of its own, copy only its own file there "
               "(acfts keygen --lock-shard-parts/--verifier-parts writes it)",
               part, entry.name, own, entry.part_key_file);
  return derive(*parts_key, k);
}

/// How the validator reaches its part `what` at `at` (connecting again after a loss). The first
/// connection is made now, and is the link's first: a validator whose parts are not up does not
/// start.
caf::expected<std::function<caf::expected<caf::actor>()>>
part_connector(caf::actor_system& sys, const endpoint& at, const std::string& what, bool tls) {
  auto first = std::make_shared<caf::actor>();
  // Its link tries a lost part every second: the log says when it is lost and when it is back.
  auto failing = std::make_shared<bool>(false);
  auto connect = [&sys, at, what, tls, first, failing]() -> caf::expected<caf::actor> {
    if (*first)
      return std::exchange(*first, caf::actor{});
    auto remote = connect_to_peer(sys, at.host, at.port, tls);
    if (!remote) {
      if (!std::exchange(*failing, true))
        spdlog::error("{} at {}: cannot connect ({}); trying every second", what, at.text(),
                      sys.render(remote.error()));
      return make_error(ec::storage_fault, what + " at " + at.text() + " is not reachable");
    }
    if (std::exchange(*failing, false))
      spdlog::info("{} at {}: connected again", what, at.text());
    return *remote;
  };
  auto made = connect();
  if (!made)
    return make_error(ec::invalid_config,
                      what + " at " + at.text() + " is not listening: start its part first");
  *first = std::move(*made);
  return connect;
}

/// The links to the validator's lock shards in processes of their own, shard K at K.
caf::expected<std::vector<caf::actor>>
link_lock_shards(caf::actor_system& sys, const cluster_file& cluster, const validator_entry& entry,
                 uint16_t index, bool tls, std::vector<part_status_ptr>& parts) {
  auto key = load_part_key(entry);
  if (!key)
    return key.error();
  std::vector<caf::actor> links;
  auto shards = static_cast<uint32_t>(entry.lock_shards.size());
  for (uint32_t k = 0; k < shards; ++k) {
    auto connect = part_connector(sys, entry.lock_shards[k],
                                  "lock shard " + std::to_string(k) + " of " + entry.name, tls);
    if (!connect)
      return connect.error();
    parts.push_back(std::make_shared<part_status>("shard-" + std::to_string(k)));
    links.push_back(spawn_shard_link(sys, *connect, shard_link_key(*key, k),
                                     part_link_id{cluster.net.id, index, k, shards}, parts.back()));
  }
  return links;
}

/// The links to the validator's verifiers in processes of their own, verifier K at K.
caf::expected<std::vector<validator_options::remote_verifier>>
link_verifiers(caf::actor_system& sys, const cluster_file& cluster, const validator_entry& entry,
               uint16_t index, bool tls, std::vector<part_status_ptr>& parts) {
  auto key = load_part_key(entry);
  if (!key)
    return key.error();
  std::vector<validator_options::remote_verifier> links;
  auto verifiers = static_cast<uint32_t>(entry.verifiers.size());
  for (uint32_t k = 0; k < verifiers; ++k) {
    auto connect = part_connector(sys, entry.verifiers[k],
                                  "verifier " + std::to_string(k) + " of " + entry.name, tls);
    if (!connect)
      return connect.error();
    part_link_id link{cluster.net.id, index, k, verifiers};
    auto status =
      parts.emplace_back(std::make_shared<part_status>("verifier-" + std::to_string(k)));
    links.push_back(
      {[&sys, connect = *connect, key = verifier_link_key(*key, k), link, status](auto finisher) {
         return spawn_verifier_link(sys, connect, key, link, std::move(finisher), status);
       },
       status});
  }
  return links;
}

/// The cluster file and the entry of validator `name` in it (by index: the file moves).
struct validator_in_file {
  cluster_file cluster;
  uint16_t index = 0;
  const validator_entry& entry() const { return cluster.validators[index]; }
};

caf::expected<validator_in_file> find_validator(const std::string& config,
                                                const std::string& name) {
  auto cluster = load_cluster_file(config);
  if (!cluster)
    return cluster.error();
  auto entry = cluster->validator(name);
  if (!entry)
    return make_error(ec::invalid_config, config + ": no validator named '" + name + "'");
  auto index = static_cast<uint16_t>(entry - cluster->validators.data());
  return validator_in_file{std::move(*cluster), index};
}

} // namespace

caf::error link_validator_parts(caf::actor_system& sys, const cluster_file& cluster, uint16_t index,
                                bool tls, validator_options& opts) {
  const auto& entry = cluster.validators[index];
  if (!entry.lock_shards.empty()) {
    auto links = link_lock_shards(sys, cluster, entry, index, tls, opts.parts);
    if (!links)
      return links.error();
    opts.remote_shards = std::move(*links);
    opts.lock_shards = static_cast<uint32_t>(opts.remote_shards.size());
  }
  if (!entry.verifiers.empty()) {
    auto links = link_verifiers(sys, cluster, entry, index, tls, opts.parts);
    if (!links)
      return links.error();
    opts.remote_verifiers = std::move(*links);
  }
  return caf::none;
}

int run_validator_node(const std::string& config, const std::string& name, bool verbose,
                       share_mode shares, const std::string& fault_drill, uint32_t lock_shards) {
  block_stop_signals(); // before any thread starts, so that only sigwait sees them
  init_logging(name, verbose);
  auto found = find_validator(config, name);
  if (!found)
    return fail(found.error());
  auto cluster = &found->cluster;
  auto entry = &found->entry();
  if (entry->key_file.empty() || entry->data_dir.empty())
    return fail(config + ": validator '" + name
                + "' has no key_file or data_dir here (a copy of the committee for wallets?)");
  uint16_t index = found->index;
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
  if (!entry->lock_shards.empty() && lock_shards > 1)
    return fail(config + ": validator '" + name
                + "' lists lock_shards (processes of their own): leave out --lock-shards");
  if (auto err = link_validator_parts(sys, *cluster, index, tls->has_value(), opts))
    return fail(err);
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

int run_lock_shard_part(const std::string& config, const std::string& name, uint32_t shard,
                        bool verbose) {
  block_stop_signals();
  auto who = name + "/shard-" + std::to_string(shard);
  init_logging(who, verbose);
  auto found = find_validator(config, name);
  if (!found)
    return fail(found.error());
  auto cluster = &found->cluster;
  auto entry = &found->entry();
  auto shards = static_cast<uint32_t>(entry->lock_shards.size());
  if (shards == 0)
    return fail(config + ": validator '" + name
                + "' lists no lock_shards (host:port of each shard's part)");
  if (shard >= shards)
    return fail(config + ": validator '" + name + "' has " + std::to_string(shards)
                + " lock shards (shard:0 to shard:" + std::to_string(shards - 1) + ")");
  if (entry->data_dir.empty())
    return fail(config + ": validator '" + name + "' has no data_dir here");
  uint16_t index = found->index;
  auto key = load_link_key(*entry, "shard-" + std::to_string(shard), shard_link_key, shard);
  if (!key)
    return fail(key.error());
  auto tls = cluster->tls_of(name);
  if (!tls)
    return fail(tls.error());
  auto dir = shard_store_dir(entry->data_dir, shard);
  auto store = validator_store::open(dir, cluster->net.id, index);
  if (!store)
    return fail(store.error());
  std::shared_ptr<validator_store> shared_store{std::move(*store)};
  if (auto err = shared_store->bind_shard(shard, shards))
    return fail(err);
  auto last = shared_store->last_call_counter();
  if (!last)
    return fail(last.error());
  // No call made before this start counts: not even a release whose write failed (and so was
  // never recorded with its counter) can be played again. Counters are the validator's clock.
  auto floor = std::max(*last, call_counter{}.next());
  auto cfg = node_config(*tls);
  caf::actor_system sys{*cfg};
  auto lock_shard = spawn_shard_port(sys, shared_store, *key,
                                     part_link_id{cluster->net.id, index, shard, shards}, floor);
  auto gate = make_gate(sys, lock_shard, shard_port_rules());
  auto watch = std::make_shared<node_watch>();
  watch_actor(lock_shard, watch, "lock shard " + who);
  const auto& at = entry->lock_shards[shard];
  auto port = publish_to_peers(sys, gate, at.port, at.host, tls->has_value());
  if (!port) {
    caf::anon_send_exit(lock_shard, caf::exit_reason::user_shutdown);
    return fail(who + ": cannot listen on " + at.text() + " (" + sys.render(port.error()) + ")");
  }
  std::cout << "acfts validator " << name << " lock shard " << shard << " of " << shards
            << " serving on " << at.host << ":" << *port << (tls->has_value() ? " (TLS)" : "")
            << " (store " << dir << ")" << std::endl;
  gate_report gates;
  gates.add("lock shard port", gate);
  auto sig = wait_for_stop_signal([&] { gates.log_new_drops(); });
  spdlog::info("{}: shutting down", sig);
  watch->stopping = true;
  gates.log_totals();
  close_gate(gate);
  caf::anon_send_exit(lock_shard, caf::exit_reason::user_shutdown);
  return watch->died ? 1 : 0;
}

int run_verifier_part(const std::string& config, const std::string& name,
                      std::optional<uint32_t> verifier, bool verbose) {
  block_stop_signals();
  auto found = find_validator(config, name);
  if (!found)
    return fail(found.error());
  const auto& entry = found->entry();
  auto verifiers = static_cast<uint32_t>(entry.verifiers.size());
  if (verifiers == 0)
    return fail(config + ": validator '" + name
                + "' lists no verifiers (host:port of each verifier's part)");
  if (!verifier && verifiers > 1)
    return fail(config + ": validator '" + name + "' has " + std::to_string(verifiers)
                + " verifiers: name one (verifier:0 to verifier:" + std::to_string(verifiers - 1)
                + ")");
  auto k = verifier.value_or(0);
  if (k >= verifiers)
    return fail(config + ": validator '" + name + "' has " + std::to_string(verifiers)
                + " verifiers (verifier:0 to verifier:" + std::to_string(verifiers - 1) + ")");
  auto who = name + "/verifier-" + std::to_string(k);
  init_logging(who, verbose);
  auto key = load_link_key(entry, "verifier-" + std::to_string(k), verifier_link_key, k);
  if (!key)
    return fail(key.error());
  auto tls = found->cluster.tls_of(name);
  if (!tls)
    return fail(tls.error());
  auto cfg = node_config(*tls);
  caf::actor_system sys{*cfg};
  // Rules 1–3 on every core it has; no store and no key here.
  auto verifier_port = spawn_verifier_port(
    sys, found->cluster.net, *key, part_link_id{found->cluster.net.id, found->index, k, verifiers},
    std::max(1u, std::thread::hardware_concurrency()));
  auto gate = make_gate(sys, verifier_port, verifier_port_rules());
  auto watch = std::make_shared<node_watch>();
  watch_actor(verifier_port, watch, "verifier " + who);
  const auto& at = entry.verifiers[k];
  auto port = publish_to_peers(sys, gate, at.port, at.host, tls->has_value());
  if (!port) {
    caf::anon_send_exit(verifier_port, caf::exit_reason::user_shutdown);
    return fail(who + ": cannot listen on " + at.text() + " (" + sys.render(port.error()) + ")");
  }
  std::cout << "acfts validator " << name << " verifier " << k << " of " << verifiers
            << " serving on " << at.host << ":" << *port << (tls->has_value() ? " (TLS)" : "")
            << std::endl;
  gate_report gates;
  gates.add("verifier port", gate);
  auto sig = wait_for_stop_signal([&] { gates.log_new_drops(); });
  spdlog::info("{}: shutting down", sig);
  watch->stopping = true;
  gates.log_totals();
  close_gate(gate);
  caf::anon_send_exit(verifier_port, caf::exit_reason::user_shutdown);
  return watch->died ? 1 : 0;
}

} // namespace acfts
