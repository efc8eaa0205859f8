#include "bench/plan.hpp"

#include <filesystem>
#include <sstream>

#include "messages/error.hpp"
#include "protocol/network.hpp"

namespace acfts {

namespace {

namespace fs = std::filesystem;

caf::error refuse(const std::string& what) {
  return make_error(ec::invalid_config, "bench: " + what);
}

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

} // namespace

caf::expected<bench_plan> make_plan(const bench_options& opts) {
  bench_plan plan;
  plan.scenarios = pick_scenarios(opts.scenarios);
  if (plan.scenarios.empty())
    return refuse("--scenario takes S1..S5, a comma-separated list of them, or all");
  plan.modes = pick_modes(opts.mode);
  if (plan.modes.empty())
    return refuse("--mode takes sequential, concurrent or both");
  auto f = faults_tolerated(opts.validators);
  if (opts.validators < 4 || !f)
    return refuse("--validators must be 3f+1 (4, 7, 10, ...)");
  plan.f = *f;
  if (opts.distributed && !opts.config.empty())
    return refuse("--distributed starts its own nodes; it does not take --config");
  if (!opts.payer_policy.empty() && (opts.distributed || !opts.config.empty()))
    return refuse("--payer-policy runs in-process only (not with --config or --distributed)");
  plan.payer_kinds.push_back("key");
  if (!opts.payer_policy.empty())
    plan.payer_kinds.push_back(opts.payer_policy);
  if (opts.shares == "single" || opts.shares == "both")
    plan.share_modes.push_back(share_mode::single);
  if (opts.shares == "pooled" || opts.shares == "both")
    plan.share_modes.push_back(share_mode::pooled);
  if (plan.share_modes.empty())
    return refuse("--shares takes single, pooled or both");
  if (opts.tls == "off" || opts.tls == "both")
    plan.link_modes.push_back(false);
  if (opts.tls == "on" || opts.tls == "both")
    plan.link_modes.push_back(true);
  if (plan.link_modes.empty())
    return refuse("--tls takes off, on or both");
  if (opts.tls != "off" && !opts.distributed)
    return refuse("--tls needs --distributed (in-process nodes have no links; with --config the "
                  "cluster file says)");
  if (opts.against_in_process && !opts.distributed)
    return refuse("--against-in-process needs --distributed (it compares the processes with an "
                  "in-process committee)");
  if (opts.validator_parts.size() != 2)
    return refuse("--validator-parts takes V,S: verifier processes and lock shard processes");
  if (opts.validator_parts != std::vector<uint32_t>{0, 0}) {
    if (!opts.distributed && !opts.validator_only)
      return refuse("--validator-parts runs with --distributed or --validator-only");
    if (opts.validator_only && opts.lock_shards != std::vector<uint32_t>{1})
      return refuse("--validator-parts says the lock shards (S) with --validator-only: leave out "
                    "--lock-shards");
    if (opts.validator_parts[1] == 1)
      return refuse("--validator-parts: S is 0, or two or more lock shards");
  }
  if (opts.lock_shards != std::vector<uint32_t>{1} && !opts.validator_only)
    return refuse("--lock-shards runs with --validator-only");
  if (plan.share_modes.size() > 1 && (opts.distributed || !opts.config.empty()))
    return refuse("--shares both runs in-process only (not with --config or --distributed)");
  if (!opts.data_dir.empty()) {
    std::error_code ec;
    fs::create_directories(opts.data_dir, ec);
    if (ec || !fs::is_directory(opts.data_dir))
      return refuse("--data " + opts.data_dir + ": cannot create the directory: "
                    + (ec ? ec.message() : std::string{"not a directory"}));
  }
  return plan;
}

} // namespace acfts
