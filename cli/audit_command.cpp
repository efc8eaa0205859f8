#include "cli/audit_command.hpp"
#include "nodes/node_runtime.hpp"

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

#include "config/cluster_file.hpp"
#include "config/tx_file.hpp"
#include "cli/proof_commands.hpp"
#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "audit/audit.hpp"

namespace acfts {

int run_audit(const std::string& config, bool json, const std::vector<std::string>& skip,
              const std::string& proofs_dir) {
  auto cluster = load_cluster_file(config);
  if (!cluster) {
    std::cerr << "acfts: " << describe(cluster.error()) << std::endl;
    return 2;
  }
  if (cluster->file_kind != cluster_file::kind::cluster) {
    std::cerr << "acfts: audit: " << config
              << " is not a cluster file: the audit reads every store of the network, so it "
                 "needs the file that lists them all"
              << std::endl;
    return 2;
  }
  for (const auto& name : skip)
    if (!cluster->validator(name)) {
      std::cerr << "acfts: " << config << ": no validator named '" << name << "'" << std::endl;
      return 2;
    }
  std::vector<audited_validator> vals;
  for (size_t i = 0; i < cluster->validators.size(); ++i)
    if (std::find(skip.begin(), skip.end(), cluster->validators[i].name) == skip.end())
      vals.push_back(
        {cluster->validators[i].name, cluster->validators[i].data_dir, static_cast<uint16_t>(i)});
  std::vector<audited_wallet> wals;
  for (const auto& w : cluster->wallets) {
    audited_wallet aw{w.name, w.data_dir, {}};
    for (const auto& a : w.addresses)
      aw.addresses.push_back(a.addr());
    wals.push_back(std::move(aw));
  }
  auto rep = audit_stores(cluster->net, vals, wals);
  if (!rep) {
    std::cerr << "acfts: audit: " << describe(rep.error()) << std::endl;
    return 2;
  }
  // One file per double-sign, for anyone to check with the committee file alone.
  std::vector<std::string> proof_files;
  if (!proofs_dir.empty() && !rep->proofs.empty()) {
    if (::mkdir(proofs_dir.c_str(), 0700) != 0 && errno != EEXIST) {
      std::cerr << "acfts: audit: cannot create " << proofs_dir << std::endl;
      return 2;
    }
    for (const auto& p : rep->proofs) {
      auto file = proofs_dir + "/"
                  + proof_file_name(cluster->validators[p.first_share.validator_index].name,
                                    tx_hash(p.first).hex(), tx_hash(p.second).hex());
      if (::access(file.c_str(), F_OK) == 0)
        continue; // written by an earlier audit: its name says which double-sign it proves
      if (auto err = write_proof_file(file, p)) {
        std::cerr << "acfts: audit: " << describe(err) << std::endl;
        return 2;
      }
      proof_files.push_back(file);
    }
  }
  if (json) {
    nlohmann::ordered_json out;
    out["ok"] = rep->ok();
    out["equivocations"] = rep->proofs.size();
    out["proof_files"] = proof_files;
    out["validators"] = rep->validators;
    out["wallets"] = rep->wallets;
    out["locks"] = rep->locks;
    out["signatures"] = rep->signatures;
    out["certified"] = rep->certified;
    out["pending"] = rep->pending;
    out["undelivered"] = rep->undelivered;
    out["genesis_supply"] = rep->genesis_supply.units();
    out["unspent_supply"] = rep->unspent_supply.units();
    out["wallet_total"] = rep->wallet_total.units();
    const auto& c = rep->checks;
    out["checks"] = {{"stored_signatures_verified", c.stored_signatures_verified},
                     {"certificate_copies_verified", c.certificate_copies_verified},
                     {"shares_held_against_validators", c.shares_held_against_validators},
                     {"locks_held_against_shares", c.locks_held_against_shares},
                     {"records_decoded", c.records_decoded}};
    out["breaches"] = rep->breaches;
    std::cout << out.dump() << std::endl;
  } else {
    std::cout << "audit of " << rep->validators << " validators and " << rep->wallets
              << " wallets: " << rep->locks << " locks, " << rep->signatures << " signatures, "
              << rep->certified << " certified transactions, " << rep->pending
              << " pending payments, " << rep->undelivered << " undelivered hand-offs\n"
              << "supply: genesis " << rep->genesis_supply << ", unspent " << rep->unspent_supply
              << ", held by wallets " << rep->wallet_total << "\n";
    const auto& c = rep->checks;
    std::cout << "checks: " << c.stored_signatures_verified << " stored signatures verified, "
              << c.certificate_copies_verified << " certificate copies verified, "
              << c.shares_held_against_validators << " shares and " << c.locks_held_against_shares
              << " locks held against the validators' stores, " << c.records_decoded
              << " records decoded canonically\n";
    for (const auto& b : rep->breaches)
      std::cout << "BREACH: " << b << "\n";
    for (const auto& f : proof_files)
      std::cout << "proof written: " << f << "\n";
    if (!rep->proofs.empty() && proofs_dir.empty())
      std::cout << rep->proofs.size()
                << " equivocation proofs: `--proofs DIR` writes them for `acfts proof verify`\n";
    std::cout << (rep->ok() ? "OK: every invariant holds" : "FAILED") << std::endl;
  }
  return rep->ok() ? 0 : 1;
}

command_runner add_audit_command(CLI::App& app) {
  struct options {
    std::string config, proofs;
    std::vector<std::string> skip;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto audit_cmd = app.add_subcommand(
    "audit", "Check every store of a stopped cluster: no double spend, supply whole, ...");
  audit_cmd->add_option("--config", o->config, "cluster.toml (every store of the network)")
    ->required();
  audit_cmd->add_flag("--json", o->json, "One JSON object");
  audit_cmd->add_option("--proofs", o->proofs,
                        "Write one equivocation proof per double-sign found into DIR");
  audit_cmd->add_option("--skip", o->skip,
                        "Leave out these validators' stores (known damaged: counted as faulty)");
  return [=]() -> std::optional<int> {
    if (!*audit_cmd)
      return std::nullopt;
    return run_audit(o->config, o->json, o->skip, o->proofs);
  };
}

} // namespace acfts
