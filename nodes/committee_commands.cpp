#include "nodes/committee_commands.hpp"

#include <iostream>
#include <set>

#include <unistd.h>

#include "config/cluster_file.hpp"
#include "config/lock_file.hpp"
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
    return fail(describe(now.error()));
  const auto& net = now->net;
  if (!net.governance)
    return fail("invalid_change: " + config
                + " names no governance policy (`governance = \"thresh(...)\"`): its committee "
                  "cannot change");
  auto next = load_cluster_file(next_file);
  if (!next)
    return fail(describe(next.error()));
  change_request req;
  req.change = committee_change{net.id, net.epoch + 1, next->net.members};
  auto after = next_network(net, req.change);
  if (!after)
    return fail(describe(after.error()));
  req.approval.spend_policy = *net.governance;
  if (auto err = write_change_file(out, req, false))
    return fail(describe(err));
  std::cout << "change of committee " << net.id.hex() << " (epoch " << net.epoch << ")\n"
            << "  to " << after->id.hex() << " (epoch " << after->epoch << ", f = " << after->f()
            << "): " << members_text(after->members) << "\n"
            << "  written to " << out << "; it needs the signatures of the governance policy "
            << policy_text(*net.governance) << " (acfts committee sign " << out << " --key FILE)"
            << std::endl;
  return 0;
}

int run_committee_sign(const std::string& file, const std::string& key_file) {
  auto req = read_change_file(file);
  if (!req)
    return fail(describe(req.error()));
  auto key = read_owner_key_file(key_file);
  if (!key)
    return fail(describe(key.error()));
  auto added = sign_policy(req->approval, change_hash(req->change), {&*key});
  if (added == 0)
    return fail("unknown_key: " + key_file
                + " is none of the governance policy's keys, or signed this change already");
  if (auto err = write_change_file(file, *req, true))
    return fail(describe(err));
  std::cout << "signed the change to epoch " << req->change.next_epoch << " ("
            << members_text(req->change.next) << "): " << approval_text(*req) << std::endl;
  return 0;
}

int run_validator_seal(const std::string& config, const std::string& name,
                       const std::string& change_file, const std::string& out) {
  auto c = load_cluster_file(config);
  if (!c)
    return fail(describe(c.error()));
  const auto* v = c->validator(name);
  if (v == nullptr)
    return fail("invalid_config: " + config + ": no validator named '" + name + "'");
  if (v->key_file.empty() || v->data_dir.empty())
    return fail("invalid_config: " + config + ": validator '" + name
                + "' has no key_file or data_dir here");
  auto approved = approved_change(c->net, change_file);
  if (!approved)
    return fail(describe(approved.error()));
  const auto* next = &approved->second;
  auto index = static_cast<uint16_t>(v - c->validators.data());
  auto store = validator_store::open(v->data_dir, c->net.id, index);
  if (!store)
    return fail(describe(store.error())
                + " (a running validator holds its store: stop it, seal, start it again)");
  auto sealed = (*store)->seal();
  if (!sealed)
    return fail(describe(sealed.error()));
  seal_statement s;
  if (*sealed) {
    if ((*sealed)->next_id != next->id)
      return fail("invalid_change: " + name + " sealed already for committee "
                  + (*sealed)->next_id.hex() + ", not " + next->id.hex());
    s = **sealed; // the same change again: the same statement
  } else {
    auto key = read_key_file(v->key_file);
    if (!key)
      return fail(describe(key.error()));
    if (key->public_key() != v->key)
      return fail("invalid_key_file: " + v->key_file + " is not " + name + "'s key");
    std::vector<std::pair<output_ref, hash32>> locks;
    if (auto err = (*store)->for_each_lock(
          [&](const output_ref& in, const hash32& tx) { locks.emplace_back(in, tx); }))
      return fail(describe(err));
    s = make_seal(c->net, index, *key, next->id, locks);
    if (auto err = (*store)->put_seal(s))
      return fail(describe(err));
  }
  auto file = out.empty() ? name + ".seal" : out;
  if (::access(file.c_str(), F_OK) != 0)
    if (auto err = write_seal_file(file, s))
      return fail(describe(err));
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
    return fail(describe(c.error()));
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
    return fail(describe(sealed.error()));
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
    return fail(describe(err));
  size_t unproven = 0;
  if (auto err = (*store)->for_each_lock([&](const output_ref&, const hash32& tx) {
        if (proven.count(tx) == 0 && tx != unspendable_tx())
          ++unproven;
      }))
    return fail(describe(err));
  if (unproven != 0)
    return fail("storage_error: " + std::to_string(unproven)
                + " locks of this store have no request (given before requests were kept with "
                  "them): they cannot be handed over, so the change cannot use this store");
  if (auto err = write_lock_file(out, set))
    return fail(describe(err));
  std::cout << name << ": " << set.seal.locks << " locks of " << set.requests.size()
            << " transactions, sealed for " << set.seal.next_id.hex() << ", written to " << out
            << std::endl;
  return 0;
}

int run_validator_import_locks(const std::string& config, const std::string& name,
                               const std::string& old_config, const std::string& change_file,
                               const std::vector<std::string>& from) {
  auto old = load_cluster_file(old_config);
  if (!old)
    return fail(describe(old.error()));
  auto approved = approved_change(old->net, change_file);
  if (!approved)
    return fail(describe(approved.error()));
  const auto* next = &approved->second;
  auto c = load_cluster_file(config);
  if (!c)
    return fail(describe(c.error()));
  const auto* v = c->validator(name);
  if (v == nullptr || v->data_dir.empty())
    return fail("invalid_config: " + config + ": no validator named '" + name + "' with a store");
  uint16_t index = 0;
  while (index < next->size() && next->members.members[index].key != v->key)
    ++index;
  if (index == next->size())
    return fail("invalid_change: " + name + "'s key is not one of the next committee's");
  std::vector<lock_export> sets;
  for (const auto& f : from) {
    auto set = read_lock_file(f);
    if (!set)
      return fail(describe(set.error()));
    sets.push_back(std::move(*set));
  }
  auto merged = merge_lock_sets(old->net, next->id, sets);
  if (!merged)
    return fail(describe(merged.error()));
  auto store = validator_store::open(v->data_dir, next->id, index);
  if (!store)
    return fail(describe(store.error()));
  if (auto err = (*store)->import_locks(*merged))
    return fail(describe(err));
  for (const auto& why : merged->refused)
    std::cout << "refused: " << why << "\n";
  std::string used;
  for (auto i : merged->validators)
    used += (used.empty() ? "" : ", ") + old->net.members.members[i].name;
  std::cout << name << " of committee " << next->id.hex() << " starts from " << merged->locks.size()
            << " locks and " << merged->unspendable.size() << " unspendable inputs, merged from "
            << merged->validators.size() << " sealed lock sets (" << used << ")" << std::endl;
  return 0;
}

} // namespace acfts
