#include "config/cluster.hpp"

#include <cstring>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

key_pair_ptr derive_key(const std::optional<uint64_t>& seed, char role, size_t index) {
  if (!seed)
    return std::make_shared<key_pair>(key_pair::generate());
  char material[32] = "acfts.test-seed";
  std::memcpy(material + 16, &*seed, 8);
  material[24] = role;
  uint32_t idx = static_cast<uint32_t>(index);
  std::memcpy(material + 25, &idx, 4);
  auto h = blake2b_256(material, sizeof(material));
  return std::make_shared<key_pair>(key_pair::from_seed(h.bytes));
}

} // namespace

caf::expected<cluster_keys> make_cluster(const cluster_shape& shape) {
  auto f = faults_tolerated(shape.validators);
  if (!f)
    return make_error(ec::invalid_config, "validators must be 3f+1 (4, 7, 10, ...), not "
                                            + std::to_string(shape.validators));
  if (shape.wallets == 0 || shape.addresses_per_wallet == 0)
    return make_error(ec::invalid_config, "need at least one wallet with one address");
  if (shape.genesis_amount == 0)
    return make_error(ec::invalid_config, "the genesis amount must be positive");
  cluster_keys out;
  committee c;
  c.f = *f;
  for (size_t i = 0; i < shape.validators; ++i) {
    out.validators.push_back(derive_key(shape.seed, 'v', i));
    c.members.push_back(
      committee_member{"v" + std::to_string(i), out.validators.back()->public_key(), ""});
  }
  for (size_t w = 0; w < shape.wallets; ++w) {
    out.wallets.emplace_back();
    for (size_t i = 0; i < shape.addresses_per_wallet; ++i)
      out.wallets.back().push_back(derive_key(shape.seed, 'a', w * shape.addresses_per_wallet + i));
  }
  genesis g;
  g.tx.outputs.push_back(output{address_of(out.wallets[0][0]->public_key()), shape.genesis_amount});
  auto net = make_network(std::move(c), std::move(g));
  if (!net)
    return net.error();
  out.net = std::move(*net);
  return out;
}

std::optional<size_t> parse_address_name(const std::string& name) {
  if (name.size() < 2 || name[0] != 'a')
    return std::nullopt;
  size_t value = 0;
  for (size_t i = 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || i > 9)
      return std::nullopt;
    value = value * 10 + static_cast<size_t>(name[i] - '0');
  }
  return value;
}

} // namespace acfts
