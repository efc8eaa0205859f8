// `acfts bench` from the plan to the report: the nodes the rows run against (a fresh in-process
// committee per row, the running nodes of --config, or node processes on loopback started once),
// each row measured against the signature limit timed around it, and the validator alone.
#pragma once

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "bench/bench_options.hpp"

namespace acfts {

/// Runs the benchmark, printing the table to stdout and progress to stderr; returns the report
/// (the machine and every row) for --json.
caf::expected<nlohmann::json> run_bench(const bench_options& opts);

} // namespace acfts
