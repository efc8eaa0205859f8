#include "persistence/group_committer.hpp"

#include <algorithm>

#include "messages/error.hpp"
#include "protocol/merkle.hpp"

namespace acfts {

group_committer::group_committer(std::shared_ptr<validator_store> store, mode m,
                                 std::chrono::microseconds min_gap, root_signer signer)
  : store_(std::move(store)), min_gap_(min_gap), signer_(std::move(signer)) {
  if (m == mode::background)
    worker_ = std::thread([this] { run(); });
}

group_committer::~group_committer() {
  if (!worker_.joinable())
    return;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  cv_.notify_one();
  // The last reference may be dropped by a callback running on the writer itself.
  if (worker_.get_id() == std::this_thread::get_id())
    worker_.detach();
  else
    worker_.join();
}

void group_committer::submit(lock_record rec, done_fn done) {
  if (!worker_.joinable()) {
    std::deque<job> one;
    one.push_back(job{std::move(rec), std::move(done)});
    write(one);
    return;
  }
  {
    std::lock_guard<std::mutex> guard{mtx_};
    queue_.push_back(job{std::move(rec), std::move(done)});
  }
  cv_.notify_one();
}

void group_committer::run() {
  using clock = std::chrono::steady_clock;
  std::deque<job> jobs;
  auto last_end = clock::now() - min_gap_;
  for (;;) {
    {
      std::unique_lock<std::mutex> guard{mtx_};
      cv_.wait(guard, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_)
        return;
      // Busy: let the records of the gap join this batch (submit's notify cannot end the wait).
      auto ready = last_end + min_gap_;
      if (!stopping_ && clock::now() < ready) {
        guard.unlock();
        std::this_thread::sleep_until(ready);
        guard.lock();
      }
      jobs.swap(queue_);
    }
    write(jobs);
    last_end = clock::now();
    jobs.clear();
  }
}

void group_committer::write(std::deque<job>& jobs) {
  std::vector<lock_record*> batch;
  batch.reserve(jobs.size());
  for (auto& j : jobs)
    batch.push_back(&j.rec);
  caf::error err;
  if (signer_)
    roots_ += seal_batch(batch, signer_);
  else if (std::any_of(batch.begin(), batch.end(), [](auto* r) { return r->pooled; }))
    err = make_error(ec::storage_fault, "pooled records without a root signer");
  std::vector<const lock_record*> records;
  records.reserve(jobs.size());
  for (const auto& j : jobs)
    records.push_back(&j.rec);
  if (!err) {
    auto started = std::chrono::steady_clock::now();
    err = store_->commit(records);
    write_seconds_.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  batch_sizes_.observe(static_cast<double>(records.size()));
  batches_ += 1;
  records_ += records.size();
  for (auto& j : jobs)
    j.done(err, j.rec.given);
}

} // namespace acfts
