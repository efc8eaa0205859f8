// When a node tries a lost peer again: capped exponential backoff with jitter, so that a peer
// that is down (or that accepts and drops connections) costs a few attempts a minute instead of
// a tight loop of sockets left in TIME_WAIT, and many wallets do not retry in step.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace acfts {

class reconnect_backoff {
public:
  using duration = std::chrono::milliseconds;

  reconnect_backoff(duration first, duration cap, uint64_t seed)
    : first_(first), cap_(cap), current_(first), rng_(seed) {}

  /// The wait before the next attempt: a random time in [d/2, d], where d starts at `first`
  /// and doubles with every call up to `cap`.
  duration next() {
    auto d = current_;
    current_ = std::min(cap_, current_ * 2);
    std::uniform_int_distribution<int64_t> jitter{d.count() / 2, d.count()};
    return duration{jitter(rng_)};
  }

  /// After a connection that held: the next wait is `first` again.
  void reset() { current_ = first_; }

private:
  duration first_;
  duration cap_;
  duration current_;
  std::mt19937_64 rng_;
};

} // namespace acfts
