// The thesis' experiment (PROTOCOL.md "Thesis experiment", thesis §4.1): five scenarios of
// 1-unit transfers between the addresses of wallets c0 = {a0..a3} and c1 = {a4..a7}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "actors/embedded_cluster.hpp"

namespace acfts {

enum class scenario { s1, s2, s3, s4, s5 };

const char* to_string(scenario s);
std::optional<scenario> parse_scenario(const std::string& name);
const std::vector<scenario>& all_scenarios();

/// A transfer of `value` from address index `from` to address index `to`.
struct transfer {
  size_t from;
  size_t to;
  amount value = 1;
};

/// The transfers of `trials` repetitions of `s`, in order. S4 draws from `seed`.
std::vector<transfer> scenario_transfers(scenario s, size_t trials, uint64_t seed);

/// The thesis' speed (tx/s) for a scenario and number of trials, if it published one.
std::optional<double> thesis_speed(scenario s, size_t trials);

/// Uncounted set-up payments from a0 so that no sender of `transfers` runs dry when they are
/// made in order (e.g. a2 in S3 starts with nothing). Returns how many it made.
caf::expected<size_t> fund_senders(embedded_cluster& c, const std::vector<transfer>& transfers);

struct scenario_result {
  scenario which;
  size_t trials = 0;
  size_t payments = 0;
  double seconds = 0;
  size_t setup_payments = 0;
  double per_second() const { return seconds > 0 ? payments / seconds : 0; }
};

/// Runs the transfers one at a time, each waiting until final (as the thesis did).
caf::expected<scenario_result> run_sequential(embedded_cluster& c, scenario s, size_t trials,
                                              uint64_t seed);

} // namespace acfts
