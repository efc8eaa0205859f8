#include "cli/status_command.hpp"

#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/cluster_file.hpp"
#include "messages/error.hpp"
#include "nodes/metrics_server.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

/// "name{labels}" → value, for every sample line.
std::map<std::string, double> samples_of(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    auto space = line.rfind(' ');
    if (space == std::string::npos)
      continue;
    try {
      out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    } catch (const std::exception&) {
      // not a number: not ours to judge here (promtool is)
    }
  }
  return out;
}

/// The sum of every sample of `name` whose labels contain `match` (empty: all).
double total(const std::map<std::string, double>& xs, const std::string& name,
             const std::string& match = "") {
  double sum = 0;
  for (const auto& [key, v] : xs)
    if (key.rfind(name + "{", 0) == 0 && key.find(match) != std::string::npos)
      sum += v;
  return sum;
}

} // namespace

int run_status(const std::string& config, const std::string& node, bool json) {
  auto cluster = load_cluster_file(config);
  if (!cluster)
    return fail(cluster.error(), json);
  uint16_t port = 0;
  std::string kind;
  if (auto v = cluster->validator(node)) {
    port = v->metrics_port;
    kind = "validator";
  } else if (auto w = cluster->wallet(node)) {
    port = w->metrics_port;
    kind = "wallet";
  } else {
    return fail("invalid_config: " + config + ": no node named '" + node + "'", json);
  }
  if (port == 0)
    return fail("invalid_config: " + config + ": " + node
                  + " has no metrics_port (add one, or make the cluster with `keygen --metrics`)",
                json);
  auto text = fetch_metrics(port);
  if (!text)
    return fail(describe(text.error()) + ": " + node + " is down or not serving metrics", json);
  auto xs = samples_of(*text);
  nlohmann::ordered_json out;
  out["node"] = node;
  out["kind"] = kind;
  bool faulted = false;
  if (kind == "validator") {
    faulted = total(xs, "acfts_validator_faulted") > 0;
    // Its parts in other processes: one that is down refuses what the validator routes to it.
    std::vector<std::string> down;
    size_t parts = 0;
    static const std::string part_up = "acfts_validator_part_up{";
    for (const auto& [key, v] : xs)
      if (key.rfind(part_up, 0) == 0) {
        ++parts;
        auto at = key.find("part=\"");
        if (v == 0 && at != std::string::npos)
          down.push_back(key.substr(at + 6, key.find('"', at + 6) - at - 6));
      }
    out["state"] = faulted ? "faulted" : !down.empty() ? "degraded" : "serving";
    out["parts"] = parts;
    out["parts_down"] = down;
    faulted = faulted || !down.empty();
    out["requests"] = total(xs, "acfts_validator_requests_total");
    out["signed"] = total(xs, "acfts_validator_signed_total");
    out["rejected"] = total(xs, "acfts_validator_rejected_total");
    out["storage_faults"] = total(xs, "acfts_validator_storage_faults_total");
    out["roots_signed"] = total(xs, "acfts_validator_roots_signed_total");
    out["writes"] = total(xs, "acfts_group_commit_batch_size_count");
  } else {
    faulted = total(xs, "acfts_wallet_storage_faulted") > 0;
    out["state"] = faulted ? "faulted" : "serving";
    out["payments_final"] = total(xs, "acfts_wallet_payments_total", "\"final\"");
    out["payments_failed"] = total(xs, "acfts_wallet_payments_total", "\"failed\"");
    out["payments_pending"] = total(xs, "acfts_wallet_payments_pending");
    out["handoffs_unacknowledged"] = total(xs, "acfts_wallet_handoffs_unacknowledged");
    out["received"] = total(xs, "acfts_wallet_received_total");
    out["validators_connected"] = total(xs, "acfts_wallet_validators_connected");
    out["balance"] = total(xs, "acfts_wallet_balance_units");
  }
  out["store_bytes"] = total(xs, "acfts_store_bytes");
  if (json) {
    nlohmann::ordered_json all;
    for (const auto& [k, v] : xs)
      all[k] = v;
    out["metrics"] = all;
    std::cout << out.dump() << std::endl;
  } else {
    std::cout << node << " (" << kind << "): " << out["state"].get<std::string>() << "\n";
    for (const auto& [k, v] : out.items())
      if (k != "node" && k != "kind" && k != "state")
        std::cout << "  " << k << " " << v.dump() << "\n";
    std::cout << std::flush;
  }
  return faulted ? 1 : 0;
}

command_runner add_status_command(CLI::App& app) {
  struct options {
    std::string config, node;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto status_cmd = app.add_subcommand(
    "status", "A running node's state from its metrics port: requests, faults, payments, ...");
  status_cmd->add_option("--config", o->config, "A wallet, committee or cluster file")->required();
  status_cmd->add_option("--node", o->node, "A validator or wallet (v0, w1, ...)")->required();
  status_cmd->add_flag("--json", o->json, "One JSON object (every metric under \"metrics\")");
  return [=]() -> std::optional<int> {
    if (!*status_cmd)
      return std::nullopt;
    return run_status(o->config, o->node, o->json);
  };
}

} // namespace acfts
