// The metrics port of a node: HTTP on 127.0.0.1 (cpp-httplib from Debian), GET /metrics answers
// the Prometheus text format (`render`, called on the server's thread for each scrape).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

namespace httplib {
class Server;
} // namespace httplib

namespace acfts {

class metrics_server {
public:
  using render_fn = std::function<std::string()>;

  /// Listens on 127.0.0.1:`port`. Error: ec::invalid_config (the port is taken).
  static caf::expected<std::unique_ptr<metrics_server>> start(uint16_t port, render_fn render);

  ~metrics_server();

private:
  metrics_server() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

/// The node's part of a scrape: what `actor` renders (its `metrics` message), then the process's
/// root cache and the size of the store under `data_dir`.
std::string node_metrics(caf::actor_system& sys, const caf::actor& actor,
                         const std::string& data_dir, const std::string& node);

/// GET http://127.0.0.1:`port`/metrics. Error: ec::invalid_config (nothing answers).
caf::expected<std::string> fetch_metrics(uint16_t port);

} // namespace acfts
