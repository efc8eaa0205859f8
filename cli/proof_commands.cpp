#include "cli/proof_commands.hpp"

#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "actors/atoms.hpp"
#include "config/cluster_file.hpp"
#include "config/tx_file.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "cli/client.hpp"
#include "nodes/node_runtime.hpp"
#include "protocol/equivocation.hpp"

namespace acfts {

namespace {

nlohmann::ordered_json proof_json(const network& net, const equivocation& e, size_t bytes_size) {
  auto inputs = nlohmann::ordered_json::array();
  for (const auto& in : e.inputs)
    inputs.push_back(short_text(in));
  return {{"validator", net.members.members[e.validator].name},
          {"validator_index", e.validator},
          {"inputs", inputs},
          {"first_tx", e.first_tx.hex()},
          {"second_tx", e.second_tx.hex()},
          {"bytes", bytes_size}};
}

} // namespace

std::string proof_file_name(const std::string& validator, const std::string& first_tx,
                            const std::string& second_tx) {
  return validator + "-" + first_tx.substr(0, 12) + "-" + second_tx.substr(0, 12) + ".equivocation";
}

int run_proof_verify(const std::string& file, const std::string& config, bool json) {
  auto c = load_cluster_file(config);
  if (!c)
    return fail(c.error(), json);
  auto proof = read_proof_file(file);
  if (!proof)
    return fail(proof.error(), json);
  auto size = encode(*proof).size();
  auto start = std::chrono::steady_clock::now();
  auto e = verify_equivocation(c->net, *proof);
  auto took = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start);
  if (!e)
    return fail(e.error(), json);
  if (json) {
    auto out = proof_json(c->net, *e, size);
    out["valid"] = true;
    out["verify_us"] = took.count();
    std::cout << out.dump() << std::endl;
  } else {
    std::cout << "valid: " << describe(c->net, *e) << "\n"
              << "(" << size << " bytes of proof, checked in " << took.count()
              << " µs with the committee file alone)" << std::endl;
  }
  return 0;
}

int run_proof_list(const std::string& config, const std::string& wallet, const std::string& out_dir,
                   bool json) {
  if (!out_dir.empty() && ::access(out_dir.c_str(), F_OK) == 0)
    return fail("invalid_tx_file: " + out_dir + ": exists already (not overwritten)", json);
  auto found = find_wallet(config, wallet);
  if (!found)
    return fail(found.error(), json);
  const auto& net = found->cluster.net;
  auto all = ask_wallet(*found, control::proofs{});
  if (!all)
    return fail(all.error(), json);
  if (!out_dir.empty() && ::mkdir(out_dir.c_str(), 0700) != 0)
    return fail("invalid_tx_file: " + out_dir + ": cannot create", json);
  auto rows = nlohmann::ordered_json::array();
  for (const auto& proof : *all) {
    auto e = verify_equivocation(net, proof);
    if (!e)
      return fail("the wallet keeps a proof that does not verify: " + describe(e.error()), json);
    auto row = proof_json(net, *e, encode(proof).size());
    if (!out_dir.empty()) {
      auto file = out_dir + "/"
                  + proof_file_name(net.members.members[e->validator].name, e->first_tx.hex(),
                                    e->second_tx.hex());
      if (auto err = write_proof_file(file, proof))
        return fail(err, json);
      row["file"] = file;
    }
    if (!json)
      std::cout << describe(net, *e)
                << (out_dir.empty() ? "" : "\n  written to " + row["file"].get<std::string>())
                << "\n";
    rows.push_back(std::move(row));
  }
  if (json)
    std::cout << nlohmann::ordered_json{{"proofs", rows}}.dump() << std::endl;
  else if (rows.empty())
    std::cout << "no equivocation seen" << std::endl;
  std::cout << std::flush;
  return 0;
}

command_runner add_proof_commands(CLI::App& app) {
  struct options {
    std::string config, wallet, file, out;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto proof_cmd = app.add_subcommand(
    "proof", "Equivocation proofs: a validator's signatures on two spends of one coin");
  proof_cmd->require_subcommand(1);
  auto verify_cmd = proof_cmd->add_subcommand(
    "verify", "Check a proof with only the committee file: exit 0 and whom it convicts, or 1");
  verify_cmd->add_option("file", o->file, "The proof (.equivocation)")->required();
  verify_cmd->add_option("--config", o->config, "A committee, wallet or cluster file")->required();
  verify_cmd->add_flag("--json", o->json,
                       "One JSON object: validator, inputs, first_tx, second_tx, bytes, "
                       "verify_us");
  auto list_cmd = proof_cmd->add_subcommand(
    "list", "The proofs a running wallet made (each double-sign it saw, once), and with --out "
            "each as a file to publish");
  list_cmd->add_option("--config", o->config, "A wallet file, or cluster.toml")->required();
  list_cmd->add_option("--wallet", o->wallet, "The wallet (default: the file's only one)");
  list_cmd->add_option("--out", o->out, "A new directory to write each proof to");
  list_cmd->add_flag("--json", o->json, "One JSON object: proofs [{validator, inputs, ...}]");
  return [=]() -> std::optional<int> {
    if (*verify_cmd)
      return run_proof_verify(o->file, o->config, o->json);
    if (*list_cmd)
      return run_proof_list(o->config, o->wallet, o->out, o->json);
    return std::nullopt;
  };
}

} // namespace acfts
