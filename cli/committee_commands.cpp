#include "cli/committee_commands.hpp"

#include <iostream>
#include <filesystem>
#include <memory>
#include <set>

#include <unistd.h>

#include "config/cluster_file.hpp"
#include "config/lock_file.hpp"
#include "config/payment_uri.hpp"
#include "config/tx_file.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/error.hpp"
#include "nodes/node_runtime.hpp"
#include "persistence/validator_store.hpp"
#include "protocol/committee_change.hpp"
#include "protocol/cosign.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/policy_text.hpp"

namespace acfts {

namespace fs = std::filesystem;

namespace {

/// "weight W of N: satisfied" or what is missing, judged as the validators will.
std::string approval_text(const change_request& req) {
  transaction none;
  spend_context ctx{&none, change_hash(req.change), policy_address(req.approval.spend_policy), 0};
  auto r = report_policy(req.approval, ctx);
  return std::to_string(req.approval.sigs.size()) + " signatures, weight "
         + std::to_string(r.weight) + " of " + std::to_string(r.needed)
         + (r.satisfied ? ": approved" : ": not yet approved");
}

/// The change in `file`, approved for `net`, and the network it leads to.
caf::expected<std::pair<change_request, network>> approved_change(const network& net,
                                                                  const std::string& file) {
  auto req = read_change_file(file);
  if (!req)
    return req.error();
  if (auto err = verify_change(net, *req))
    return err;
  auto next = next_network(net, req->change);
  if (!next)
    return next.error();
  return std::make_pair(std::move(*req), std::move(*next));
}

std::string members_text(const committee& c) {
  std::string out;
  for (const auto& m : c.members)
    out += (out.empty() ? "" : ", ") + m.name + " (" + m.endpoint + ")";
  return out;
}

} // namespace

int run_committee_propose(const std::string& config, const std::string& next_file,
                          const std::string& out) {
  auto now = load_cluster_file(config);
  if (!now)
    return fail(now.error());
  const auto& net = now->net;
  if (!net.governance)
    return fail("invalid_change: " + config
                + " names no governance policy (`governance = \"thresh(...)\"`): its committee "
                  "cannot change");
  auto next = load_cluster_file(next_file);
  if (!next)
    return fail(next.error());
  change_request req;
  req.change = committee_change{net.id, net.epoch + 1, next->net.members};
  auto after = next_network(net, req.change);
  if (!after)
    return fail(after.error());
  req.approval.spend_policy = *net.governance;
  if (auto err = write_change_file(out, req, false))
    return fail(err);
  std::cout << "change of committee " << net.id.hex() << " (epoch " << net.epoch << ")\n"
            << "  to " << after->id.hex() << " (epoch " << after->epoch << ", f = " << after->f()
            << "): " << members_text(after->members) << "\n"
            << "  written to " << out << "; it needs the signatures of the governance policy "
            << policy_text(*net.governance) << " (acfts committee sign " << out << " --key FILE)"
            << std::endl;
  return 0;
}

int run_committee_follow(const std::string& config, const std::string& change_file,
                         const std::string& old_config, const std::string& out) {
  auto here = load_cluster_file(config);
  if (!here)
    return fail(here.error());
  // A wallet file follows through its committee file.
  auto path = config;
  if (here->file_kind == cluster_file::kind::wallet) {
    fs::path ref{here->committee_file};
    path = ref.is_absolute() ? ref.string() : (fs::path(config).parent_path() / ref).string();
  } else if (here->file_kind != cluster_file::kind::committee) {
    return fail("invalid_config: " + config
                + " is a cluster file; give a committee file (or a wallet file) to follow");
  }
  auto old = old_config.empty() ? here : load_cluster_file(old_config);
  if (!old)
    return fail(old.error());
  auto req = read_change_file(change_file);
  if (!req)
    return fail(req.error());
  if (committee_id(req->change.next, here->net.gen) == here->net.id
      && here->net.epoch == req->change.next_epoch) {
    std::cout << path << " follows committee " << here->net.id.hex() << " (epoch "
              << here->net.epoch << ") already" << std::endl;
    return 0;
  }
  auto approved = approved_change(old->net, change_file);
  if (!approved)
    return fail(approved.error());
  const auto& next = approved->second;
  // The next members, with what this file says only for its own operators (key files, stores,
  // metrics, TLS) kept for the keys it knows.
  cluster_file after = *here;
  after.file_kind = cluster_file::kind::committee;
  after.wallets.clear();
  after.genesis_address = old->genesis_address;
  after.genesis_amount = old->genesis_amount;
  after.validators.clear();
  for (const auto& m : next.members.members) {
    validator_entry v;
    for (const auto& known : here->validators)
      if (known.key == m.key)
        v = known;
    v.name = m.name;
    v.key = m.key;
    auto at = parse_endpoint(m.endpoint);
    if (!at)
      return fail("invalid_change: validator " + m.name
                  + " of the next committee has no valid "
                    "endpoint '"
                  + m.endpoint + "': " + describe(at.error()));
    v.host = at->host;
    v.port = at->port;
    after.validators.push_back(std::move(v));
  }
  after.net = next;
  auto target = out.empty() ? path : out;
  if (target == path) { // the file as it was stays next to it
    auto kept = path + ".epoch" + std::to_string(here->net.epoch);
    std::error_code ec_copy;
    fs::copy_file(path, kept, fs::copy_options::overwrite_existing, ec_copy);
    if (ec_copy)
      return fail("invalid_config: cannot keep " + path + " as " + kept + ": " + ec_copy.message());
  }
  if (auto err = write_committee_file(target, after))
    return fail(err);
  auto check = load_cluster_file(target);
  if (!check || check->net.id != next.id)
    return fail("invalid_config: " + target + " does not read back as committee " + next.id.hex()
                + (check ? "" : ": " + describe(check.error())));
  std::cout << target << " follows committee " << next.id.hex() << " (epoch " << next.epoch
            << "): " << members_text(next.members) << "; certificates of the " << next.past.size()
            << " committee(s) before it stay valid. Restart the nodes that "
            << "read it." << std::endl;
  return 0;
}

int run_committee_sign(const std::string& file, const std::string& key_file) {
  auto req = read_change_file(file);
  if (!req)
    return fail(req.error());
  auto key = read_owner_key_file(key_file);
  if (!key)
    return fail(key.error());
  auto added = sign_policy(req->approval, change_hash(req->change), {&*key});
  if (added == 0)
    return fail("unknown_key: " + key_file
                + " is none of the governance policy's keys, or signed this change already");
  if (auto err = write_change_file(file, *req, true))
    return fail(err);
  std::cout << "signed the change to epoch " << req->change.next_epoch << " ("
            << members_text(req->change.next) << "): " << approval_text(*req) << std::endl;
  return 0;
}

int run_validator_seal(const std::string& config, const std::string& name,
                       const std::string& change_file, const std::string& out) {
  auto c = load_cluster_file(config);
  if (!c)
    return fail(c.error());
  const auto* v = c->validator(name);
  if (v == nullptr)
    return fail("invalid_config: " + config + ": no validator named '" + name + "'");
  if (v->key_file.empty() || v->data_dir.empty())
    return fail("invalid_config: " + config + ": validator '" + name
                + "' has no key_file or data_dir here");
  auto approved = approved_change(c->net, change_file);
  if (!approved)
    return fail(approved.error());
  const auto* next = &approved->second;
  auto index = static_cast<uint16_t>(v - c->validators.data());
  auto store = validator_store::open(v->data_dir, c->net.id, index);
  if (!store)
    return fail(describe(store.error())
                + " (a running validator holds its store: stop it, seal, start it again)");
  auto sealed = (*store)->seal();
  if (!sealed)
    return fail(sealed.error());
  seal_statement s;
  if (*sealed) {
    if ((*sealed)->next_id != next->id)
      return fail("invalid_change: " + name + " sealed already for committee "
                  + (*sealed)->next_id.hex() + ", not " + next->id.hex());
    s = **sealed; // the same change again: the same statement
  } else {
    auto key = read_key_file(v->key_file);
    if (!key)
      return fail(key.error());
    if (key->public_key() != v->key)
      return fail("invalid_key_file: " + v->key_file + " is not " + name + "'s key");
    std::vector<std::pair<output_ref, hash32>> locks;
    if (auto err = for_each_validator_lock(
          **store, c->net.id, index,
          [&](const output_ref& in, const hash32& tx) { locks.emplace_back(in, tx); }))
      return fail(err);
    s = make_seal(c->net, index, *key, next->id, locks);
    if (auto err = (*store)->put_seal(s))
      return fail(err);
  }
  auto file = out.empty() ? name + ".seal" : out;
  if (::access(file.c_str(), F_OK) != 0)
    if (auto err = write_seal_file(file, s))
      return fail(err);
  std::cout << name << " sealed for committee " << next->id.hex() << " (epoch " << next->epoch
            << "): " << s.locks << " locks, root " << s.lock_root.hex() << "; statement in " << file
            << ". From its next start it locks no new input; retries of what it locked "
            << "still get their share." << std::endl;
  return 0;
}

int run_validator_export_locks(const std::string& config, const std::string& name,
                               const std::string& out) {
  auto c = load_cluster_file(config);
  if (!c)
    return fail(c.error());
  const auto* v = c->validator(name);
  if (v == nullptr || v->data_dir.empty())
    return fail("invalid_config: " + config + ": no validator named '" + name + "' with a store");
  if (::access(out.c_str(), F_OK) == 0)
    return fail("invalid_tx_file: " + out + ": exists already (not overwritten)");
  auto index = static_cast<uint16_t>(v - c->validators.data());
  auto store = validator_store::open(v->data_dir, c->net.id, index);
  if (!store)
    return fail(describe(store.error()) + " (stop the validator first)");
  auto sealed = (*store)->seal();
  if (!sealed)
    return fail(sealed.error());
  if (!*sealed)
    return fail("invalid_change: " + name
                + " has not sealed (acfts validator seal): its lock set "
                  "could still grow");
  lock_export set{**sealed, {}};
  std::set<hash32> proven;
  if (auto err = (*store)->for_each_request([&](const hash32& tx, sign_request req) {
        proven.insert(tx);
        set.requests.push_back(std::move(req));
      }))
    return fail(err);
  size_t unproven = 0;
  if (auto err = for_each_validator_lock(**store, c->net.id, index,
                                         [&](const output_ref&, const hash32& tx) {
                                           if (proven.count(tx) == 0 && tx != unspendable_tx())
                                             ++unproven;
                                         }))
    return fail(err);
  if (unproven != 0)
    return fail("storage_error: " + std::to_string(unproven)
                + " locks of this store have no request (given before requests were kept with "
                  "them): they cannot be handed over, so the change cannot use this store");
  if (auto err = write_lock_file(out, set))
    return fail(err);
  std::cout << name << ": " << set.seal.locks << " locks of " << set.requests.size()
            << " transactions, sealed for " << set.seal.next_id.hex() << ", written to " << out
            << std::endl;
  return 0;
}

namespace {

/// Starts the store of validator `v` of committee `next` from the sealed lock sets in the files
/// `from`, of the committee `old` (with its own past). With `once`, a store that holds locks
/// already (started before) is left as it is.
int import_lock_files(const network& old, const network& next, const validator_entry& v,
                      const std::vector<std::string>& from, bool once) {
  const auto& name = v.name;
  uint16_t index = 0;
  while (index < next.size() && next.members.members[index].key != v.key)
    ++index;
  if (index == next.size())
    return fail("invalid_change: " + name + "'s key is not one of the next committee's");
  if (once) {
    auto store = validator_store::open(v.data_dir, next.id, index);
    if (!store)
      return fail(store.error());
    auto started = (*store)->holds_locks();
    if (!started)
      return fail(started.error());
    if (*started) {
      std::cout << name << ": its store holds the hand-over already; --epoch-from is not read again"
                << std::endl;
      return 0;
    }
  }
  std::vector<lock_export> sets;
  for (const auto& f : from) {
    auto set = read_lock_file(f);
    if (!set)
      return fail(set.error());
    sets.push_back(std::move(*set));
  }
  auto merged = merge_lock_sets(old, next.id, sets);
  if (!merged)
    return fail(merged.error());
  auto store = validator_store::open(v.data_dir, next.id, index);
  if (!store)
    return fail(store.error());
  if (auto err = (*store)->import_locks(*merged))
    return fail(err);
  for (const auto& why : merged->refused)
    std::cout << "refused: " << why << "\n";
  std::string used;
  for (auto i : merged->validators)
    used += (used.empty() ? "" : ", ") + old.members.members[i].name;
  std::cout << name << " of committee " << next.id.hex() << " (epoch " << next.epoch
            << ") starts from " << merged->locks.size() << " locks and "
            << merged->unspendable.size() << " unspendable inputs, merged from "
            << merged->validators.size() << " sealed lock sets (" << used << ")" << std::endl;
  return 0;
}

/// The file `path`, which must name validator `name` with a store.
caf::expected<cluster_file> with_validator(const std::string& path, const std::string& name) {
  auto c = load_cluster_file(path);
  if (!c)
    return c.error();
  const auto* v = c->validator(name);
  if (v == nullptr || v->data_dir.empty())
    return make_error(ec::invalid_config,
                      path + ": no validator named '" + name + "' with a store");
  return c;
}

} // namespace

int run_validator_import_locks(const std::string& config, const std::string& name,
                               const std::string& old_config, const std::string& change_file,
                               const std::vector<std::string>& from) {
  auto old = load_cluster_file(old_config);
  if (!old)
    return fail(old.error());
  auto approved = approved_change(old->net, change_file);
  if (!approved)
    return fail(approved.error());
  auto c = with_validator(config, name);
  if (!c)
    return fail(c.error());
  return import_lock_files(old->net, approved->second, *c->validator(name), from, false);
}

int start_epoch(const std::string& config, const std::string& name,
                const std::vector<std::string>& from) {
  auto c = with_validator(config, name);
  if (!c)
    return fail(c.error());
  if (c->net.past.empty())
    return fail("invalid_change: " + config
                + " names no past committee ([[past]]): --epoch-from is for a committee that "
                  "took over from another (acfts committee follow writes its file)");
  auto old = c->net.past.back();
  old.past.assign(c->net.past.begin(), c->net.past.end() - 1);
  return import_lock_files(old, c->net, *c->validator(name), from, true);
}

std::function<std::optional<int>()> add_committee_commands(CLI::App& app, CLI::App& validator) {
  struct options {
    std::string config, name, change, next, out, key, old;
    std::vector<std::string> from;
  };
  auto o = std::make_shared<options>();
  auto committee = app.add_subcommand(
    "committee", "A change of committee, approved by the network's governance policy");
  committee->require_subcommand(1);
  auto propose = committee->add_subcommand(
    "propose", "Write a change from this committee to the validators of another file, for the "
               "governance keys to sign");
  propose->add_option("--config", o->config, "The committee (or cluster) file now")->required();
  propose->add_option("--next", o->next, "A committee file of the next validators")->required();
  propose->add_option("--out", o->out, "The change file to write (new)")->required();
  auto sign = committee->add_subcommand(
    "sign", "Offline: add one governance key's signature to a change file, and say what it "
            "still needs");
  sign->add_option("file", o->change, "The change file")->required();
  sign->add_option("--key", o->key, "A key file of the governance policy")->required();
  auto follow = committee->add_subcommand(
    "follow", "Rewrite a committee file (or a wallet's) for the committee an approved change "
              "leads to, keeping the chain of past committees");
  follow->add_option("--config", o->config, "A committee or wallet file")->required();
  follow->add_option("--change", o->change, "The approved change file")->required();
  follow->add_option("--old", o->old, "The old committee's file (default: --config)");
  follow->add_option("--out", o->out,
                     "Write here instead (default: in place, keeping FILE.epochN)");
  // A stopped validator of the committee file now, by name.
  auto stopped = [o](CLI::App* cmd) {
    cmd->add_option("--config", o->config, "committee.toml or cluster.toml")->required();
    cmd->add_option("--name", o->name, "The validator (v0, ...)")->required();
  };
  auto seal = validator.add_subcommand(
    "seal", "Seal a stopped validator for an approved change: sign its lock set's root, and lock "
            "no new input from its next start");
  stopped(seal);
  seal->add_option("--change", o->change, "The approved change file")->required();
  seal->add_option("--out", o->out, "The seal statement to write (default: NAME.seal)");
  auto export_locks = validator.add_subcommand(
    "export-locks", "Write a stopped, sealed validator's lock set (its seal and the request of "
                    "every lock) for the next committee");
  stopped(export_locks);
  export_locks->add_option("--out", o->out, "The lock file to write (new)")->required();
  auto import_locks = validator.add_subcommand(
    "import-locks", "Start a new validator's store from the sealed lock sets of at least 2f+1 "
                    "old validators");
  import_locks
    ->add_option("--config", o->config, "A file naming the new validator's key and data_dir")
    ->required();
  import_locks->add_option("--name", o->name, "The new validator")->required();
  import_locks->add_option("--old", o->old, "The old committee's file")->required();
  import_locks->add_option("--change", o->change, "The approved change file")->required();
  import_locks->add_option("--from", o->from, "A lock file (repeatable)")->required();
  return [=]() -> std::optional<int> {
    if (*propose)
      return run_committee_propose(o->config, o->next, o->out);
    if (*sign)
      return run_committee_sign(o->change, o->key);
    if (*follow)
      return run_committee_follow(o->config, o->change, o->old, o->out);
    if (*seal)
      return run_validator_seal(o->config, o->name, o->change, o->out);
    if (*export_locks)
      return run_validator_export_locks(o->config, o->name, o->out);
    if (*import_locks)
      return run_validator_import_locks(o->config, o->name, o->old, o->change, o->from);
    return std::nullopt;
  };
}

} // namespace acfts
