#include "nodes/node_processes.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace acfts {

node_processes::~node_processes() {
  for (auto pid : pids_)
    ::kill(pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (auto pid : pids_) {
    while (::waitpid(pid, nullptr, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

bool node_processes::start(const std::string& kind, const std::string& config,
                           const std::string& name, const std::vector<std::string>& extra,
                           const std::string& log_name) {
  std::string log = log_dir_ + "/" + (log_name.empty() ? name : log_name) + ".log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> args{"acfts", kind, "--config", config, "--name", name};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return false;
  pids_.push_back(pid);
  std::string group = kind + "s";
  for (const auto& a : extra)
    if (a.rfind("shard:", 0) == 0)
      group = "shards";
    else if (a.rfind("verifier", 0) == 0)
      group = "verifiers";
  groups_.push_back(std::move(group));
  return true;
}

std::map<std::string, double> node_processes::cpu_seconds() const {
  std::map<std::string, double> out;
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (size_t i = 0; i < pids_.size(); ++i) {
    auto& sum = out[groups_[i]];
    std::ifstream in{"/proc/" + std::to_string(pids_[i]) + "/stat"};
    std::string line;
    if (!std::getline(in, line))
      continue;
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    auto close = line.rfind(')');
    if (close == std::string::npos)
      continue;
    std::istringstream fields{line.substr(close + 2)};
    std::string field;
    double utime = 0, stime = 0;
    for (int k = 3; k <= 15 && fields >> field; ++k)
      if (k == 14)
        utime = std::stod(field);
      else if (k == 15)
        stime = std::stod(field);
    sum += (utime + stime) / ticks;
  }
  return out;
}

} // namespace acfts
