#include "cli/bench_command.hpp"
#include "cli/number_option.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "bench/crypto_limit.hpp"
#include "bench/process_memory.hpp"
#include "bench/scenarios.hpp"
#include "bench/validator_only.hpp"
#include "config/cluster_file.hpp"
#include "config/keygen.hpp"
#include "crypto/hashing.hpp"
#include "crypto/schemes.hpp"
#include "protocol/share_cache.hpp"
#include "messages/error.hpp"
#include "config/temp_dir.hpp"
#include "cli/client.hpp"
#include "nodes/node_processes.hpp"
#include "cli/progress.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

namespace fs = std::filesystem;

/// The in-flight default, chosen by measurement (bench/RESULTS.md): beyond it the 2-core machine
/// gains nothing and latency grows.
constexpr size_t default_inflight = 64;

/// Ed25519 timing around each row (the fastest of six rounds in this many ms).
constexpr int row_crypto_millis = 120;

std::vector<scenario> pick_scenarios(const std::string& text) {
  if (text == "all")
    return all_scenarios();
  std::vector<scenario> out;
  std::stringstream in{text};
  std::string item;
  while (std::getline(in, item, ','))
    if (auto s = parse_scenario(item))
      out.push_back(*s);
    else
      return {};
  return out;
}

std::vector<bench_mode> pick_modes(const std::string& text) {
  if (text == "sequential")
    return {bench_mode::sequential};
  if (text == "concurrent")
    return {bench_mode::concurrent};
  if (text == "both")
    return {bench_mode::sequential, bench_mode::concurrent};
  return {};
}

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

void print_header(const crypto_costs& cc, unsigned cores, size_t n, double limit,
                  double per_payment_limit) {
  std::printf("machine: %s, %u cores\n", cpu_model().c_str(), cores);
  std::printf("Ed25519 (libsodium, one core): sign %.1f us, verify %.1f us\n", cc.sign_us,
              cc.verify_us);
  // Policy keys (issue 14): what an owner's signature of each other scheme costs.
  auto sc = measure_owner_schemes();
  std::printf("secp256k1 BIP-340 (libsecp256k1): sign %.1f us, verify %.1f us; "
              "P-256 ECDSA (OpenSSL): sign %.1f us, verify %.1f us\n",
              sc.secp256k1.sign_us, sc.secp256k1.verify_us, sc.p256.sign_us, sc.p256.verify_us);
  auto w = payment_work(faults_tolerated(n).value_or(0));
  std::printf("signature-bound limit, N=%zu: %zu signs + %zu verifies per payment -> %.0f "
              "payments/s on %u cores\n",
              n, w.signs, w.verifies, limit, cores);
  auto pw = per_payment_work(faults_tolerated(n).value_or(0));
  std::printf("per-payment limit (what pooling cannot share): %zu sign + %zu verifies -> %.0f "
              "payments/s on %u cores\n\n",
              pw.signs, pw.verifies, per_payment_limit, cores);
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

/// `--validator-only`: one row per worker count, each against the limit timed around it.
int bench_validator_alone(const bench_options& opts, const crypto_costs& cc, unsigned cores,
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
  std::printf("%8s %7s %9s %9s %12s %9s %9s %9s\n", "workers", "shares", "requests", "seconds",
              "requests/s", "limit/s", "%limit", "batch");
  report["validator_limit_requests_per_s"] = vlimit;
  std::vector<share_mode> modes;
  if (opts.shares != "pooled")
    modes.push_back(share_mode::single);
  if (opts.shares != "single")
    modes.push_back(share_mode::pooled);
  for (auto k : workers)
    for (auto shares : modes) {
      auto dir = temp_dir::make("bench", opts.data_dir);
      if (!dir)
        return fail("bench: " + describe(dir.error()));
      validator_bench_options vo;
      vo.validators = opts.validators;
      vo.workers = k;
      vo.requests = opts.requests;
      vo.data_dir = dir->path();
      vo.shares = shares;
      double before = limit_now(vw, cores);
      auto r = run_validator_only(vo);
      if (!r)
        return fail("bench: " + describe(r.error()));
      // The limit for k workers (k of the machine's cores), timed around the row as for scenarios.
      double klimit = (before + limit_now(vw, cores)) / 2 * std::min<double>(k, cores) / cores;
      if (shares == share_mode::pooled) { // the same drift, applied to the pooled work
        auto pw = pooled_request_work_per_1000(faults_tolerated(opts.validators).value_or(0),
                                               static_cast<double>(vo.parent_batch),
                                               std::max(1.0, r->mean_batch));
        klimit *= 1000 * signature_limit(cc, pw, cores) / vlimit;
      }
      std::printf("%8zu %7s %9zu %9.3f %12.0f %9.0f %8.0f%% %9.1f\n", k, to_string(shares),
                  r->signed_replies, r->seconds, r->per_second(), klimit,
                  100 * r->per_second() / klimit, r->mean_batch);
      report["validator_only"].push_back({{"workers", k},
                                          {"shares", to_string(shares)},
                                          {"requests", r->signed_replies},
                                          {"seconds", r->seconds},
                                          {"requests_per_s", r->per_second()},
                                          {"limit_requests_per_s", klimit},
                                          {"share_of_limit", r->per_second() / klimit}});
    }
  return 0;
}

} // namespace

