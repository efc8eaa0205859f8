// The plan of an `acfts bench` run: the options checked once, as the lists the rows are made of
// (scenarios × modes × trials × share modes × payers × link modes).
#pragma once

#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "bench/bench_options.hpp"
#include "bench/scenarios.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

struct bench_plan {
  std::vector<scenario> scenarios;
  std::vector<bench_mode> modes;
  std::vector<share_mode> share_modes;
  /// Plaintext (false) and TLS (true) links between node processes (--distributed).
  std::vector<bool> link_modes;
  /// "key", and the --payer-policy if any.
  std::vector<std::string> payer_kinds;
  /// f of the committee (N = 3f + 1).
  size_t f = 1;
};

/// Checks `opts` and lists what the rows run over; makes --data if missing (so that a typo
/// fails now, not as a missing store later). Error: ec::invalid_config, naming the option.
caf::expected<bench_plan> make_plan(const bench_options& opts);

} // namespace acfts
