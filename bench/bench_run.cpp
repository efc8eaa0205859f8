#include "bench/bench_run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <fstream>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/embedded_cluster.hpp"
#include "actors/local_types.hpp"
#include "bench/crypto_limit.hpp"
#include "bench/load_driver.hpp"
#include "bench/plan.hpp"
#include "bench/process_memory.hpp"
#include "bench/progress.hpp"
#include "bench/report.hpp"
#include "bench/scenarios.hpp"
#include "bench/validator_only.hpp"
#include "config/cluster_file.hpp"
#include "config/keygen.hpp"
#include "config/temp_dir.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "nodes/control_client.hpp"
#include "nodes/node_processes.hpp"
#include "nodes/node_runtime.hpp"
#include "protocol/network.hpp"
#include "protocol/share_cache.hpp"

namespace acfts {

namespace {

/// The in-flight default, chosen by measurement (bench/RESULTS.md): beyond it the 2-core machine
/// gains nothing and latency grows.
constexpr size_t default_inflight = 64;

/// Ed25519 timing around each row (the fastest of six rounds in this many ms).
constexpr int row_crypto_millis = 120;

/// The wallets of a running cluster, reached through their control interfaces.
caf::expected<bench_target> target_of(caf::actor_system& sys, const cluster_file& c) {
  bench_target t;
  for (size_t w = 0; w < c.wallets.size(); ++w) {
    auto session = open_control(sys, c.wallets[w]);
    if (!session)
      return session.error();
    t.wallets.push_back(std::move(*session));
    for (const auto& a : c.wallets[w].addresses) {
      t.addresses.push_back(a.addr());
      t.wallet_of.push_back(w);
    }
  }
  return t;
}

/// A validator's counters, or none if it does not answer.
std::optional<validator_stats> stats_of(caf::actor_system& sys, const caf::actor& v) {
  caf::scoped_actor self{sys};
  std::optional<validator_stats> out;
  self->request(v, std::chrono::seconds(10), stats_atom::value)
    .receive([&](const validator_stats& s) { out = s; }, [](caf::error&) {});
  return out;
}

/// The signature limit for `w` now. The machine's speed drifts by tens of percent over minutes
/// (a shared VM): each row is held against the mean of limits timed right before and after it.
double limit_now(const signature_work& w, unsigned cores) {
  return signature_limit(measure_crypto(row_crypto_millis), w, cores);
}

/// The nodes the rows run against: none (a fresh in-process committee per row), the running
/// nodes of --config, or one cluster of processes per link mode, started once for all rows.
struct node_set {
  bool tls = false;
  /// How the row's nodes are linked, for the table (--distributed only): "plaintext", "TLS",
  /// or "in-process" for the fresh in-process committees of --against-in-process.
  std::optional<std::string> links;
  std::optional<bench_target> running;
  std::optional<temp_dir> dir;
  std::unique_ptr<node_processes> nodes;
};

/// Whether a line of the file at `path` contains `text` within `wait`.
bool wait_for_line(const std::string& path, const std::string& text,
                   std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  do {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);)
      if (line.find(text) != std::string::npos)
        return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

/// The last line of the file at `path` (what a node that did not start said last).
std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string last;
  for (std::string line; std::getline(in, line);)
    if (!line.empty())
      last = line;
  return last.empty() ? "(nothing)" : last;
}

/// Starts the parts (lock shards, verifiers) of validator `v` of the cluster file `file` as
/// processes of `nodes`, and waits until each is listening.
caf::error start_parts_of(node_processes& nodes, const std::string& dir, const std::string& file,
                          const validator_entry& v) {
  std::vector<std::string> logs;
  auto start = [&](size_t n, const std::string& part) {
    for (size_t k = 0; k < n; ++k) {
      auto log = v.name + "." + part + "-" + std::to_string(k);
      if (!nodes.start("validator", file, v.name, {"--part", part + ":" + std::to_string(k)}, log))
        return false;
      logs.push_back(dir + "/" + log + ".log");
    }
    return true;
  };
  if (!start(v.lock_shards.size(), "shard") || !start(v.verifiers.size(), "verifier"))
    return make_error(ec::invalid_config, "bench: cannot start the parts of " + v.name);
  for (const auto& log : logs)
    // Generous: many parts start at once on a loaded machine (16 with --validator-parts 0,4).
    if (!wait_for_line(log, "serving on", std::chrono::seconds(60)))
      return make_error(ec::timeout,
                        "bench: a part did not start within 60 s: " + log + ": " + last_line(log));
  return caf::none;
}

/// A cluster file made by keygen, and what it says.
struct made_cluster {
  std::string file;
  cluster_file cluster;
};

/// Keygen into a fresh temporary directory with the parts of --validator-parts.
caf::expected<made_cluster> keygen_with_parts(const bench_options& opts, node_set& set) {
  auto made = temp_dir::make("bench", opts.data_dir);
  if (!made)
    return made.error();
  set.dir = std::move(*made);
  keygen_options kg;
  kg.out_dir = *set.dir / "cluster";
  kg.validators = opts.validators;
  kg.base_port = 0;
  kg.tls = set.tls;
  kg.verifier_parts = opts.validator_parts[0];
  kg.lock_shard_parts = opts.validator_parts[1];
  auto file = keygen(kg);
  if (!file)
    return file.error();
  auto parsed = load_cluster_file(*file);
  if (!parsed)
    return parsed.error();
  set.nodes = std::make_unique<node_processes>(set.dir->path());
  return made_cluster{std::move(*file), std::move(*parsed)};
}

/// Starts the node processes of one link mode (--distributed): keygen into a temporary
/// directory, then every validator and wallet. Returns the cluster file.
caf::expected<std::string> start_processes(const bench_options& opts, share_mode shares,
                                           node_set& set) {
  auto made = keygen_with_parts(opts, set);
  if (!made)
    return made.error();
  const auto& file = made->file;
  // Parts first: a validator does not start while one of its parts is not listening.
  for (const auto& v : made->cluster.validators)
    if (auto err = start_parts_of(*set.nodes, set.dir->path(), file, v))
      return err;
  for (const auto& v : made->cluster.validators)
    if (!set.nodes->start("validator", file, v.name, {"--shares", to_string(shares)}))
      return make_error(ec::invalid_config, "bench: cannot start validator " + v.name);
  for (const auto& w : made->cluster.wallets)
    if (!set.nodes->start("wallet", file, w.name))
      return make_error(ec::invalid_config, "bench: cannot start wallet " + w.name);
  return file;
}

/// `--validator-only`: one row per worker count, each against the limit timed around it.
caf::error bench_validator_alone(const bench_options& opts, const crypto_costs& cc, unsigned cores,
                                 nlohmann::json& report) {
  std::vector<size_t> workers;
  if (opts.workers > 0)
    workers.push_back(opts.workers);
  else
    for (size_t k = 1; k <= cores; k *= 2)
      workers.push_back(k);
  auto vw = foreign_parent_request_work(faults_tolerated(opts.validators).value_or(0));
  double vlimit = signature_limit(cc, vw, cores);
  std::printf("machine: %s, %u cores\nEd25519: sign %.1f us, verify %.1f us\n"
              "validator alone, N=%zu: %zu sign + %zu verifies per request -> limit %.0f "
              "requests/s on %u cores\n\n",
              cpu_model().c_str(), cores, cc.sign_us, cc.verify_us, opts.validators, vw.signs,
              vw.verifies, vlimit, cores);
  std::printf("pooled: 1 verify per request, plus 2f+1 root verifies per 64 parents and one root "
              "sign per batch (its limit uses the row's mean batch)\n\n");
  bool with_parts = opts.validator_parts != std::vector<uint32_t>{0, 0};
  if (with_parts)
    std::printf("validator parts: %u verifier and %u lock shard processes (0: in the validator's "
                "process); workers are the validator process' threads, its limit all %u cores\n\n",
                opts.validator_parts[0], opts.validator_parts[1], cores);
  std::printf("%8s %7s %9s %9s %12s %9s %9s %9s %7s %9s %8s %9s %9s\n", "workers", "shares",
              "requests", "seconds", "requests/s", "limit/s", "%limit", "batch", "shards",
              "verifiers", "val_ms", "verif_ms", "shard_ms");
  report["validator_limit_requests_per_s"] = vlimit;
  std::vector<share_mode> modes;
  if (opts.shares != "pooled")
    modes.push_back(share_mode::single);
  if (opts.shares != "single")
    modes.push_back(share_mode::pooled);
  for (auto k : workers)
    for (auto shares : modes)
      for (auto lock_shards : opts.lock_shards) {
        validator_bench_options vo;
        vo.validators = opts.validators;
        vo.workers = k;
        vo.requests = opts.requests;
        vo.shares = shares;
        vo.lock_shards = lock_shards;
        // Without parts: a fresh store directory. With parts: a fresh cluster file (its store
        // directories in it), and v0's parts as processes (stopped with `parts`).
        std::optional<temp_dir> dir;
        node_set parts;
        if (with_parts) {
          auto made = keygen_with_parts(opts, parts);
          if (!made)
            return made.error();
          if (auto err = start_parts_of(*parts.nodes, parts.dir->path(), made->file,
                                        made->cluster.validators[0]))
            return err;
          vo.config = made->file;
          lock_shards = std::max(1u, opts.validator_parts[1]);
        } else {
          auto made = temp_dir::make("bench", opts.data_dir);
          if (!made)
            return made.error();
          dir = std::move(*made);
          vo.data_dir = dir->path();
        }
        double before = limit_now(vw, cores);
        auto parts_before =
          parts.nodes ? parts.nodes->cpu_seconds() : std::map<std::string, double>{};
        auto r = run_validator_only(vo);
        if (!r)
          return r.error();
        auto parts_after =
          parts.nodes ? parts.nodes->cpu_seconds() : std::map<std::string, double>{};
        // CPU milliseconds per signed request of the validator's process (and the driver) and
        // of each kind of part.
        auto ms_per_request = [&](double secs) {
          return r->signed_replies > 0 ? 1000 * secs / static_cast<double>(r->signed_replies) : 0;
        };
        double val_ms = ms_per_request(r->cpu_seconds);
        double verif_ms = ms_per_request(parts_after["verifiers"] - parts_before["verifiers"]);
        double shard_ms = ms_per_request(parts_after["shards"] - parts_before["shards"]);
        // The limit for k workers (k of the machine's cores; all of them with parts, which
        // run beside), timed around the row as for scenarios.
        double used_cores = with_parts ? cores : std::min<double>(k, cores);
        double klimit = (before + limit_now(vw, cores)) / 2 * used_cores / cores;
        if (shares == share_mode::pooled) { // the same drift, applied to the pooled work
          auto pw = pooled_request_work_per_1000(faults_tolerated(opts.validators).value_or(0),
                                                 static_cast<double>(vo.parent_batch),
                                                 std::max(1.0, r->mean_batch));
          klimit *= 1000 * signature_limit(cc, pw, cores) / vlimit;
        }
        auto part_ms = [](uint32_t n, double ms) {
          char text[32];
          std::snprintf(text, sizeof text, "%.3f", ms);
          return n > 0 ? std::string{text} : std::string{"-"};
        };
        std::printf("%8zu %7s %9zu %9.3f %12.0f %9.0f %8.0f%% %9.1f %7u %9u %8.3f %9s %9s\n", k,
                    to_string(shares), r->signed_replies, r->seconds, r->per_second(), klimit,
                    100 * r->per_second() / klimit, r->mean_batch, lock_shards,
                    opts.validator_parts[0], val_ms,
                    part_ms(opts.validator_parts[0], verif_ms).c_str(),
                    part_ms(opts.validator_parts[1], shard_ms).c_str());
        report["validator_only"].push_back(
          {{"workers", k},
           {"shares", to_string(shares)},
           {"requests", r->signed_replies},
           {"seconds", r->seconds},
           {"requests_per_s", r->per_second()},
           {"limit_requests_per_s", klimit},
           {"share_of_limit", r->per_second() / klimit},
           {"lock_shards", lock_shards},
           {"verifier_processes", opts.validator_parts[0]},
           {"lock_shard_processes", opts.validator_parts[1]},
           {"cpu_ms_per_request",
            {{"validator", val_ms}, {"verifiers", verif_ms}, {"shards", shard_ms}}}});
      }
  return caf::none;
}

/// Reaches the wallets of the running nodes of `config` (giving processes just started a moment
/// to listen) and makes an untimed first payment inside wallet w0: final once 2f+1 validators
/// are connected.
caf::expected<bench_target> reach_running(caf::actor_system& sys, const std::string& config,
                                          bool just_started) {
  auto file = load_cluster_file(config);
  if (!file)
    return file.error();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(just_started ? 20 : 0);
  auto t = target_of(sys, *file);
  while (!t && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    t = target_of(sys, *file);
  }
  if (!t)
    return t.error();
  std::vector<payment_order> warm_up{payment_order{0, 0, 1, 1, 0}};
  if (auto w = drive(sys, t->wallets, t->addresses, order_source::of(warm_up), load_options{}); !w)
    return make_error(ec::timeout, "bench: warm-up payment failed: " + describe(w.error()));
  return t;
}

/// What a row runs: its spec, how the validators sign, who pays, and against which nodes.
struct row_choice {
  row_spec spec;
  share_mode shares = share_mode::pooled;
  std::string payer;
  const node_set* nodes = nullptr;
};

/// Runs one row and measures it: against the running nodes, or a fresh committee and fresh
/// stores (as the thesis did); the signature limit timed before and after it (`pp_ratio`: the
/// per-payment limit's share of it).
caf::expected<row_figures> run_one_row(caf::actor_system& sys, const bench_options& opts,
                                       const bench_plan& plan, const row_choice& row,
                                       unsigned cores, double pp_ratio) {
  auto work = payment_work(plan.f);
  const auto& running = row.nodes->running;
  std::optional<temp_dir> dir;
  std::unique_ptr<embedded_cluster> cluster;
  bench_target target;
  // The row's peak covers its committee, wallets and driver (embedded runs only).
  bool peak_known = !running && reset_peak_memory();
  if (running) {
    target = *running;
  } else {
    auto made = temp_dir::make("bench", opts.data_dir);
    if (!made)
      return made.error();
    dir = std::move(*made);
    embedded_cluster::options co;
    co.shape.validators = opts.validators;
    co.data_dir = dir->path();
    co.shares = row.shares;
    auto c = embedded_cluster::start(sys, co);
    if (!c)
      return make_error(ec::invalid_config,
                        "bench: cannot start the committee: " + describe(c.error()));
    cluster = std::move(*c);
    if (row.payer == "key") {
      target = acfts::target_of(*cluster);
    } else {
      auto t = policy_payers_of(sys, *cluster, amount{500'000});
      if (!t)
        return make_error(ec::invalid_config,
                          "bench: cannot set up the policy payers: " + describe(t.error()));
      target = std::move(*t);
    }
  }
  // With node processes: the CPU each group of them (and this driver) uses in the row.
  auto cpu_now = [&] {
    auto out = row.nodes->nodes ? row.nodes->nodes->cpu_seconds() : std::map<std::string, double>{};
    out["bench"] = process_cpu_seconds();
    return out;
  };
  auto checks_before = tx_signature_checks();
  auto cache_before = share_cache_counters();
  double before = limit_now(work, cores);
  auto cpu_before = cpu_now();
  auto wall_before = std::chrono::steady_clock::now();
  std::atomic<size_t> progress{0};
  auto label = row_label(row.spec.which, row.spec.mode, row.spec.trials);
  auto r = with_progress<caf::expected<scenario_result>>(
    label, transfer_count(row.spec.which, row.spec.trials), progress,
    [&] { return run_row(sys, target, row.spec, &progress); });
  if (!r)
    return r.error();
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
  auto cpu_after = cpu_now();
  row_figures f;
  f.result = *r;
  f.inflight = row.spec.inflight;
  f.limit = (before + limit_now(work, cores)) / 2;
  f.pp_limit = f.limit * pp_ratio; // the same drift
  f.payer = row.payer;
  f.shares = row.shares;
  f.running_nodes = !opts.config.empty();
  if (row.nodes->links) {
    f.links = row.nodes->links;
    f.wall_seconds = wall;
    for (const auto& [group, secs] : cpu_after)
      f.cpu_seconds[group] = secs - cpu_before[group];
  }
  // The cache of verified roots (this process: embedded rows only) and the validators' mean
  // batch, set-up included.
  if (cluster) {
    uint64_t batches = 0, records = 0;
    for (size_t v = 0; v < cluster->validator_count(); ++v)
      if (auto st = stats_of(sys, cluster->validator(v))) {
        batches += st->batches;
        records += st->records;
      }
    if (batches > 0)
      f.mean_batch = static_cast<double>(records) / static_cast<double>(batches);
    auto cache_after = share_cache_counters();
    auto looked =
      (cache_after.hits - cache_before.hits) + (cache_after.misses - cache_before.misses);
    if (looked > 0)
      f.hit_rate =
        static_cast<double>(cache_after.hits - cache_before.hits) / static_cast<double>(looked);
  }
  // Owner signatures checked per payment, set-up payments included (the same kind of payment).
  f.checks_per_payment =
    static_cast<double>(tx_signature_checks() - checks_before)
    / static_cast<double>(std::max<size_t>(1, r->payments + r->setup_payments));
  if (peak_known)
    f.memory = read_process_memory();
  return f;
}

} // namespace

caf::expected<nlohmann::json> run_bench(const bench_options& opts) {
  auto plan = make_plan(opts);
  if (!plan)
    return plan.error();
  unsigned cores = core_count();
  auto cc = measure_crypto();
  double limit = signature_limit(cc, payment_work(plan->f), cores);
  double pp_limit = signature_limit(cc, per_payment_work(plan->f), cores);
  nlohmann::json report;
  report["machine"] = {{"cpu", cpu_model()}, {"cores", cores}};
  report["ed25519_sign_us"] = cc.sign_us;
  report["ed25519_verify_us"] = cc.verify_us;
  if (opts.validator_only) {
    if (auto err = bench_validator_alone(opts, cc, cores, report))
      return err;
    return report;
  }
  print_header(cc, cores, opts.validators, limit, pp_limit);
  report["crypto_limit_tx_per_s"] = limit;
  report["per_payment_limit_tx_per_s"] = pp_limit;
  report["validators"] = opts.validators;
  if (opts.distributed) {
    report["validator_parts"] = opts.validator_parts;
    std::printf("validator parts (--distributed): %u verifier and %u lock shard processes per "
                "validator (0: in the validator's own process)\n",
                opts.validator_parts[0], opts.validator_parts[1]);
  }
  print_columns(opts.distributed);
  auto cfg = node_config(); // the middleman too, for --config
  cfg->set("logger.verbosity", caf::atom("quiet"));
  if (opts.workers > 0)
    cfg->set("scheduler.max-threads", opts.workers);
  configure(*cfg);
  caf::actor_system sys{*cfg};
  report["results"] = nlohmann::json::array();
  // With several kinds of links each row runs on one, then at once on the next, so that they
  // share the machine's state of the moment.
  std::vector<node_set> node_sets;
  if (opts.against_in_process)
    node_sets.emplace_back().links = "in-process";
  for (bool tls : plan->link_modes) {
    auto& set = node_sets.emplace_back();
    set.tls = tls;
    if (opts.distributed)
      set.links = tls ? "TLS" : "plaintext";
    std::string config = opts.config;
    if (opts.distributed) {
      auto file = start_processes(opts, plan->share_modes[0], set);
      if (!file)
        return file.error();
      config = *file;
    }
    if (!config.empty()) {
      auto t = reach_running(sys, config, opts.distributed);
      if (!t)
        return t.error();
      set.running = std::move(*t);
    }
  }
  link_comparison links;
  for (auto s : plan->scenarios)
    for (auto m : plan->modes)
      for (auto trials : opts.trials)
        for (auto shares : plan->share_modes)
          for (const auto& payer : plan->payer_kinds)
            for (const auto& set : node_sets) {
              row_choice row;
              row.spec.which = s;
              row.spec.mode = m;
              row.spec.trials = trials;
              row.spec.inflight = opts.inflight > 0 ? opts.inflight : default_inflight;
              row.spec.seed = opts.seed;
              row.shares = shares;
              row.payer = payer;
              row.nodes = &set;
              auto f = run_one_row(sys, opts, *plan, row, cores, pp_limit / limit);
              if (!f)
                return f.error();
              print_row(*f);
              links.add(*f);
              report["results"].push_back(row_json(*f));
            }
  if (links.compares())
    links.print();
  print_notes();
  return report;
}

} // namespace acfts
