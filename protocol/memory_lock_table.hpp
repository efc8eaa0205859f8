// A lock table in memory, for rule tests, the fuzz target and simulations: the same answers as
// a validator's store, without a disk (so nothing survives the process). Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>

#include "protocol/lock_table.hpp"

namespace acfts {

class memory_lock_table : public lock_table {
public:
  caf::expected<std::optional<hash32>> lock_of(const output_ref& input) const override {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = locks_.find(input);
    return i == locks_.end() ? std::nullopt : std::optional<hash32>{i->second};
  }

  caf::expected<std::optional<share>> share_of(const hash32& tx) const override {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = sigs_.find(tx);
    return i == sigs_.end() ? std::nullopt : std::optional<share>{i->second};
  }

  /// Adds the records, as validator_store::commit does (never fails).
  caf::error commit(const std::vector<const lock_record*>& records) {
    std::lock_guard<std::mutex> guard{mtx_};
    for (const auto* r : records) {
      for (const auto& in : r->inputs)
        locks_[in] = r->tx;
      if (!r->locks_only)
        sigs_[r->tx] = r->given;
    }
    return caf::none;
  }

  caf::expected<std::optional<hash32>> sealed_for() const override {
    std::lock_guard<std::mutex> guard{mtx_};
    return sealed_;
  }

  /// Seals the table for `next` (tests).
  void seal(const hash32& next) {
    std::lock_guard<std::mutex> guard{mtx_};
    sealed_ = next;
  }

private:
  std::optional<hash32> sealed_;
  mutable std::mutex mtx_;
  std::unordered_map<output_ref, hash32> locks_;
  std::unordered_map<hash32, share> sigs_;
};

} // namespace acfts
