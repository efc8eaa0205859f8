#include "nodes/node_runtime.hpp"

#include <csignal>
#include <unistd.h>
#include <iostream>

#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "actors/embedded_cluster.hpp"
#include "crypto/key_file.hpp"
#include "messages/error.hpp"

namespace acfts {

void init_logging(const std::string& node, bool verbose) {
  auto logger = spdlog::stderr_logger_mt("acfts");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [" + node + "] %v");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

std::unique_ptr<caf::actor_system_config> node_config() {
  auto cfg = std::make_unique<caf::actor_system_config>();
  cfg->load<caf::io::middleman>();
  configure(*cfg);
  // Work stealing lets idle workers sleep up to 10 ms ("relaxed" polling), and messages that
  // arrive from the network thread wait for them: 16 ms per payment across processes. The
  // sharing policy wakes a worker on every enqueue (measured with bench/distributed_pay.sh).
  cfg->set("scheduler.policy", caf::atom("sharing"));
  return cfg;
}

caf::expected<key_pair_ptr> load_key(const std::string& key_file, const public_key& expected,
                                     const std::string& owner) {
  auto kp = read_key_file(key_file);
  if (!kp)
    return kp.error();
  if (kp->public_key() != expected)
    return make_error(ec::invalid_config, key_file
                                            + ": does not hold the public_key that the "
                                              "cluster file gives for "
                                            + owner);
  return std::make_shared<const key_pair>(std::move(*kp));
}

void block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::string wait_for_stop_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig == SIGINT ? "SIGINT" : "SIGTERM";
}

void watch_actor(const caf::actor& actor, std::shared_ptr<node_watch> watch, std::string what) {
  actor->attach_functor([watch, what](const caf::error& reason) {
    if (watch->stopping)
      return;
    watch->died = true;
    spdlog::error("{} terminated ({}); stopping the node", what, caf::to_string(reason));
    kill(getpid(), SIGTERM);
  });
}

int fail(const std::string& what) {
  std::cerr << "acfts: " << what << std::endl;
  return 1;
}

} // namespace acfts
