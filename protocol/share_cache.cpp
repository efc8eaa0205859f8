#include "protocol/share_cache.hpp"

#include <atomic>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_set>

#include "crypto/hashing.hpp"
#include "crypto/keys.hpp"

namespace acfts {

namespace {

constexpr size_t capacity = 1 << 16;

class root_cache {
public:
  bool contains(const hash32& key) {
    std::lock_guard<std::mutex> guard{mtx_};
    return keys_.count(key) != 0;
  }

  void add(const hash32& key) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!keys_.insert(key).second)
      return;
    order_.push_back(key);
    if (order_.size() > capacity) {
      keys_.erase(order_.front());
      order_.pop_front();
    }
  }

  size_t size() {
    std::lock_guard<std::mutex> guard{mtx_};
    return keys_.size();
  }

  std::atomic<uint64_t> hits{0};
  std::atomic<uint64_t> misses{0};

private:
  std::mutex mtx_;
  std::unordered_set<hash32> keys_;
  std::deque<hash32> order_;
};

root_cache& cache() {
  static root_cache instance;
  return instance;
}

hash32 cache_key(const network& net, uint16_t index, const hash32& root, const signature& sig) {
  uint8_t buf[32 + 2 + 32 + 64];
  std::memcpy(buf, net.id.data(), 32);
  buf[32] = static_cast<uint8_t>(index >> 8);
  buf[33] = static_cast<uint8_t>(index & 0xff);
  std::memcpy(buf + 34, root.data(), 32);
  std::memcpy(buf + 66, sig.data(), 64);
  return blake2b_256(buf, sizeof(buf));
}

} // namespace

bool verify_root_signature(const network& net, uint16_t index, const hash32& root,
                           const signature& sig) {
  if (index >= net.size())
    return false;
  auto key = cache_key(net, index, root, sig);
  auto& c = cache();
  if (c.contains(key)) {
    c.hits.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  c.misses.fetch_add(1, std::memory_order_relaxed);
  if (!verify(net.members.members[index].key, sig, domain::root, net.id.data(), net.id.size,
              root.data(), root.size))
    return false;
  c.add(key);
  return true;
}

share_cache_stats share_cache_counters() {
  auto& c = cache();
  return share_cache_stats{c.hits.load(), c.misses.load(), c.size(), capacity};
}

} // namespace acfts
