// A histogram that several threads may add to (the group committer's batch sizes and write
// latencies), read as Prometheus does: cumulative buckets, a count and a sum.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <vector>

namespace acfts {

/// Cumulative buckets: cumulative[i] counts the observations ≤ bounds[i].
struct histogram_snapshot {
  std::vector<double> bounds;
  std::vector<uint64_t> cumulative;
  uint64_t count = 0;
  double sum = 0;
};

class histogram {
public:
  explicit histogram(std::initializer_list<double> bounds)
    : bounds_(bounds), counts_(bounds_.size()) {}

  void observe(double x) {
    std::lock_guard<std::mutex> guard{mtx_};
    for (size_t i = 0; i < bounds_.size(); ++i)
      if (x <= bounds_[i]) {
        ++counts_[i];
        break;
      }
    ++count_;
    sum_ += x;
  }

  histogram_snapshot snapshot() const {
    std::lock_guard<std::mutex> guard{mtx_};
    histogram_snapshot h{bounds_, {}, count_, sum_};
    uint64_t running = 0;
    for (auto c : counts_)
      h.cumulative.push_back(running += c);
    return h;
  }

private:
  mutable std::mutex mtx_;
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  double sum_ = 0;
};

} // namespace acfts
