#include "cli/demo.hpp"
#include "cli/number_option.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "bench/scenarios.hpp"
#include "messages/error.hpp"
#include "config/temp_dir.hpp"

namespace acfts {

namespace {

int fail(const std::string& what) {
  std::cerr << "acfts demo: " << what << "\n";
  return 1;
}

int run(const demo_options& opts, const std::string& dir) {
  caf::actor_system_config cfg;
  configure(cfg);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system sys{cfg};
  embedded_cluster::options co;
  co.data_dir = dir;
  auto cluster = embedded_cluster::start(sys, co);
  if (!cluster)
    return fail("cannot start the committee: " + describe(cluster.error()));
  auto& c = **cluster;
  std::printf("acfts demo: %zu validators (f=%u), wallets c0={a0..a3} c1={a4..a7}, genesis %llu "
              "to a0\nstores under %s\n\n",
              c.validator_count(), c.net().f(),
              static_cast<unsigned long long>(c.net().gen.tx.outputs[0].value.units()),
              dir.c_str());
  std::printf("%-8s %8s %8s %10s %12s %14s\n", "scenario", "trials", "payments", "seconds",
              "payments/s", "thesis tx/s");
  auto target = target_of(c);
  for (auto s : all_scenarios()) {
    row_spec spec;
    spec.which = s;
    spec.trials = opts.trials;
    spec.seed = opts.seed;
    auto r = run_row(sys, target, spec, nullptr);
    if (!r)
      return fail(describe(r.error()));
    auto thesis = thesis_speed(s, opts.trials);
    char thesis_col[32] = "-";
    if (thesis)
      std::snprintf(thesis_col, sizeof(thesis_col), "%.2f", *thesis);
    std::printf("%-8s %8zu %8zu %10.3f %12.1f %14s%s\n", to_string(s), r->trials, r->payments,
                r->seconds, r->per_second(), thesis_col,
                r->setup_payments > 0 ? "  (+ set-up payments, not counted)" : "");
  }
  if (!c.wait_settled())
    return fail("payments did not settle in time");
  std::printf("\nbalances:\n");
  for (size_t w = 0; w < c.wallet_count(); ++w) {
    std::printf("  c%zu:", w);
    for (size_t a = 0; a < c.address_count(); ++a) {
      if (c.wallet_of(a) != w)
        continue;
      auto b = c.balance(a);
      if (!b)
        return fail(describe(b.error()));
      std::printf("  a%zu=%llu", a, static_cast<unsigned long long>(b->units()));
    }
    auto total = c.wallet_balance(w);
    if (!total)
      return fail(describe(total.error()));
    std::printf("  (total %llu)\n", static_cast<unsigned long long>(total->units()));
  }
  auto supply = c.supply();
  if (!supply)
    return fail(describe(supply.error()));
  auto genesis = c.net().gen.tx.outputs[0].value;
  if (*supply != genesis)
    return fail("supply is " + to_string(*supply) + ", expected " + to_string(genesis));
  std::printf("supply: %llu (unchanged)\n", static_cast<unsigned long long>(supply->units()));
  return 0;
}

} // namespace

int run_demo(const demo_options& opts) {
  if (!opts.data_dir.empty()) {
    int rc = run(opts, opts.data_dir);
    std::printf("stores kept in %s\n", opts.data_dir.c_str());
    return rc;
  }
  auto dir = temp_dir::make("demo");
  if (!dir)
    return fail(describe(dir.error()));
  int rc = run(opts, dir->path());
  if (opts.keep) {
    dir->keep();
    std::printf("stores kept in %s\n", dir->path().c_str());
  }
  return rc;
}

command_runner add_demo_command(CLI::App& app) {
  auto o = std::make_shared<demo_options>();
  auto demo_cmd = app.add_subcommand(
    "demo", "Run the thesis setup in-process (4 validators, 2 wallets) through S1-S5");
  demo_cmd->add_option("--data", o->data_dir, "Parent directory of the stores (default: temp)");
  demo_cmd->add_flag("--keep", o->keep, "Keep the temporary stores afterwards");
  add_number(demo_cmd, "--trials", o->trials, "Repetitions of each scenario", 1, 1000000);
  add_number(demo_cmd, "--seed", o->seed, "Seed of S4's random choices");
  return [=]() -> std::optional<int> {
    if (!*demo_cmd)
      return std::nullopt;
    return run_demo(*o);
  };
}

} // namespace acfts
