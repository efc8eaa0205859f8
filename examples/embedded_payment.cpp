// The library API in one page: start an in-process committee, pay, read balances.
//
//   ./build/examples/embedded_payment [DATA_DIR]
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/embedded_cluster.hpp"
#include "messages/error.hpp"
#include "config/temp_dir.hpp"

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "";
  std::optional<acfts::temp_dir> scratch; // removed at the end
  if (dir.empty()) {
    auto made = acfts::temp_dir::make("example");
    if (!made)
      return 1;
    scratch = std::move(*made);
    dir = scratch->path();
  }
  int rc = 0;
  {
    caf::actor_system_config cfg;
    acfts::configure(cfg);
    caf::actor_system sys{cfg};

    // 4 validators (f = 1), wallets w0 = {a0..a3} and w1 = {a4..a7}, 1,000,000 units to a0.
    acfts::embedded_cluster::options opts;
    opts.data_dir = dir;
    auto cluster = acfts::embedded_cluster::start(sys, opts);
    if (!cluster) {
      std::fprintf(stderr, "cannot start: %s\n", acfts::describe(cluster.error()).c_str());
      return 1;
    }
    auto& c = **cluster;
    auto tx = c.pay(0, 4, 250); // a0 → a4; returns once 2f+1 validators signed
    if (!tx) {
      std::fprintf(stderr, "payment failed: %s\n", acfts::describe(tx.error()).c_str());
      rc = 1;
    } else {
      c.wait_settled(); // the payee has verified and stored the certificate
      std::printf("paid 250 from a0 to a4 in transaction %s\n", tx->hex().c_str());
      std::printf("a0 = %llu, a4 = %llu\n", static_cast<unsigned long long>(c.balance(0)->units()),
                  static_cast<unsigned long long>(c.balance(4)->units()));
      rc = (*c.balance(4) == 250 && *c.supply() == 1'000'000) ? 0 : 1;
    }
  }
  return rc;
}
