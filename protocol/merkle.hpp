// The Merkle trees of pooled shares (doc/protocol.md, version 2): a validator signs one root per
// group-commit batch, and each transaction of the batch carries its path to that root.
//
// Leaves are BLAKE2b-256("acfts.leaf.v1" || tx_hash), inner nodes BLAKE2b-256("acfts.node.v1" ||
// left || right): a leaf can never be presented as an inner node or the reverse. A level with an
// odd number of nodes pairs its last node with the all-zero hash (no BLAKE2b output is known to
// be zero), so every path of a tree of n leaves has exactly ceil(log2 n) siblings and bit i of
// the position says whether the node at level i is a right child. A tree of one leaf has no
// siblings: its root is the leaf.
#pragma once

#include <cstdint>
#include <vector>

#include <functional>

#include "messages/transaction.hpp"
#include "protocol/lock_table.hpp"

namespace acfts {

hash32 merkle_leaf(const hash32& tx);
hash32 merkle_node(const hash32& left, const hash32& right);

/// A tree over `txs` (in order): its root, and the path of each transaction.
struct merkle_tree {
  hash32 root;
  std::vector<merkle_path> paths;
};
merkle_tree build_merkle_tree(const std::vector<hash32>& txs);

/// The root that `path` leads to from `tx`.
hash32 merkle_root(const hash32& tx, const merkle_path& path);

/// Gives the pooled records of one batch their shares: `sign_root` signs the root of the tree
/// over their transactions once, and each record gets that signature and its path. Returns the
/// roots signed (0 when no record is pooled, else 1).
size_t seal_batch(const std::vector<lock_record*>& batch,
                  const std::function<signature(const hash32& root)>& sign_root);

} // namespace acfts
