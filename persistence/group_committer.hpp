// Group commit for a validator store: records submitted while a synced write is in flight go
// into the next batch, so one fsync covers many requests. Each submitter's callback runs only
// after the batch holding its record is durable (or failed): no reply can leave earlier.
//
// In `background` mode a private thread does the writes, keeping fsync off CAF's scheduler
// threads, and starts a write no sooner than `min_gap` after the previous one ended: under load
// the records of that gap share one fsync (on a virtual machine each fsync costs CPU time that
// the signatures need), while a lone request, arriving after a quiet gap, is written at once.
// In `inline_sync` mode `submit` writes before it returns (deterministic tests).
//
// Pooled shares: the records marked `pooled` of one batch become the leaves of one Merkle tree
// (protocol/merkle.hpp), whose root the `root_signer` signs once; each record is written with
// that signature and its path, and its callback gets them. The root is signed right before the
// write (one signature, microseconds, against the fsync's milliseconds), so that the batch on
// disk holds every share it released.
//
// The wallet batches its writes differently (a flush message at the end of its mailbox, the
// write on the actor's own thread; actors/wallet_actor.cpp says why): the validator needs its
// fsync off the thread that runs its lock step, so that requests keep being checked meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "persistence/histogram.hpp"
#include "persistence/validator_store.hpp"

namespace acfts {

class group_committer {
public:
  enum class mode { inline_sync, background };

  /// Called once per submitted record, with caf::none and the share it was written with when it
  /// is durable.
  using done_fn = std::function<void(const caf::error&, const share&)>;
  /// Signs the root of a batch's pooled records.
  using root_signer = std::function<signature(const hash32& root)>;

  /// The default gap, chosen by measurement (bench/RESULTS.md).
  static constexpr std::chrono::microseconds default_min_gap{1000};

  group_committer(std::shared_ptr<validator_store> store, mode m,
                  std::chrono::microseconds min_gap = default_min_gap, root_signer signer = {});

  /// Drains every submitted record (their callbacks run), then stops the writer.
  ~group_committer();

  group_committer(const group_committer&) = delete;
  group_committer& operator=(const group_committer&) = delete;

  void submit(lock_record rec, done_fn done);

  /// Synced writes so far, and records written by them (records/batches = group size).
  uint64_t batches() const { return batches_; }
  uint64_t records() const { return records_; }
  /// Roots signed (pooled batches) so far.
  uint64_t roots() const { return roots_; }
  /// Records per synced write, and each write's seconds (metrics).
  histogram_snapshot batch_sizes() const { return batch_sizes_.snapshot(); }
  histogram_snapshot write_seconds() const { return write_seconds_.snapshot(); }

private:
  struct job {
    lock_record rec;
    done_fn done;
  };

  void run();
  void write(std::deque<job>& jobs);

  std::shared_ptr<validator_store> store_;
  std::chrono::microseconds min_gap_;
  root_signer signer_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<job> queue_;
  bool stopping_ = false;
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> roots_{0};
  histogram batch_sizes_{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  histogram write_seconds_{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1};
  std::thread worker_;
};

} // namespace acfts
