// `acfts pay` and `acfts balance`: talk to a running wallet node's control interface (loopback).
#pragma once

#include <cstdint>
#include <string>

namespace acfts {

struct pay_options {
  std::string config;
  std::string wallet;
  std::string from;
  std::string to;
  uint64_t amount = 0;
  double timeout_seconds = 30;
  /// Pay this many times in a row (each waits until final) and print throughput and latency.
  uint64_t count = 1;
};

/// Exit 0 and the transaction hash when final; exit 3 and "pending" on timeout (the wallet keeps
/// trying); exit 1 with a one-line reason otherwise.
int run_pay(const pay_options& opts);

/// Per-address and total balance; with `json`, one JSON object.
int run_balance(const std::string& config, const std::string& wallet, bool json);

} // namespace acfts
