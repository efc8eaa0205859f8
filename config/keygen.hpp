// `acfts keygen`: a new network in a directory — keys for every validator and address (mode
// 0600), a cluster file naming them, and the ports the nodes will listen on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <caf/expected.hpp>

#include "config/cluster_file.hpp"

namespace acfts {

struct keygen_options {
  std::string out_dir;
  size_t validators = 4;
  size_t wallets = 2;
  size_t addresses = 4;
  std::string host = "127.0.0.1";
  /// First port; 0 picks free ports on `host` (for tests that run side by side).
  uint16_t base_port = 7000;
  amount genesis = 1'000'000;
  /// Give every node a metrics_port too (after all other ports).
  bool metrics = false;
};

/// Creates out_dir/cluster.toml, out_dir/keys/<name>.key (mode 0600) for every validator and
/// address, and names data directories out_dir/data/<name>. Refuses to overwrite an existing
/// cluster.toml. Returns the path of cluster.toml.
caf::expected<std::string> keygen(const keygen_options& opts);

} // namespace acfts
