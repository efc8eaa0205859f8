// A switch for injecting storage faults below a store (tests and fault drills): while
// `fail_syncs` is set, or while the file `fail_while_exists` names exists, every fsync of the
// store's files fails, as on a full or dying disk. The store sees an I/O error from LevelDB,
// exactly as it would in production.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace acfts {

struct storage_faults {
  std::atomic<bool> fail_syncs{false};
  /// A drill's trigger (`acfts validator --fault-drill FILE`); empty: none. Set before the store
  /// opens.
  std::string fail_while_exists;
  /// Syncs that failed because of the switch.
  std::atomic<uint64_t> injected{0};
};

using storage_faults_ptr = std::shared_ptr<storage_faults>;

} // namespace acfts
