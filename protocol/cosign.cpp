#include "protocol/cosign.hpp"

#include <algorithm>
#include <map>

#include "messages/error.hpp"
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

} // namespace acfts
