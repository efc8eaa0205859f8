#include "protocol/merkle.hpp"

#include <cstring>

#include "crypto/hashing.hpp"
#include "crypto/keys.hpp"

namespace acfts {

namespace {

template <size_t N>
hash32 tagged(std::string_view tag, const std::array<const hash32*, N>& parts) {
  uint8_t buf[16 + 2 * 32];
  std::memcpy(buf, tag.data(), tag.size());
  size_t len = tag.size();
  for (const auto* p : parts) {
    std::memcpy(buf + len, p->data(), p->size);
    len += p->size;
  }
  return blake2b_256(buf, len);
}

} // namespace

hash32 merkle_leaf(const hash32& tx) {
  return tagged<1>(domain::leaf, {&tx});
}

hash32 merkle_node(const hash32& left, const hash32& right) {
  return tagged<2>(domain::node, {&left, &right});
}

merkle_tree build_merkle_tree(const std::vector<hash32>& txs) {
  merkle_tree t;
  t.paths.resize(txs.size());
  for (uint32_t i = 0; i < txs.size(); ++i)
    t.paths[i].position = i;
  std::vector<hash32> level;
  level.reserve(txs.size());
  for (const auto& tx : txs)
    level.push_back(merkle_leaf(tx));
  // Which node of the current level each leaf is under.
  std::vector<size_t> under(txs.size());
  for (size_t i = 0; i < under.size(); ++i)
    under[i] = i;
  const hash32 zero{};
  while (level.size() > 1) {
    std::vector<hash32> up((level.size() + 1) / 2);
    for (size_t j = 0; j < up.size(); ++j) {
      const auto& right = 2 * j + 1 < level.size() ? level[2 * j + 1] : zero;
      up[j] = merkle_node(level[2 * j], right);
    }
    for (size_t i = 0; i < under.size(); ++i) {
      auto k = under[i];
      auto sibling = k ^ 1;
      t.paths[i].siblings.push_back(sibling < level.size() ? level[sibling] : zero);
      under[i] = k / 2;
    }
    level = std::move(up);
  }
  if (!level.empty())
    t.root = level.front();
  return t;
}

size_t seal_batch(const std::vector<lock_record*>& batch,
                  const std::function<signature(const hash32& root)>& sign_root) {
  std::vector<lock_record*> pooled;
  std::vector<hash32> txs;
  for (auto* rec : batch)
    if (rec->pooled) {
      pooled.push_back(rec);
      txs.push_back(rec->tx);
    }
  if (pooled.empty())
    return 0;
  auto tree = build_merkle_tree(txs);
  auto sig = sign_root(tree.root);
  for (size_t i = 0; i < pooled.size(); ++i)
    pooled[i]->given = share{sig, std::move(tree.paths[i])};
  return 1;
}

hash32 merkle_root(const hash32& tx, const merkle_path& path) {
  auto node = merkle_leaf(tx);
  for (size_t i = 0; i < path.siblings.size(); ++i)
    node = ((path.position >> i) & 1) != 0 ? merkle_node(path.siblings[i], node)
                                           : merkle_node(node, path.siblings[i]);
  return node;
}

} // namespace acfts
