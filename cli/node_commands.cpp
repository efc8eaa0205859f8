#include "cli/node_commands.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/address_command.hpp"
#include "cli/committee_commands.hpp"
#include "cli/number_option.hpp"
#include "config/keygen.hpp"
#include "messages/decimal.hpp"
#include "messages/error.hpp"
#include "nodes/node_runtime.hpp"
#include "nodes/validator_node.hpp"
#include "nodes/wallet_node.hpp"

namespace acfts {

node_commands add_node_commands(CLI::App& app) {
  struct options {
    keygen_options kg;
    uint64_t genesis_units = 0;
    std::string cert_csr, cert_ca, cert_ca_key, cert_out;
    std::string config, name, shares = "pooled", fault_drill, part = "all";
    std::vector<std::string> epoch_from;
    uint32_t lock_shards = 1;
    bool verbose = false;
  };
  auto o = std::make_shared<options>();
  o->genesis_units = o->kg.genesis.units();

  auto keygen_cmd = app.add_subcommand(
    "keygen",
    "Write DIR/cluster.toml and a private key file (mode 0600) per validator and address");
  keygen_cmd->add_option("--out", o->kg.out_dir, "Directory to create the cluster in")->required();
  add_number(keygen_cmd, "--validators", o->kg.validators, "N = 3f+1 validators", 1, 1024);
  add_number(keygen_cmd, "--wallets", o->kg.wallets, "Wallets", 0, 4096);
  add_number(keygen_cmd, "--addresses", o->kg.addresses, "Addresses per wallet", 1, 4096);
  add_number(keygen_cmd, "--base-port", o->kg.base_port, "First port (0: pick free ports)");
  keygen_cmd->add_option("--host", o->kg.host, "Host of every node");
  add_amount(keygen_cmd, "--genesis", o->genesis_units,
             "Units created by the genesis, owned by a0");
  keygen_cmd->add_flag("--metrics", o->kg.metrics,
                       "Give every node a metrics_port (Prometheus, on 127.0.0.1)");
  add_number(keygen_cmd, "--lock-shard-parts", o->kg.lock_shard_parts,
             "Give every validator S lock shards as processes of their own (`validator --part "
             "shard:K`): S ports each, a part key file and each shard's own key file",
             0, 64);
  add_number(keygen_cmd, "--verifier-parts", o->kg.verifier_parts,
             "Give every validator V verifiers as processes of their own (`validator --part "
             "verifier:K`): V ports each, a part key file and each verifier's own key file",
             0, 64);
  keygen_cmd->add_flag("--tls", o->kg.tls,
                       "Mutual TLS between all nodes: a network CA in DIR/tls and a certificate "
                       "per validator and wallet");

  auto cert_cmd = app.add_subcommand("cert", "TLS certificates of a network that runs TLS");
  cert_cmd->require_subcommand(1);
  auto cert_sign_cmd = cert_cmd->add_subcommand(
    "sign", "Admit a node: sign its certificate request (from `wallet init`) with the network's "
            "CA");
  cert_sign_cmd->add_option("request", o->cert_csr, "The request (.csr)")->required();
  cert_sign_cmd->add_option("--ca-cert", o->cert_ca, "The network's CA certificate (tls/ca.crt)")
    ->required();
  cert_sign_cmd->add_option("--ca-key", o->cert_ca_key, "The CA's key (tls/ca.key)")->required();
  cert_sign_cmd->add_option("--out", o->cert_out,
                            "The certificate to write (default: .csr → .crt)");

  auto validator_cmd = app.add_subcommand("validator", "Run one validator node");
  // Not required here: `acfts validator seal` takes its own (checked when the node starts).
  validator_cmd->add_option("--config", o->config, "committee.toml or cluster.toml");
  validator_cmd->add_option("--name", o->name, "Validator name (v0, v1, ...)");
  validator_cmd->add_flag("--verbose,-v", o->verbose, "Log every notable event");
  validator_cmd
    ->add_option("--shares", o->shares,
                 "pooled: one signature per batch (a Merkle root); single: one per transaction")
    ->check(CLI::IsMember({"single", "pooled"}));
  validator_cmd->add_option(
    "--fault-drill", o->fault_drill,
    "A drill: while FILE exists every fsync of the store fails, as on a full or dying disk");
  validator_cmd
    ->add_option("--lock-shards", o->lock_shards,
                 "Keep the locks in N shard stores (data_dir/shard-K), each with its own group "
                 "commit; a store keeps the count it was first run with")
    ->check(CLI::Range(1, 64));
  validator_cmd->add_option("--part", o->part,
                            "all (default): the whole validator in this process; shard:K: its "
                            "lock shard K alone, on the K-th host:port of the entry's "
                            "lock_shards; verifier:K (or verifier, when it has one): its "
                            "verifier K, on the K-th of its verifiers");
  validator_cmd->add_option("--epoch-from", o->epoch_from,
                            "Lock files of 2f+1 sealed old validators: the first start of a "
                            "validator of the next committee begins from them");

  auto wallet_cmd = app.add_subcommand("wallet", "Run one wallet node");
  wallet_cmd->add_option("--config", o->config, "A wallet file, or cluster.toml");
  wallet_cmd->add_option("--name", o->name,
                         "Wallet name (w0, ...; default: the file's only wallet)");
  wallet_cmd->add_flag("--verbose,-v", o->verbose, "Log every notable event");

  auto run = [=]() -> std::optional<int> {
    if (*keygen_cmd) {
      o->kg.genesis = amount{o->genesis_units};
      auto file = keygen(o->kg);
      if (!file)
        return fail(file.error());
      std::cout << *file << std::endl;
      return exit_ok;
    }
    if (*cert_sign_cmd)
      return run_cert_sign(o->cert_csr, o->cert_ca, o->cert_ca_key, o->cert_out);
    if (*validator_cmd) {
      if (o->config.empty() || o->name.empty()) {
        std::cerr << "acfts: validator: --config and --name are required (or: acfts validator "
                     "seal)"
                  << std::endl;
        return exit_usage;
      }
      if (o->part != "all") {
        auto numbered = [&](const std::string& prefix) -> std::optional<uint32_t> {
          if (o->part.rfind(prefix, 0) != 0)
            return std::nullopt;
          auto k = parse_decimal(o->part.substr(prefix.size()), "--part", 0, 63);
          return k ? std::optional<uint32_t>{static_cast<uint32_t>(*k)} : std::nullopt;
        };
        if (auto k = numbered("shard:"))
          return run_lock_shard_part(o->config, o->name, *k, o->verbose);
        if (auto k = numbered("verifier:"))
          return run_verifier_part(o->config, o->name, *k, o->verbose);
        if (o->part == "verifier")
          return run_verifier_part(o->config, o->name, std::nullopt, o->verbose);
        std::cerr << "acfts: validator: --part " << o->part
                  << ": not a part this build runs alone (all, shard:K, verifier:K or verifier; "
                     "the gate and the signer run in the validator's own process)"
                  << std::endl;
        return exit_usage;
      }
      if (!o->epoch_from.empty())
        if (int rc = start_epoch(o->config, o->name, o->epoch_from))
          return rc;
      return run_validator_node(o->config, o->name, o->verbose, *share_mode_named(o->shares),
                                o->fault_drill, o->lock_shards);
    }
    if (*wallet_cmd) {
      if (o->config.empty()) {
        std::cerr << "acfts: wallet: --config is required (or: acfts wallet init)" << std::endl;
        return exit_usage;
      }
      return run_wallet_node(o->config, o->name, o->verbose);
    }
    return std::nullopt;
  };
  return {run, validator_cmd, wallet_cmd};
}

} // namespace acfts
