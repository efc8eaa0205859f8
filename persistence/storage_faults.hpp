// A switch for injecting storage faults below a store (tests and fault drills): while
// `fail_syncs` is set, every fsync of the store's files fails, as on a full or dying disk. The
// store sees an I/O error from LevelDB, exactly as it would in production.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace acfts {

struct storage_faults {
  std::atomic<bool> fail_syncs{false};
  /// Syncs that failed because of the switch.
  std::atomic<uint64_t> injected{0};
};

using storage_faults_ptr = std::shared_ptr<storage_faults>;

} // namespace acfts
