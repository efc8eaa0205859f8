#include "protocol/rules.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "messages/codec.hpp"
#include "messages/limits.hpp"
#include "protocol/merkle.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/share_cache.hpp"

namespace acfts {

caf::error check_transaction(const transaction& tx) {
  if (tx.inputs.empty())
    return make_error(ec::no_inputs);
  if (tx.outputs.empty())
    return make_error(ec::no_outputs);
  if (tx.inputs.size() > limits::max_inputs)
    return make_error(ec::too_many_inputs);
  if (tx.outputs.size() > limits::max_outputs)
    return make_error(ec::too_many_outputs);
  amount total = 0;
  for (size_t i = 0; i < tx.outputs.size(); ++i) {
    if (tx.outputs[i].value == 0)
      return make_error(ec::zero_amount, "output " + std::to_string(i));
    auto sum = checked_add(total, tx.outputs[i].value);
    if (!sum)
      return make_error(ec::amount_overflow, "outputs");
    total = *sum;
  }
  std::unordered_set<output_ref> seen;
  seen.reserve(tx.inputs.size());
  for (const auto& in : tx.inputs)
    if (!seen.insert(in).second)
      return make_error(ec::duplicate_input, short_text(in));
  return caf::none;
}

caf::expected<std::vector<output>>
resolve_inputs(const network& net, const transaction& tx,
               const std::vector<certified_transaction>& parents) {
  std::unordered_map<hash32, const transaction*> by_hash;
  by_hash.reserve(parents.size());
  for (const auto& p : parents) {
    // The certificate names the hash; verify_certificate later checks that it is the tx's hash.
    if (!by_hash.emplace(p.cert.tx_hash, &p.tx).second)
      return make_error(ec::unexpected_parent, "parent given twice");
  }
  std::unordered_set<hash32> used;
  std::vector<output> spent;
  spent.reserve(tx.inputs.size());
  amount total_in = 0;
  for (const auto& in : tx.inputs) {
    const transaction* source = nullptr;
    if (in.tx == net.genesis_hash) {
      source = &net.gen.tx;
    } else {
      auto i = by_hash.find(in.tx);
      if (i == by_hash.end())
        return make_error(ec::unknown_parent, in.tx.hex());
      source = i->second;
      used.insert(in.tx);
    }
    if (in.index >= source->outputs.size())
      return make_error(ec::input_index_out_of_range, short_text(in));
    const auto& out = source->outputs[in.index];
    auto sum = checked_add(total_in, out.value);
    if (!sum)
      return make_error(ec::amount_overflow, "inputs");
    total_in = *sum;
    spent.push_back(out);
  }
  if (used.size() != by_hash.size())
    return make_error(ec::unexpected_parent, "a parent that no input spends");
  amount total_out = 0;
  for (const auto& out : tx.outputs) {
    auto sum = checked_add(total_out, out.value);
    if (!sum)
      return make_error(ec::amount_overflow, "outputs");
    total_out = *sum;
  }
  if (total_in != total_out)
    return make_error(ec::sum_mismatch,
                      "inputs " + to_string(total_in) + " ≠ outputs " + to_string(total_out));
  return spent;
}

signature sign_certificate_share(const key_pair& key, const network& net, const hash32& tx) {
  return key.sign(domain::cert, net.id.data(), net.id.size, tx.data(), tx.size);
}

signature sign_batch_root(const key_pair& key, const network& net, const hash32& root) {
  return key.sign(domain::root, net.id.data(), net.id.size, root.data(), root.size);
}

bool verify_certificate_share(const network& net, uint16_t validator_index, const hash32& tx,
                              const signature& sig, const std::optional<merkle_path>& path) {
  if (validator_index >= net.size())
    return false;
  if (path)
    return verify_root_signature(net, validator_index, merkle_root(tx, *path), sig);
  return verify(net.members.members[validator_index].key, sig, domain::cert, net.id.data(),
                net.id.size, tx.data(), tx.size);
}

caf::error verify_certificate(const network& net, const certificate& cert, const hash32& tx,
                              const std::optional<validator_signature>& known_share) {
  if (cert.tx_hash != tx)
    return make_error(ec::invalid_certificate, "certificate names another transaction");
  if (cert.sigs.size() < net.quorum())
    return make_error(ec::invalid_certificate, std::to_string(cert.sigs.size())
                                                 + " signatures, quorum is "
                                                 + std::to_string(net.quorum()));
  std::vector<bool> seen(net.size(), false);
  for (const auto& s : cert.sigs) {
    if (s.validator_index >= net.size())
      return make_error(ec::invalid_certificate,
                        "signer " + std::to_string(s.validator_index) + " is not a member");
    if (seen[s.validator_index])
      return make_error(ec::invalid_certificate,
                        "signer " + std::to_string(s.validator_index) + " appears twice");
    seen[s.validator_index] = true;
  }
  // Every signature must verify: a certificate with a forged extra share is not a certificate,
  // whatever the others say.
  for (const auto& s : cert.sigs)
    if (!(known_share && s == *known_share)
        && !verify_certificate_share(net, s.validator_index, tx, s.sig, s.path))
      return make_error(ec::invalid_certificate, "signature of validator "
                                                   + std::to_string(s.validator_index)
                                                   + " does not verify for this committee");
  return caf::none;
}

caf::expected<const network*>
certifying_committee(const network& net, const certificate& cert, const hash32& tx,
                     const std::optional<validator_signature>& known_share) {
  auto err = verify_certificate(net, cert, tx, known_share);
  if (!err)
    return &net;
  for (auto p = net.past.rbegin(); p != net.past.rend(); ++p)
    if (!verify_certificate(*p, cert, tx))
      return &*p;
  return err;
}

caf::error verify_certified(const network& net, const certified_transaction& ct) {
  if (auto err = check_transaction(ct.tx))
    return err;
  auto by = certifying_committee(net, ct.cert, tx_hash(ct.tx));
  return by ? caf::none : by.error();
}

witness make_witness(const key_pair& owner, const hash32& tx) {
  return witness{owner.public_key(), owner.sign(domain::tx, tx.data(), tx.size)};
}

caf::error verify_witnesses(const hash32& tx, const sign_request& req,
                            const std::vector<output>& spent, uint64_t now) {
  const auto& witnesses = req.witnesses;
  const auto& policies = req.policy_witnesses;
  size_t presented = 0;
  for (const auto& pw : policies)
    presented += pw.sigs.size();
  if (presented > limits::max_signature_checks)
    return make_error(ec::policy_over_limit,
                      std::to_string(presented) + " policy signatures in one request (at most "
                        + std::to_string(limits::max_signature_checks) + ")");
  std::unordered_map<address, const witness*> by_owner;
  std::unordered_map<address, const policy_witness*> by_policy;
  by_owner.reserve(witnesses.size());
  for (const auto& w : witnesses)
    if (!by_owner.emplace(address_of(w.owner_key), &w).second)
      return make_error(ec::unexpected_witness, "two witnesses for one owner");
  for (const auto& pw : policies) {
    if (auto shape = check_policy_limits(pw.spend_policy); !shape)
      return std::move(shape.error());
    auto a = policy_address(pw.spend_policy);
    if (by_owner.count(a) != 0 || !by_policy.emplace(a, &pw).second)
      return make_error(ec::unexpected_witness, "two witnesses for one owner");
  }
  std::unordered_set<address> owners;
  for (const auto& out : spent)
    owners.insert(out.owner);
  size_t given = witnesses.size() + policies.size();
  for (const auto& owner : owners)
    if (by_owner.count(owner) == 0 && by_policy.count(owner) == 0) {
      // A witness that hashes to nothing spent is a key/owner mismatch when exactly one is
      // missing: report it as such, it is the likelier mistake.
      if (given == owners.size())
        return make_error(!policies.empty() && witnesses.empty() ? ec::policy_mismatch
                                                                 : ec::witness_key_mismatch,
                          "no witness hashes to owner " + owner.short_hex());
      return make_error(ec::missing_witness, "owner " + owner.short_hex());
    }
  if (given != owners.size())
    return make_error(ec::unexpected_witness, "a witness for no input's owner");
  std::vector<spend_context> contexts;
  contexts.reserve(by_policy.size());
  for (const auto& [owner, pw] : by_policy) {
    contexts.push_back(spend_context{&req.tx, tx, owner, now});
    if (auto err = check_policy_presence(*pw, contexts.back()))
      return err;
  }
  for (const auto& [owner, w] : by_owner)
    if (!verify_key_witness(w->owner_key, tx, w->sig))
      return make_error(ec::invalid_witness, "owner " + owner.short_hex());
  check_budget budget;
  size_t i = 0;
  for (const auto& [owner, pw] : by_policy)
    if (auto err = check_policy_signatures(*pw, contexts[i++], budget))
      return err;
  return caf::none;
}

} // namespace acfts
