#include "nodes/metrics_server.hpp"

#include <filesystem>

#include <caf/scoped_actor.hpp>
#include <httplib.h>

#include "actors/atoms.hpp"
#include "actors/metrics_text.hpp"
#include "messages/error.hpp"
#include "protocol/share_cache.hpp"

namespace acfts {

caf::expected<std::unique_ptr<metrics_server>> metrics_server::start(uint16_t port,
                                                                     render_fn render) {
  std::unique_ptr<metrics_server> s{new metrics_server};
  s->server_ = std::make_unique<httplib::Server>();
  s->server_->Get("/metrics", [render](const httplib::Request&, httplib::Response& res) {
    res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  if (!s->server_->bind_to_port("127.0.0.1", port))
    return make_error(ec::invalid_config,
                      "cannot listen on 127.0.0.1:" + std::to_string(port) + " (metrics_port)");
  s->thread_ = std::thread([srv = s->server_.get()] { srv->listen_after_bind(); });
  return s;
}

metrics_server::~metrics_server() {
  server_->stop();
  if (thread_.joinable())
    thread_.join();
}

std::string node_metrics(caf::actor_system& sys, const caf::actor& actor,
                         const std::string& data_dir, const std::string& node) {
  std::string out;
  {
    caf::scoped_actor self{sys};
    self->request(actor, std::chrono::seconds(5), metrics_atom::value)
      .receive([&](std::string& text) { out = std::move(text); }, [](caf::error&) {});
  }
  metrics_text m;
  metrics_text::labels me{{"node", node}};
  auto cache = share_cache_counters();
  m.metric("acfts_root_cache_lookups_total", "counter",
           "Pooled shares checked against this process's cache of verified roots.");
  m.sample("acfts_root_cache_lookups_total", static_cast<double>(cache.hits),
           {{"node", node}, {"result", "hit"}});
  m.sample("acfts_root_cache_lookups_total", static_cast<double>(cache.misses),
           {{"node", node}, {"result", "miss"}});
  m.metric("acfts_node_up", "gauge", "1 while the node's actor answers a scrape.");
  m.sample("acfts_node_up", out.empty() ? 0 : 1, me);
  std::error_code ec;
  uintmax_t bytes = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data_dir, ec)) {
    std::error_code size_ec; // LevelDB may remove a file while this walks the directory
    auto size = e.is_regular_file(size_ec) ? e.file_size(size_ec) : 0;
    if (!size_ec)
      bytes += size;
  }
  m.metric("acfts_store_bytes", "gauge", "Bytes of the node's LevelDB store on disk.");
  m.sample("acfts_store_bytes", static_cast<double>(bytes), me);
  return out + m.text();
}

caf::expected<std::string> fetch_metrics(uint16_t port) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(5);
  cli.set_read_timeout(10);
  auto res = cli.Get("/metrics");
  if (!res || res->status != 200)
    return make_error(ec::invalid_config, "no metrics on 127.0.0.1:" + std::to_string(port)
                                            + " (is the node running with a metrics_port?)");
  return res->body;
}

} // namespace acfts
