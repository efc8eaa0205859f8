// What `acfts bench` is asked to run: its command line, as the plan, the rows and the report
// read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace acfts {

struct bench_options {
  std::string scenarios = "all";
  std::vector<size_t> trials{10, 100, 1000};
  /// "sequential", "concurrent" or "both".
  std::string mode = "concurrent";
  size_t inflight = 0; // 0: the measured default
  size_t validators = 4;
  /// CAF scheduler threads (0: one per core).
  size_t workers = 0;
  /// Run against the nodes of this cluster file (already running) instead of in-process.
  std::string config;
  /// Start the nodes as separate processes on loopback (keygen into a temporary directory).
  bool distributed = false;
  std::string json_file;
  uint64_t seed = 1;
  bool validator_only = false;
  size_t requests = 20000;
  /// Stores go below this directory (default: the system's temporary directory).
  std::string data_dir;
  /// "2of3": each row runs again with payers owned by 2-of-3 mixed-scheme policies.
  std::string payer_policy;
  /// "pooled", "single" or "both": how the validators sign.
  std::string shares = "pooled";
  /// "off", "on" or "both" (--distributed): the nodes' links plaintext, mutual TLS, or each row
  /// over both, side by side in one run.
  std::string tls = "off";
  /// --distributed: each row also on a fresh in-process committee right before it, and the
  /// processes' speed as a share of it (both in one run, on the machine's state of the moment).
  bool against_in_process = false;
  /// --validator-only: a row for each count of lock shards (validator_options::lock_shards).
  std::vector<uint32_t> lock_shards{1};
  /// --distributed: each validator as V,S parts — V verifiers and S lock shards as processes
  /// of their own (0: in the validator's own process); --validator-only: that one validator.
  std::vector<uint32_t> validator_parts{0, 0};
};

} // namespace acfts