int run_bench(const bench_options& opts) {
  auto scenarios = pick_scenarios(opts.scenarios);
  if (scenarios.empty())
    return fail("bench: --scenario takes S1..S5, a comma-separated list of them, or all");
  auto modes = pick_modes(opts.mode);
  if (modes.empty())
    return fail("bench: --mode takes sequential, concurrent or both");
  auto f = faults_tolerated(opts.validators);
  if (opts.validators < 4 || !f)
    return fail("bench: --validators must be 3f+1 (4, 7, 10, ...)");
  if (opts.distributed && !opts.config.empty())
    return fail("bench: --distributed starts its own nodes; it does not take --config");
  if (!opts.payer_policy.empty() && (opts.distributed || !opts.config.empty()))
    return fail("bench: --payer-policy runs in-process only (not with --config or --distributed)");
  std::vector<std::string> payer_kinds{"key"};
  if (!opts.payer_policy.empty())
    payer_kinds.push_back(opts.payer_policy);
  std::vector<share_mode> share_modes;
  if (opts.shares == "single" || opts.shares == "both")
    share_modes.push_back(share_mode::single);
  if (opts.shares == "pooled" || opts.shares == "both")
    share_modes.push_back(share_mode::pooled);
  if (share_modes.empty())
    return fail("bench: --shares takes single, pooled or both");
  std::vector<bool> link_modes;
  if (opts.tls == "off" || opts.tls == "both")
    link_modes.push_back(false);
  if (opts.tls == "on" || opts.tls == "both")
    link_modes.push_back(true);
  if (link_modes.empty())
    return fail("bench: --tls takes off, on or both");
  if (opts.tls != "off" && !opts.distributed)
    return fail("bench: --tls needs --distributed (in-process nodes have no links; with --config "
                "the cluster file says)");
  if (share_modes.size() > 1 && (opts.distributed || !opts.config.empty()))
    return fail("bench: --shares both runs in-process only (not with --config or --distributed)");
  if (!opts.data_dir.empty()) {
    // The stores go below --data; make it here so a typo fails now, not as a missing store later.
    std::error_code ec;
    fs::create_directories(opts.data_dir, ec);
    if (ec || !fs::is_directory(opts.data_dir))
      return fail("bench: --data " + opts.data_dir + ": cannot create the directory: "
                  + (ec ? ec.message() : std::string{"not a directory"}));
  }
  unsigned cores = core_count();
  auto cc = measure_crypto();
  auto work = payment_work(*f);
  double limit = signature_limit(cc, work, cores);
  auto pp_work = per_payment_work(*f);
  double pp_limit = signature_limit(cc, pp_work, cores);
  nlohmann::json report;
  report["machine"] = {{"cpu", cpu_model()}, {"cores", cores}};
  report["ed25519_sign_us"] = cc.sign_us;
  report["ed25519_verify_us"] = cc.verify_us;

  if (opts.validator_only) {
    if (int rc = bench_validator_alone(opts, cc, cores, report))
      return rc;
  } else {
    print_header(cc, cores, opts.validators, limit, pp_limit);
    report["crypto_limit_tx_per_s"] = limit;
    report["per_payment_limit_tx_per_s"] = pp_limit;
    report["validators"] = opts.validators;
    std::printf("%-4s %-10s %7s %8s %8s %10s %8s %8s %8s %7s %5s %8s %9s %8s %5s %8s %6s %6s "
                "%5s",
                "scen", "mode", "trials", "payments", "seconds", "payments/s", "p50_ms", "p99_ms",
                "limit/s", "%limit", "%pp", "thesis", "x thesis", "peak_MiB", "payer", "chk/pay",
                "shares", "batch", "hit%");
    if (opts.distributed)
      std::printf(" links");
    std::printf("\n");
    auto cfg = node_config(); // the middleman too, for --config
    cfg->set("logger.verbosity", caf::atom("quiet"));
    if (opts.workers > 0)
      cfg->set("scheduler.max-threads", opts.workers);
    configure(*cfg);
    caf::actor_system sys{*cfg};
    report["results"] = nlohmann::json::array();
    // Payments per second of each (scenario, mode, trials) row over plaintext and TLS links:
    // sums and counts (a repeated --trials value gives a mean).
    struct speeds {
      double sum[2] = {0, 0};
      int rows[2] = {0, 0};
      double mean(bool tls) const { return rows[tls] > 0 ? sum[tls] / rows[tls] : 0.0; }
    };
    std::map<std::string, speeds> link_speeds;
    // The nodes every row runs against: none (a fresh in-process committee per row), the
    // running nodes of --config, or one cluster of processes per link mode, started once for
    // all rows; with both link modes each row runs on one, then at once on the other, so that
    // the two share the machine's state of the moment.
    struct node_set {
      bool tls = false;
      std::optional<bench_target> running;
      std::optional<temp_dir> dir;
      std::unique_ptr<node_processes> nodes;
    };
    std::vector<node_set> node_sets;
    for (bool tls : link_modes) {
      auto& set = node_sets.emplace_back();
      set.tls = tls;
      auto& running = set.running;
      auto& cluster_dir = set.dir;
      auto& nodes = set.nodes;
      std::string config = opts.config;
      if (opts.distributed) {
        auto made = temp_dir::make("bench", opts.data_dir);
        if (!made)
          return fail("bench: " + describe(made.error()));
        cluster_dir = std::move(*made);
        keygen_options kg;
        kg.out_dir = *cluster_dir / "cluster";
        kg.validators = opts.validators;
        kg.base_port = 0;
        kg.tls = tls;
        auto file = keygen(kg);
        if (!file)
          return fail("bench: keygen: " + describe(file.error()));
        config = *file;
        auto parsed = load_cluster_file(config);
        if (!parsed)
          return fail("bench: " + describe(parsed.error()));
        nodes = std::make_unique<node_processes>(cluster_dir->path());
        for (const auto& v : parsed->validators)
          if (!nodes->start("validator", config, v.name, {"--shares", to_string(share_modes[0])}))
            return fail("bench: cannot start validator " + v.name);
        for (const auto& w : parsed->wallets)
          if (!nodes->start("wallet", config, w.name))
            return fail("bench: cannot start wallet " + w.name);
      }
      if (!config.empty()) {
        auto file = load_cluster_file(config);
        if (!file)
          return fail("bench: " + describe(file.error()));
        // Nodes just started need a moment to listen.
        auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(opts.distributed ? 20 : 0);
        auto t = target_of(sys, *file);
        while (!t && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          t = target_of(sys, *file);
        }
        if (!t)
          return fail("bench: " + describe(t.error()));
        running = std::move(*t);
        // An untimed first payment inside wallet w0: final once 2f+1 validators are connected.
        std::vector<payment_order> warm_up{payment_order{0, 0, 1, 1, 0}};
        if (auto w = drive(sys, running->wallets, running->addresses, order_source::of(warm_up),
                           load_options{});
            !w)
          return fail("bench: warm-up payment failed: " + describe(w.error()));
      }
    }
    for (auto s : scenarios)
      for (auto m : modes)
        for (auto trials : opts.trials)
          for (auto shares : share_modes)
            for (const auto& payers : payer_kinds)
              for (auto& set : node_sets) {
                auto& running = set.running;
                bool tls = set.tls;
                row_spec spec;
                spec.which = s;
                spec.mode = m;
                spec.trials = trials;
                spec.inflight = opts.inflight > 0 ? opts.inflight : default_inflight;
                spec.seed = opts.seed;
                std::atomic<size_t> progress{0};
                size_t total = transfer_count(s, trials);
                std::string label =
                  std::string(to_string(s)) + " " + to_string(m) + " " + std::to_string(trials);
                // A fresh committee and fresh stores for each row, as the thesis did.
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
                    return fail("bench: " + describe(made.error()));
                  dir = std::move(*made);
                  embedded_cluster::options co;
                  co.shape.validators = opts.validators;
                  co.data_dir = dir->path();
                  co.shares = shares;
                  auto c = embedded_cluster::start(sys, co);
                  if (!c)
                    return fail("bench: cannot start the committee: " + describe(c.error()));
                  cluster = std::move(*c);
                  if (payers == "key") {
                    target = acfts::target_of(*cluster);
                  } else {
                    auto t = policy_payers_of(sys, *cluster, amount{500'000});
                    if (!t)
                      return fail("bench: cannot set up the policy payers: " + describe(t.error()));
                    target = std::move(*t);
                  }
                }
                auto checks_before = tx_signature_checks();
                auto cache_before = share_cache_counters();
                double before = limit_now(work, cores);
                auto r = with_progress<caf::expected<scenario_result>>(
                  label, total, progress, [&] { return run_row(sys, target, spec, &progress); });
                if (!r)
                  return fail("bench: " + describe(r.error()));
                double row_limit = (before + limit_now(work, cores)) / 2;
                double row_pp_limit = row_limit * pp_limit / limit; // the same drift
                // The cache of verified roots (this process: embedded rows only) and the
                // validators' mean batch, set-up included.
                char batch_col[16] = "-", hit_col[16] = "-";
                std::optional<double> mean_batch, hit_rate;
                if (cluster) {
                  uint64_t batches = 0, records = 0;
                  for (size_t v = 0; v < cluster->validator_count(); ++v)
                    if (auto st = stats_of(sys, cluster->validator(v))) {
                      batches += st->batches;
                      records += st->records;
                    }
                  if (batches > 0) {
                    mean_batch = static_cast<double>(records) / static_cast<double>(batches);
                    std::snprintf(batch_col, sizeof(batch_col), "%.1f", *mean_batch);
                  }
                  auto cache_after = share_cache_counters();
                  auto looked = (cache_after.hits - cache_before.hits)
                                + (cache_after.misses - cache_before.misses);
                  if (looked > 0) {
                    hit_rate = static_cast<double>(cache_after.hits - cache_before.hits)
                               / static_cast<double>(looked);
                    std::snprintf(hit_col, sizeof(hit_col), "%.0f", 100 * *hit_rate);
                  }
                }
                // Owner signatures checked per payment, set-up payments included (they are the same
                // kind of payment).
                double checks_per_payment =
                  static_cast<double>(tx_signature_checks() - checks_before)
                  / static_cast<double>(std::max<size_t>(1, r->payments + r->setup_payments));
                auto mem = read_process_memory();
                char peak_col[16] = "-";
                if (peak_known)
                  std::snprintf(peak_col, sizeof(peak_col), "%.0f", mem.peak_kib / 1024.0);
                auto thesis = thesis_speed(s, trials);
                char thesis_col[16] = "-", ratio_col[16] = "-";
                if (thesis) {
                  std::snprintf(thesis_col, sizeof(thesis_col), "%.2f", *thesis);
                  std::snprintf(ratio_col, sizeof(ratio_col), "%.0fx", r->per_second() / *thesis);
                }
                std::printf(
                  "%-4s %-10s %7zu %8zu %8.3f %10.1f %8.2f %8.2f %8.0f %6.0f%% %4.0f%% %8s "
                  "%9s %8s %5s %8.2f %6s %6s %5s",
                  to_string(s), to_string(m), trials, r->payments, r->seconds, r->per_second(),
                  r->p50_ms, r->p99_ms, row_limit, 100 * r->per_second() / row_limit,
                  100 * r->per_second() / row_pp_limit, thesis_col, ratio_col, peak_col,
                  payers.c_str(), checks_per_payment, opts.config.empty() ? to_string(shares) : "-",
                  batch_col, hit_col);
                if (opts.distributed)
                  std::printf(" %5s", tls ? "tls" : "plain");
                std::printf("\n");
                std::fflush(stdout);
                nlohmann::json row{{"scenario", to_string(s)},
                                   {"mode", to_string(m)},
                                   {"trials", trials},
                                   {"transactions", r->payments},
                                   {"seconds", r->seconds},
                                   {"tx_per_s", r->per_second()},
                                   {"p50_ms", r->p50_ms},
                                   {"p99_ms", r->p99_ms},
                                   {"setup_transactions", r->setup_payments},
                                   {"crypto_limit_tx_per_s", row_limit},
                                   {"share_of_limit", r->per_second() / row_limit},
                                   {"payer", payers},
                                   {"shares", to_string(shares)},
                                   {"per_payment_limit_tx_per_s", row_pp_limit},
                                   {"share_of_per_payment_limit", r->per_second() / row_pp_limit},
                                   {"owner_signature_checks_per_tx", checks_per_payment}};
                if (m == bench_mode::concurrent)
                  row["inflight"] = spec.inflight;
                if (opts.distributed) {
                  row["tls"] = tls;
                  auto& sp = link_speeds[label];
                  sp.sum[tls] += r->per_second();
                  ++sp.rows[tls];
                }
                if (mean_batch)
                  row["mean_batch"] = *mean_batch;
                if (hit_rate)
                  row["root_cache_hit_rate"] = *hit_rate;
                if (peak_known) {
                  row["peak_rss_mib"] = mem.peak_kib / 1024.0;
                  row["rss_anon_mib"] = mem.anon_kib / 1024.0;
                  row["rss_file_mib"] = mem.file_kib / 1024.0;
                }
                report["results"].push_back(row);
              }
    if (link_modes.size() > 1) {
      std::printf("\nTLS against plaintext links, the same rows in one run:\n");
      for (const auto& [label, sp] : link_speeds)
        std::printf("%-28s plaintext %10.1f/s  TLS %10.1f/s  TLS/plaintext %.2f  (%d+%d rows)\n",
                    label.c_str(), sp.mean(false), sp.mean(true),
                    sp.mean(false) > 0 ? sp.mean(true) / sp.mean(false) : 0.0, sp.rows[0],
                    sp.rows[1]);
    }
    std::printf("\nset-up transactions (funding empty senders, splitting balances for "
                "concurrency) are not counted; a row ends when every payee stored its payments;\n"
                "limit/s: the signature-bound limit timed right before and after the row (mean), "
                "which %%limit is held against;\n"
                "peak_MiB: the bench process's highest resident size during the row (committee, "
                "wallets, driver and LevelDB's mapped files; embedded runs only);\n"
                "payer: key (one Ed25519 key per address) or 2of3 (a 2-of-3 policy over Ed25519, "
                "secp256k1 and P-256 keys, signed by the Ed25519 and P-256 keys);\n"
                "chk/pay: owner signatures the validators checked per payment (all N of them), "
                "limit/s and %%limit stay those of single-key payments;\n"
                "%%pp: the share of the per-payment limit; shares: single (a validator signature "
                "per transaction) or pooled (one per batch: a Merkle root); batch: records per "
                "synced write, mean over the validators; hit%%: verified roots found in the "
                "process's cache (embedded runs)\n");
  }
  if (!opts.json_file.empty()) {
    std::ofstream out{opts.json_file};
    out << report.dump(2) << "\n";
    if (!out)
      return fail("bench: cannot write " + opts.json_file);
  }
  return 0;
}

command_runner add_bench_command(CLI::App& app) {
  auto o = std::make_shared<bench_options>();
  auto& bench = *o;
  auto bench_cmd = app.add_subcommand(
    "bench", "Measure scenario throughput (thesis S1-S5) against the machine's signature limit");
  bench_cmd->add_option("--scenario", bench.scenarios, "S1..S5, a list (S1,S5) or all");
  add_numbers(bench_cmd, "--trials", bench.trials, "Repetitions per row, e.g. 10,100,1000", 1,
              10000000);
  bench_cmd->add_option("--mode", bench.mode, "sequential, concurrent or both")
    ->check(CLI::IsMember({"sequential", "concurrent", "both"}));
  add_number(bench_cmd, "--inflight", bench.inflight, "Payments in flight (concurrent mode)", 1,
             4096);
  add_number(bench_cmd, "--validators", bench.validators, "N = 3f+1 (in-process committee)", 1,
             1024);
  add_number(bench_cmd, "--workers", bench.workers, "CAF scheduler threads (default: cores)", 1,
             256);
  bench_cmd->add_option("--config", bench.config, "Run against the running nodes of cluster.toml");
  bench_cmd
    ->add_option("--shares", bench.shares,
                 "pooled, single or both (each row in each mode, side by side)")
    ->check(CLI::IsMember({"single", "pooled", "both"}));
  bench_cmd->add_flag("--distributed", bench.distributed,
                      "Start validators and wallets as processes on loopback");
  bench_cmd
    ->add_option("--tls", bench.tls,
                 "off, on or both: the processes' links plaintext, mutual TLS, or each row over "
                 "both in one run (--distributed)")
    ->check(CLI::IsMember({"off", "on", "both"}));
  bench_cmd->add_option("--json", bench.json_file, "Write the machine and every row as JSON");
  add_number(bench_cmd, "--seed", bench.seed, "Seed of S4's random choices");
  bench_cmd->add_option("--data", bench.data_dir, "Parent directory of the temporary stores");
  bench_cmd->add_flag("--validator-only", bench.validator_only,
                      "One validator fed pre-signed requests (for 1..cores workers)");
  add_number(bench_cmd, "--requests", bench.requests, "Requests for --validator-only", 1, 10000000);
  bench_cmd
    ->add_option("--payer-policy", bench.payer_policy,
                 "2of3: run each row again with payers owned by 2-of-3 mixed-scheme policies")
    ->check(CLI::IsMember({"2of3"}));
  return [=]() -> std::optional<int> {
    if (!*bench_cmd)
      return std::nullopt;
    return run_bench(*o);
  };
}

} // namespace acfts
