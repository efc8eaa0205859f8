#include "cli/tx_commands.hpp"
#include "cli/number_option.hpp"
#include "cli/delivery.hpp"

#include <chrono>
#include <ctime>
#include <iostream>
#include <map>

#include <sys/stat.h>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/atoms.hpp"
#include "config/payment_uri.hpp"
#include "config/tx_file.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "cli/client.hpp"
#include "nodes/node_runtime.hpp"
#include "protocol/cosign.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/policy_text.hpp"

namespace acfts {

namespace {

void print_summary(const cosign_summary& s, const sign_request& req, std::ostream& out) {
  out << "transaction " << s.tx.hex() << "\n";
  for (const auto& in : s.inputs) {
    out << "  spends  " << in.ref.tx.short_hex() << ":" << in.ref.index;
    if (in.spent)
      out << "  " << in.spent->value << " of " << in.spent->owner.hex();
    else
      out << "  (an output of the genesis)";
    out << "\n";
  }
  for (const auto& o : req.tx.outputs)
    out << "  pays    " << o.value << " to " << o.owner.hex() << "\n";
  for (const auto& k : s.single_keys)
    out << "  signed by " << k.key << (k.valid ? "" : "  (SIGNATURE DOES NOT VERIFY)") << "\n";
  for (const auto& p : s.policies) {
    out << "  policy of " << p.owner.hex() << ": " << p.text << "\n";
    for (const auto& k : p.keys)
      out << "    " << (k.signed_ ? (k.valid ? "signed   " : "BAD SIG  ") : "unsigned ") << k.key
          << "\n";
    out << "    " << missing_text(p.report) << "\n";
  }
  out << (s.complete()      ? "complete: any wallet may submit it (`acfts tx submit`)"
          : s.bad_signature ? "a signature does not verify: do not submit this file"
                            : "incomplete: more signatures are needed (`acfts tx sign`)")
      << std::endl;
}

nlohmann::ordered_json summary_json(const cosign_summary& s, const sign_request& req) {
  nlohmann::ordered_json j;
  j["tx"] = s.tx.hex();
  j["committee"] = req.committee_id.hex();
  j["inputs"] = nlohmann::ordered_json::array();
  for (const auto& in : s.inputs) {
    nlohmann::ordered_json i;
    i["tx"] = in.ref.tx.hex();
    i["index"] = in.ref.index;
    if (in.spent) {
      i["owner"] = in.spent->owner.hex();
      i["amount"] = in.spent->value.units();
    } else {
      i["genesis"] = true;
    }
    j["inputs"].push_back(i);
  }
  j["outputs"] = nlohmann::ordered_json::array();
  for (const auto& o : req.tx.outputs)
    j["outputs"].push_back({{"owner", o.owner.hex()}, {"amount", o.value.units()}});
  j["keys"] = nlohmann::ordered_json::array();
  for (const auto& k : s.single_keys)
    j["keys"].push_back({{"key", k.key}, {"valid", k.valid}});
  j["policies"] = nlohmann::ordered_json::array();
  for (const auto& p : s.policies) {
    nlohmann::ordered_json pj;
    pj["address"] = p.owner.hex();
    pj["policy"] = p.text;
    pj["keys"] = nlohmann::ordered_json::array();
    for (const auto& k : p.keys)
      pj["keys"].push_back({{"key", k.key}, {"signed", k.signed_}, {"valid", k.valid}});
    pj["satisfied"] = p.report.satisfied;
    pj["weight"] = p.report.weight;
    pj["needed"] = p.report.needed;
    pj["missing"] = p.report.needed - std::min(p.report.weight, p.report.needed);
    j["policies"].push_back(pj);
  }
  j["complete"] = s.complete();
  return j;
}

} // namespace

int run_tx_create(const tx_create_options& opts) {
  auto found = find_wallet(opts.config, opts.wallet);
  if (!found)
    return fail(found.error());
  auto from = found->cluster.find_address(opts.from);
  if (!from || from->first != &found->entry())
    return fail("unknown_address: wallet " + found->entry().name + " holds no address '" + opts.from
                + "'");
  auto to = resolve_address(found->cluster, opts.to);
  if (!to)
    return fail(to.error());
  if (::access(opts.out.c_str(), F_OK) == 0) // before anything is reserved
    return fail("invalid_tx_file: " + opts.out + ": exists already (not overwritten)");
  auto req = ask_wallet(*found, control::hold{from->second->addr(), *to, amount{opts.amount}});
  if (!req)
    return fail(req.error());
  auto tx = tx_hash(req->tx);
  auto creator = endpoint{found->entry().host, found->entry().port}.text();
  if (auto err = write_tx_file(opts.out, *req, false, creator))
    return fail(describe(err) + "; the wallet holds the request: `acfts tx abandon " + tx.hex()
                + "` frees its inputs");
  print_summary(summarize(*req, static_cast<uint64_t>(std::time(nullptr))), *req, std::cout);
  std::cout << "wrote " << opts.out << "; wallet " << opts.wallet
            << " keeps its inputs reserved until it is submitted or abandoned" << std::endl;
  return 0;
}

int run_tx_sign(const std::string& file, const std::string& key_file) {
  std::string creator;
  auto req = read_tx_file(file, &creator);
  if (!req)
    return fail(req.error());
  auto key = read_owner_key_file(key_file);
  if (!key)
    return fail(key.error());
  auto before = summarize(*req, static_cast<uint64_t>(std::time(nullptr)));
  print_summary(before, *req, std::cout);
  size_t added = 0, named = 0;
  for (auto& w : req->policy_witnesses) {
    for (const auto* leaf : key_leaves(w.spend_policy))
      named += key_of(*leaf) == key->public_key() ? 1 : 0;
    added += sign_policy(w, before.tx, {&*key});
  }
  if (named == 0)
    return fail(
      make_error(ec::unknown_key, "no policy of " + file + " names " + key->public_key().text()));
  if (added == 0) {
    std::cout << key->public_key().text() << " signed this file already" << std::endl;
    return 0;
  }
  if (auto err = write_tx_file(file, *req, true, creator))
    return fail(err);
  auto after = summarize(*req, static_cast<uint64_t>(std::time(nullptr)));
  std::cout << "added the signature of " << key->public_key().text() << "; ";
  for (const auto& p : after.policies)
    std::cout << "policy of " << p.owner.short_hex() << ": " << missing_text(p.report) << "; ";
  std::cout << (after.complete() ? "complete" : "incomplete") << std::endl;
  return 0;
}

int run_tx_show(const std::string& file, bool json) {
  auto req = read_tx_file(file);
  if (!req)
    return fail(req.error(), json);
  auto s = summarize(*req, static_cast<uint64_t>(std::time(nullptr)));
  if (json)
    std::cout << summary_json(s, *req).dump() << std::endl;
  else
    print_summary(s, *req, std::cout);
  if (s.bad_signature)
    return 1;
  return s.complete() ? 0 : exit_pending;
}

int run_tx_submit(const std::string& file, const std::string& config, const std::string& wallet,
                  double timeout_seconds) {
  std::string creator;
  auto req = read_tx_file(file, &creator);
  if (!req)
    return fail(req.error());
  // Judged here first, so that an incomplete file reserves and sends nothing; the validators
  // judge it again (conditions by their own clocks).
  auto summary = summarize(*req, static_cast<uint64_t>(std::time(nullptr)));
  if (auto err = incomplete(summary))
    return fail(err);
  auto timeout =
    std::chrono::duration_cast<caf::timespan>(std::chrono::duration<double>(timeout_seconds));
  auto tx = ask_wallet(config, wallet, control::submit{*req, creator}, timeout);
  if (!tx && code_of(tx.error()) == ec::timeout) {
    std::cout << summary.tx.hex() << std::endl;
    std::cerr << "acfts: pending: " << summary.tx.hex() << " is not final yet; wallet " << wallet
              << " keeps retrying it; ask `acfts tx status --wallet " << wallet << " "
              << summary.tx.hex() << "`" << std::endl;
    return exit_pending;
  }
  if (!tx)
    return fail(tx.error());
  std::cout << tx->hex() << std::endl;
  return 0;
}

int run_tx_export_all(const std::string& config, const std::string& wallet,
                      const std::string& out_dir) {
  if (::access(out_dir.c_str(), F_OK) == 0)
    return fail("invalid_tx_file: " + out_dir + ": exists already (not overwritten)");
  auto all = ask_wallet(config, wallet, control::export_all{}, std::chrono::seconds(60));
  if (!all)
    return fail(all.error());
  if (::mkdir(out_dir.c_str(), 0700) != 0)
    return fail("invalid_tx_file: " + out_dir + ": cannot create");
  for (const auto& ct : *all) {
    auto file = out_dir + "/" + ct.cert.tx_hash.hex() + ".cert";
    if (auto err = write_certified_file(file, ct))
      return fail(err);
  }
  std::cout << "wrote " << all->size() << " certified transactions to " << out_dir
            << ": every one that created a coin the wallet holds (`acfts tx import` each into a "
               "wallet with the keys)"
            << std::endl;
  return 0;
}

int run_tx_export(const std::string& tx, const std::string& config, const std::string& wallet,
                  const std::string& out) {
  if (!hash32::from_hex(tx))
    return fail("malformed_message: not a transaction hash: " + tx);
  if (::access(out.c_str(), F_OK) == 0)
    return fail("invalid_tx_file: " + out + ": exists already (not overwritten)");
  auto ct = ask_wallet(config, wallet, control::export_tx{*hash32::from_hex(tx)});
  if (!ct)
    return fail(ct.error());
  if (auto err = write_certified_file(out, *ct))
    return fail(err);
  std::cout << "wrote " << out << ": transaction " << tx << ", certified by "
            << ct->cert.sigs.size() << " validators" << std::endl;
  return 0;
}

int run_tx_import(const std::string& file, const std::string& config, const std::string& wallet) {
  auto ct = read_certified_file(file);
  if (!ct)
    return fail(ct.error());
  auto tx = ask_wallet(config, wallet, control::import_tx{*ct});
  if (!tx)
    return fail(tx.error());
  std::cout << tx->hex() << std::endl;
  return 0;
}

int run_tx_abandon(const std::string& target, const std::string& config,
                   const std::string& wallet) {
  std::string tx = target;
  if (!hash32::from_hex(target)) {
    auto req = read_tx_file(target);
    if (!req)
      return fail(req.error());
    tx = tx_hash(req->tx).hex();
  }
  if (auto done = ask_wallet(config, wallet, control::abandon{*hash32::from_hex(tx)}); !done)
    return fail(done.error());
  std::cout << "abandoned " << tx << ": its inputs are spendable again" << std::endl;
  return 0;
}

command_runner add_tx_commands(CLI::App& app) {
  struct options {
    tx_create_options create;
    std::string config, wallet, hash, file, key_file, out, resend_to;
    double timeout = 30;
    bool all = false, json = false;
  };
  auto o = std::make_shared<options>();
  auto tx_cmd = app.add_subcommand("tx", "Transactions of a running wallet node");
  tx_cmd->require_subcommand(1);
  auto wallet_file = [o](CLI::App* cmd) {
    return cmd->add_option("--config", o->config, "A wallet file, or cluster.toml")->required();
  };
  auto status_cmd =
    tx_cmd->add_subcommand("status", "Final, pending, failed or unknown, as the wallet knows it");
  wallet_file(status_cmd);
  status_cmd->add_option("--wallet", o->wallet,
                         "Wallet (w0, ...; default: the file's only wallet)");
  status_cmd->add_option("hash", o->hash, "Transaction hash (64 hex digits)")->required();
  status_cmd->add_flag("--json", o->json, "One JSON object");

  auto create_cmd = tx_cmd->add_subcommand(
    "create", "Plan a payment on a running wallet node, reserve its inputs, sign with the keys "
              "the wallet holds, and write it to a transaction file for co-signers");
  create_cmd->add_option("--config", o->create.config, "A wallet file, or cluster.toml")
    ->required();
  create_cmd->add_option("--wallet", o->create.wallet,
                         "Paying wallet (w0, ...; default: the file's only wallet)");
  create_cmd->add_option("--from", o->create.from, "Paying address (a name)")->required();
  create_cmd->add_option("--to", o->create.to, "Payee address: a name or 64 hex digits")
    ->required();
  add_amount(create_cmd, "--amount", o->create.amount, "Units to pay")->required();
  create_cmd->add_option("--out", o->create.out, "The transaction file to write (new)")->required();

  auto sign_cmd = tx_cmd->add_subcommand(
    "sign", "Offline: show what a transaction file pays and to whom, then add one key's signature");
  sign_cmd->add_option("file", o->file, "The transaction file")->required();
  sign_cmd->add_option("--key", o->key_file, "A key file (any scheme)")->required();

  auto show_cmd = tx_cmd->add_subcommand(
    "show", "Offline: inputs, outputs, amounts, which keys signed, what each policy still needs");
  show_cmd->add_option("file", o->file, "The transaction file")->required();
  show_cmd->add_flag("--json", o->json, "One JSON object");

  auto submit_cmd = tx_cmd->add_subcommand(
    "submit", "Have any running wallet node submit a signed transaction file and follow it to "
              "finality");
  submit_cmd->add_option("file", o->file, "The transaction file")->required();
  wallet_file(submit_cmd);
  submit_cmd->add_option("--wallet", o->wallet,
                         "Submitting wallet (w0, ...; default: the file's only wallet)");
  submit_cmd->add_option("--timeout", o->timeout, "Seconds to wait before reporting pending");

  auto export_cmd = tx_cmd->add_subcommand(
    "export", "Write a certified transaction the wallet holds to a file, for a payee that no "
              "node of the payer can reach");
  auto export_hash = export_cmd->add_option("hash", o->hash, "Transaction hash (64 hex digits)");
  export_cmd
    ->add_flag("--all", o->all,
               "Every certified transaction that created a coin the wallet holds; --out is then a "
               "new directory")
    ->excludes(export_hash);
  wallet_file(export_cmd);
  export_cmd->add_option("--wallet", o->wallet, "The wallet that holds it");
  export_cmd->add_option("--out", o->out, "The file (or, with --all, directory) to write (new)")
    ->required();
  auto import_cmd = tx_cmd->add_subcommand(
    "import", "Hand a file of `tx export` to a running wallet, which verifies it first");
  import_cmd->add_option("file", o->file, "The file `tx export` wrote")->required();
  wallet_file(import_cmd);
  import_cmd->add_option("--wallet", o->wallet, "The payee's wallet");

  auto undelivered_cmd = tx_cmd->add_subcommand(
    "undelivered", "Final payments whose payee's wallet has not acknowledged them: route, tries, "
                   "last error (exit 3 when there is any)");
  wallet_file(undelivered_cmd);
  undelivered_cmd->add_option("--wallet", o->wallet,
                              "Wallet (w0, ...; default: the file's only wallet)");
  undelivered_cmd->add_flag("--json", o->json,
                            "One JSON object: undelivered [{tx, payee, endpoint, tries, "
                            "last_error, refused}]");
  auto resend_cmd = tx_cmd->add_subcommand(
    "resend", "Offer an undelivered payment to its payee again now; with --to, at the node of a "
              "payment URI from now on");
  resend_cmd->add_option("hash", o->hash, "Transaction hash (64 hex digits)")->required();
  wallet_file(resend_cmd);
  resend_cmd->add_option("--wallet", o->wallet,
                         "The paying wallet (default: the file's only wallet)");
  resend_cmd->add_option("--to", o->resend_to,
                         "A payment URI of the payee (acfts:ADDRESS?node=HOST:PORT): its "
                         "wallet's node");
  resend_cmd->add_flag("--json", o->json, "One JSON object: tx, delivery, undelivered");

  auto abandon_cmd = tx_cmd->add_subcommand(
    "abandon", "Let a wallet free the inputs it reserved for a transaction file (only if no "
               "signed copy was ever submitted)");
  abandon_cmd->add_option("target", o->file, "The transaction file, or its hash")->required();
  wallet_file(abandon_cmd);
  abandon_cmd->add_option("--wallet", o->wallet, "The wallet that created it");

  return [=]() -> std::optional<int> {
    if (*status_cmd)
      return run_tx_status(o->config, o->wallet, o->hash, o->json);
    if (*create_cmd)
      return run_tx_create(o->create);
    if (*sign_cmd)
      return run_tx_sign(o->file, o->key_file);
    if (*show_cmd)
      return run_tx_show(o->file, o->json);
    if (*submit_cmd)
      return run_tx_submit(o->file, o->config, o->wallet, o->timeout);
    if (*export_cmd && o->all)
      return run_tx_export_all(o->config, o->wallet, o->out);
    if (*export_cmd && o->hash.empty()) {
      std::cerr << "acfts: tx export: give a transaction hash, or --all" << std::endl;
      return exit_usage;
    }
    if (*export_cmd)
      return run_tx_export(o->hash, o->config, o->wallet, o->out);
    if (*import_cmd)
      return run_tx_import(o->file, o->config, o->wallet);
    if (*undelivered_cmd)
      return run_tx_undelivered(o->config, o->wallet, o->json);
    if (*resend_cmd)
      return run_tx_resend(o->config, o->wallet, o->hash, o->resend_to, o->json);
    if (*abandon_cmd)
      return run_tx_abandon(o->file, o->config, o->wallet);
    return std::nullopt;
  };
}

} // namespace acfts
