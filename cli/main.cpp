// `acfts`: the one executable, with a subcommand per job. Each command group adds its own
// subcommands (cli/*.hpp, `add_*`); the first runner that recognises the command line runs it.
#include <iostream>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/address_command.hpp"
#include "cli/audit_command.hpp"
#include "cli/backup_command.hpp"
#include "cli/bench_command.hpp"
#include "cli/cli_help.hpp"
#include "cli/client.hpp"
#include "cli/command_suggest.hpp"
#include "cli/committee_commands.hpp"
#include "cli/demo.hpp"
#include "cli/look_commands.hpp"
#include "cli/node_commands.hpp"
#include "cli/proof_commands.hpp"
#include "cli/status_command.hpp"
#include "cli/tx_commands.hpp"

#include "acfts_version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"acfts: payments without consensus, settled by a committee of validators"};
  app.name("acfts");
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       std::string{"acfts "} + ACFTS_VERSION + " (" + ACFTS_COMMIT + ")");
  std::vector<acfts::command_runner> runners;
  runners.push_back(acfts::add_demo_command(app));
  runners.push_back(acfts::add_bench_command(app));
  auto nodes = acfts::add_node_commands(app);
  // The validator's and the wallet's own subcommands first: without one, the node runs.
  runners.push_back(acfts::add_wallet_commands(*nodes.wallet));
  runners.push_back(acfts::add_payment_commands(app));
  runners.push_back(acfts::add_tx_commands(app));
  runners.push_back(acfts::add_status_command(app));
  runners.push_back(acfts::add_audit_command(app));
  runners.push_back(acfts::add_address_commands(app));
  runners.push_back(acfts::add_network_command(app));
  runners.push_back(acfts::add_proof_commands(app));
  runners.push_back(acfts::add_committee_commands(app, *nodes.validator));
  runners.push_back(nodes.run);
  runners.push_back(acfts::add_help_commands(app));
  if (auto unknown = acfts::unknown_subcommand(app, argc, argv)) {
    std::cerr << "acfts: " << *unknown << std::endl;
    return 2;
  }
  CLI11_PARSE(app, argc, argv);
  for (const auto& run : runners)
    if (auto rc = run())
      return *rc;
  return 2;
}
