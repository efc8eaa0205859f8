// Soak: many payments through an embedded committee, reporting resident memory and store sizes as
// it goes, to show memory flat after warm-up and LevelDB growing linearly (opt-in; not in CI).
//
//   ./build/bench/acfts_soak --payments 1000000 --report-every 100000 [--data DIR]
//
// Payments ping-pong (a0 → a1, then a1 → a0), so the wallets' unspent sets stay small: what grows
// with the number of payments is the stores' history, which lives on disk.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/embedded_cluster.hpp"
#include "bench/process_memory.hpp"
#include "messages/error.hpp"
#include "config/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

uintmax_t dir_bytes(const fs::path& dir) {
  uintmax_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec))
      total += e.file_size(ec);
  return total;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"acfts soak: memory and store growth over many payments"};
  uint64_t payments = 100000, every = 10000;
  std::string data;
  app.add_option("--payments", payments, "Payments to make")->check(CLI::PositiveNumber);
  app.add_option("--report-every", every, "Print a line every N payments")
    ->check(CLI::PositiveNumber);
  app.add_option("--data", data, "Parent directory of the stores (default: temp, removed)");
  CLI11_PARSE(app, argc, argv);
  std::optional<acfts::temp_dir> scratch; // removed at the end
  if (data.empty()) {
    auto made = acfts::temp_dir::make("soak");
    if (!made) {
      std::fprintf(stderr, "acfts_soak: %s\n", acfts::describe(made.error()).c_str());
      return 1;
    }
    scratch = std::move(*made);
    data = scratch->path();
  }
  int rc = 0;
  {
    caf::actor_system_config cfg;
    acfts::configure(cfg);
    cfg.set("scheduler.policy", caf::atom("sharing"));
    caf::actor_system sys{cfg};
    acfts::embedded_cluster::options opts;
    opts.data_dir = data;
    auto cluster = acfts::embedded_cluster::start(sys, opts);
    if (!cluster) {
      std::fprintf(stderr, "acfts soak: %s\n", acfts::describe(cluster.error()).c_str());
      return 1;
    }
    auto& c = **cluster;
    std::printf("%12s %10s %12s %13s %13s %14s %12s\n", "payments", "seconds", "payments/s",
                "rss_anon_MiB", "rss_file_MiB", "validators_MiB", "wallets_MiB");
    auto start = std::chrono::steady_clock::now();
    auto last = start;
    for (uint64_t i = 1; i <= payments; ++i) {
      auto tx = (i % 2 == 1) ? c.pay(0, 1, 1) : c.pay(1, 0, 1);
      if (!tx) {
        std::fprintf(stderr, "acfts soak: payment %llu: %s\n", static_cast<unsigned long long>(i),
                     acfts::describe(tx.error()).c_str());
        rc = 1;
        break;
      }
      if (i % every == 0) {
        auto now = std::chrono::steady_clock::now();
        double total = std::chrono::duration<double>(now - start).count();
        double window = std::chrono::duration<double>(now - last).count();
        last = now;
        uintmax_t vals = 0;
        for (size_t v = 0; v < c.validator_count(); ++v)
          vals += dir_bytes(fs::path(data) / ("v" + std::to_string(v)));
        uintmax_t wals = dir_bytes(fs::path(data) / "w0") + dir_bytes(fs::path(data) / "w1");
        auto mem = acfts::read_process_memory();
        std::printf("%12llu %10.1f %12.1f %13.1f %13.1f %14.1f %12.1f\n",
                    static_cast<unsigned long long>(i), total, every / window,
                    mem.anon_kib / 1024.0, mem.file_kib / 1024.0, vals / 1048576.0,
                    wals / 1048576.0);
        std::fflush(stdout);
      }
    }
    c.wait_settled();
    auto supply = c.supply();
    std::printf("supply %llu\n", supply ? static_cast<unsigned long long>(supply->units()) : 0ull);
  }
  return rc;
}
