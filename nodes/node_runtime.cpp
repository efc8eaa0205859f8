#include "nodes/node_runtime.hpp"

#include <cerrno>
#include <csignal>
#include <unistd.h>
#include <iostream>

#include <nlohmann/json.hpp>

#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "actors/embedded_cluster.hpp"
#include "actors/gate.hpp"
#include "crypto/key_file.hpp"
#include "messages/error.hpp"
#include "nodes/detail/tls_error_queue.hpp"

namespace acfts {

void init_logging(const std::string& node, bool verbose) {
  auto logger = spdlog::stderr_logger_mt("acfts");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [" + node + "] %v");
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

std::unique_ptr<caf::actor_system_config> node_config(const std::optional<tls_files>& tls) {
  auto cfg = std::make_unique<caf::actor_system_config>();
  cfg->load<caf::io::middleman>();
  if (tls) {
    guard_tls_error_queue();
    cfg->load<caf::openssl::manager>();
    cfg->openssl_certificate = tls->certificate;
    cfg->openssl_key = tls->key;
    cfg->openssl_cafile = tls->ca;
  }
  configure(*cfg);
  // Work stealing lets idle workers sleep up to 10 ms ("relaxed" polling), and messages that
  // arrive from the network thread wait for them: 16 ms per payment across processes. The
  // sharing policy wakes a worker on every enqueue (measured with bench/distributed_pay.sh).
  cfg->set("scheduler.policy", caf::atom("sharing"));
  return cfg;
}

caf::expected<uint16_t> publish_to_peers(caf::actor_system& sys, const caf::actor& gate,
                                         uint16_t port, const std::string& host, bool tls) {
  if (tls)
    return caf::openssl::publish(gate, port, host.c_str(), true);
  return sys.middleman().publish(gate, port, host.c_str(), true);
}

caf::expected<caf::actor> connect_to_peer(caf::actor_system& sys, const std::string& host,
                                          uint16_t port, bool tls) {
  if (tls)
    return caf::openssl::remote_actor(sys, host, port);
  return sys.middleman().remote_actor(host, port);
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

std::string wait_for_stop_signal(const std::function<void()>& each_minute) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  timespec minute{60, 0};
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &minute);
    if (sig == SIGINT || sig == SIGTERM)
      return sig == SIGINT ? "SIGINT" : "SIGTERM";
    if (sig < 0 && errno == EAGAIN && each_minute)
      each_minute();
  }
}

void gate_report::add(std::string port, caf::actor gate) {
  gates_.push_back(entry{std::move(port), std::move(gate), 0});
}

void gate_report::log_new_drops() {
  std::string line;
  for (auto& e : gates_) {
    auto seen = gate_stats(e.gate);
    if (seen.dropped() == e.dropped_before)
      continue;
    line +=
      (line.empty() ? "" : "; ") + e.port + " " + std::to_string(seen.dropped() - e.dropped_before);
    e.dropped_before = seen.dropped();
  }
  if (!line.empty())
    spdlog::warn("dropped messages that no peer may send (by port): {}", line);
}

void gate_report::log_totals() const {
  for (const auto& e : gates_) {
    auto seen = gate_stats(e.gate);
    spdlog::info("{} gate: {} passed, {} answered, {} dropped ({} system messages, {} other, {} "
                 "answers to no request), {} answers of a wrong shape",
                 e.port, seen.passed, seen.answered, seen.dropped(), seen.dropped_system,
                 seen.dropped_other, seen.dropped_answers, seen.bad_answers);
  }
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

namespace {

int report(const std::string& code, const std::string& what, bool json) {
  std::cerr << "acfts: " << what << std::endl;
  if (json) {
    nlohmann::ordered_json out;
    out["error"] = {{"code", code.empty() ? "error" : code}, {"message", what}};
    std::cout << out.dump() << std::endl;
  }
  return exit_failed;
}

} // namespace

int fail(const std::string& what, bool json) {
  // The stable code leads the description ("unknown_address: ...").
  auto colon = what.find(": ");
  auto code = colon == std::string::npos ? std::string{} : what.substr(0, colon);
  bool is_code =
    !code.empty() && code.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
  return report(is_code ? code : std::string{}, what, json);
}

int fail(const caf::error& err, bool json) {
  auto code = code_of(err);
  return report(code == ec::none ? std::string{} : to_string(code), describe(err), json);
}

} // namespace acfts
