#include "cli/bench_command.hpp"
#include "cli/number_option.hpp"

#include <fstream>

#include "bench/bench_options.hpp"
#include "bench/bench_run.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

int run_bench_command(const bench_options& opts) {
  auto report = run_bench(opts);
  if (!report)
    return fail(report.error());
  if (!opts.json_file.empty()) {
    std::ofstream out{opts.json_file};
    out << report->dump(2) << "\n";
    if (!out)
      return fail("bench: cannot write " + opts.json_file);
  }
  return 0;
}

} // namespace

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
  bench_cmd->add_flag("--against-in-process", bench.against_in_process,
                      "--distributed: each row also on a fresh in-process committee right before "
                      "it, and the processes' speed as a share of it");
  bench_cmd->add_option("--json", bench.json_file, "Write the machine and every row as JSON");
  add_number(bench_cmd, "--seed", bench.seed, "Seed of S4's random choices");
  bench_cmd->add_option("--data", bench.data_dir, "Parent directory of the temporary stores");
  bench_cmd->add_flag("--validator-only", bench.validator_only,
                      "One validator fed pre-signed requests (for 1..cores workers)");
  add_number(bench_cmd, "--requests", bench.requests, "Requests for --validator-only", 1, 10000000);
  add_numbers(bench_cmd, "--lock-shards", bench.lock_shards,
              "--validator-only: a row per count of lock shards, e.g. 1,2,4", 1, 64);
  add_numbers(bench_cmd, "--validator-parts", bench.validator_parts,
              "--distributed, --validator-only: V,S — each validator with V verifiers and S lock "
              "shards as processes of their own (0: in the validator's process; default 0,0)",
              0, 64);
  bench_cmd
    ->add_option("--payer-policy", bench.payer_policy,
                 "2of3: run each row again with payers owned by 2-of-3 mixed-scheme policies")
    ->check(CLI::IsMember({"2of3"}));
  return [=]() -> std::optional<int> {
    if (!*bench_cmd)
      return std::nullopt;
    return run_bench_command(*o);
  };
}

} // namespace acfts
