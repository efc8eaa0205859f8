// `acfts`: the one executable, with a subcommand per job.
#include <CLI/CLI.hpp>

#include "nodes/demo.hpp"

int main(int argc, char** argv) {
  CLI::App app{"acfts: payments without consensus, settled by a committee of validators"};
  app.require_subcommand(1);

  acfts::demo_options demo;
  auto demo_cmd = app.add_subcommand(
    "demo", "Run the thesis setup in-process (4 validators, 2 wallets) through S1-S5");
  demo_cmd->add_option("--data", demo.data_dir, "Parent directory of the stores (default: temp)");
  demo_cmd->add_flag("--keep", demo.keep, "Keep the temporary stores afterwards");
  demo_cmd->add_option("--trials", demo.trials, "Repetitions of each scenario")
    ->check(CLI::Range(1, 1000000));
  demo_cmd->add_option("--seed", demo.seed, "Seed of S4's random choices");

  CLI11_PARSE(app, argc, argv);
  if (*demo_cmd)
    return acfts::run_demo(demo);
  return 2;
}
