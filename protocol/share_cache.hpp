// Each root checked once per process: pooled shares of one validator batch all carry the same
// (validator, root, signature), so after the first verification the others only hash their paths.
// The cache is keyed by BLAKE2b-256 of the committee id, the validator index, the root and the
// signature: a forged signature over a cached root is another key and is verified (and fails).
//
// Bounded: 65,536 entries (about 6 MiB with the index), the oldest evicted first. Thread-safe:
// validators' request checkers, wallets and payees of one process share it.
#pragma once

#include <cstdint>

#include "messages/bytes.hpp"
#include "protocol/network.hpp"

namespace acfts {

struct share_cache_stats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  size_t size = 0;
  size_t capacity = 0;
};

/// Whether validator `index` signed `root` with `sig` in network `net`: from the cache, or
/// verified now (and then remembered if it holds).
bool verify_root_signature(const network& net, uint16_t index, const hash32& root,
                           const signature& sig);

/// Hits and misses of this process's cache so far.
share_cache_stats share_cache_counters();

} // namespace acfts
