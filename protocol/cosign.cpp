#include "protocol/cosign.hpp"

#include <algorithm>
#include <map>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "protocol/policy_text.hpp"
#include "protocol/policy_rules.hpp"

namespace acfts {

size_t sign_policy(policy_witness& w, const hash32& tx, const std::vector<const owner_key*>& keys) {
  std::map<uint16_t, signature> sigs;
  for (const auto& s : w.sigs)
    sigs.emplace(s.leaf, s.sig);
  size_t added = 0;
  auto leaves = key_leaves(w.spend_policy);
  for (uint16_t i = 0; i < leaves.size(); ++i) {
    if (sigs.count(i) != 0)
      continue;
    auto wanted = key_of(*leaves[i]);
    for (const auto* k : keys)
      if (k->public_key() == wanted) {
        sigs.emplace(i, k->sign_tx(tx));
        ++added;
        break;
      }
  }
  w.sigs.clear();
  for (const auto& [leaf, sig] : sigs)
    w.sigs.push_back(leaf_signature{leaf, sig});
  return added;
}

caf::expected<policy_witness> combine(const policy_witness& a, const policy_witness& b) {
  if (a.spend_policy != b.spend_policy)
    return make_error(ec::policy_mismatch, "the witnesses reveal different policies");
  std::map<uint16_t, signature> sigs;
  for (const auto* w : {&a, &b})
    for (const auto& s : w->sigs)
      sigs.emplace(s.leaf, s.sig);
  policy_witness out{a.spend_policy, {}};
  for (const auto& [leaf, sig] : sigs)
    out.sigs.push_back(leaf_signature{leaf, sig});
  return out;
}

cosign_summary summarize(const sign_request& req, uint64_t now) {
  cosign_summary s;
  s.tx = tx_hash(req.tx);
  std::map<hash32, const transaction*> parents;
  for (const auto& p : req.parents)
    parents[p.cert.tx_hash] = &p.tx;
  for (const auto& in : req.tx.inputs) {
    cosign_summary::input i{in, std::nullopt};
    if (auto p = parents.find(in.tx); p != parents.end() && in.index < p->second->outputs.size())
      i.spent = p->second->outputs[in.index];
    s.inputs.push_back(i);
  }
  for (const auto& w : req.witnesses) {
    scheme_key key{key_scheme::ed25519, {w.owner_key.bytes.begin(), w.owner_key.bytes.end()}};
    bool valid = verify_tx_signature(key, s.tx, w.sig);
    s.bad_signature = s.bad_signature || !valid;
    s.single_keys.push_back({key.text(), true, valid});
  }
  for (const auto& w : req.policy_witnesses) {
    cosign_summary::policy_state p;
    p.owner = policy_address(w.spend_policy);
    p.text = policy_text(w.spend_policy);
    auto leaves = key_leaves(w.spend_policy);
    for (const auto* leaf : leaves)
      p.keys.push_back({key_of(*leaf).text(), false, false});
    for (const auto& ls : w.sigs) {
      if (ls.leaf >= leaves.size())
        continue; // the decoder refuses these
      auto& k = p.keys[ls.leaf];
      k.signed_ = true;
      k.valid = verify_tx_signature(key_of(*leaves[ls.leaf]), s.tx, ls.sig);
      s.bad_signature = s.bad_signature || !k.valid;
    }
    p.report = report_policy(w, spend_context{&req.tx, s.tx, p.owner, now});
    s.policies.push_back(std::move(p));
  }
  return s;
}

std::string missing_text(const policy_report& r) {
  if (r.satisfied)
    return "satisfied";
  return "weight " + std::to_string(r.weight) + " of " + std::to_string(r.needed) + ", missing "
         + std::to_string(r.needed - std::min(r.weight, r.needed));
}

caf::error incomplete(const cosign_summary& s) {
  if (s.bad_signature)
    return make_error(ec::invalid_witness, "a signature in the file does not verify");
  for (const auto& p : s.policies)
    if (!p.report.satisfied)
      return make_error(ec::policy_not_satisfied,
                        "owner " + p.owner.short_hex() + ": " + missing_text(p.report));
  return caf::none;
}

} // namespace acfts
