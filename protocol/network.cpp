#include "protocol/network.hpp"

#include <set>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"

namespace acfts {

std::optional<uint32_t> faults_tolerated(size_t n) {
  if (n == 0 || (n - 1) % 3 != 0 || (n - 1) / 3 > UINT32_MAX)
    return std::nullopt;
  return static_cast<uint32_t>((n - 1) / 3);
}

const network* network::committee_of(const hash32& committee_id) const {
  if (committee_id == id)
    return this;
  for (const auto& p : past)
    if (p.id == committee_id)
      return &p;
  return nullptr;
}

caf::expected<network> make_network(committee c, genesis g) {
  if (c.members.empty())
    return make_error(ec::invalid_config, "the committee has no validators");
  if (faults_tolerated(c.members.size()) != c.f)
    return make_error(ec::invalid_config, "the committee must have 3f+1 validators; it has "
                                            + std::to_string(c.members.size())
                                            + " with f = " + std::to_string(c.f));
  std::set<public_key> keys;
  for (const auto& m : c.members)
    if (!keys.insert(m.key).second)
      return make_error(ec::invalid_config, "validator " + m.name + " repeats another's key");
  if (!g.tx.inputs.empty())
    return make_error(ec::invalid_config, "the genesis must have no inputs");
  if (g.tx.outputs.empty())
    return make_error(ec::invalid_config, "the genesis must have outputs");
  amount total = 0;
  for (const auto& out : g.tx.outputs) {
    if (out.value == 0)
      return make_error(ec::invalid_config, "a genesis output has amount 0");
    auto sum = checked_add(total, out.value);
    if (!sum)
      return make_error(ec::invalid_config, "the genesis amounts overflow");
    total = *sum;
  }
  network net;
  net.id = committee_id(c, g);
  net.genesis_hash = tx_hash(g.tx);
  net.members = std::move(c);
  net.gen = std::move(g);
  return net;
}

} // namespace acfts
