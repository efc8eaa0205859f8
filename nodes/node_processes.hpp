// Validator and wallet nodes started as processes of this executable (`acfts bench
// --distributed`), each with its output in a log file, and stopped when the supervisor goes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace acfts {

class node_processes {
public:
  explicit node_processes(std::string log_dir) : log_dir_(std::move(log_dir)) {}

  /// Stops every node it started: SIGTERM, then SIGKILL after 5 s.
  ~node_processes();

  node_processes(const node_processes&) = delete;
  node_processes& operator=(const node_processes&) = delete;

  /// Starts `acfts <kind> --config <config> --name <name> <extra...>`, its output in
  /// <log_dir>/<log>.log (`log` empty: <name>). False when the process cannot be started.
  bool start(const std::string& kind, const std::string& config, const std::string& name,
             const std::vector<std::string>& extra = {}, const std::string& log = {});

  /// CPU seconds (user and system) that each group of its processes has used so far:
  /// "validators", "verifiers", "shards" (a validator's parts, by --part) and "wallets"; a
  /// process already gone counts nothing.
  std::map<std::string, double> cpu_seconds() const;

private:
  std::string log_dir_;
  std::vector<pid_t> pids_;
  std::vector<std::string> groups_; // of pids_[i]
};

} // namespace acfts
