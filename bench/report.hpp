// What `acfts bench` prints and writes: the machine and its limits, one table line and one JSON
// object per row, the TLS comparison and the notes under the table.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/crypto_limit.hpp"
#include "bench/process_memory.hpp"
#include "bench/scenarios.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

/// One row's figures.
struct row_figures {
  scenario_result result;
  size_t inflight = 0;
  /// The signature-bound and per-payment limits timed around the row.
  double limit = 0;
  double pp_limit = 0;
  /// Owner signatures the validators checked per payment.
  double checks_per_payment = 0;
  /// The validators' records per synced write and the root cache's hit rate (embedded rows).
  std::optional<double> mean_batch;
  std::optional<double> hit_rate;
  /// The bench process's memory during the row (embedded rows).
  std::optional<process_memory> memory;
  std::string payer;
  share_mode shares = share_mode::pooled;
  /// Against the running nodes of --config: how they sign is theirs, not the bench's.
  bool running_nodes = false;
  /// With --distributed: the row's links, "plaintext" or "TLS", or "in-process" for a row on an
  /// in-process committee beside them (--against-in-process).
  std::optional<std::string> links;
  /// With --distributed: CPU seconds each group of processes ("validators", "verifiers",
  /// "shards", "wallets", and "bench", this driver) used in the row, set-up included, and the
  /// row's wall seconds with it.
  std::map<std::string, double> cpu_seconds;
  double wall_seconds = 0;
};

/// The machine, Ed25519 and the owner schemes' costs, and the limits of N validators.
void print_header(const crypto_costs& cc, unsigned cores, size_t n, double limit,
                  double per_payment_limit);
/// The table's column names.
void print_columns(bool distributed);
void print_row(const row_figures& r);
nlohmann::json row_json(const row_figures& r);

/// Payments per second of each (scenario, mode, trials) row over each kind of links of one run
/// (in-process, plaintext, TLS; a repeated --trials value gives a mean), printed side by side
/// after the table with each kind's share of the first.
class link_comparison {
public:
  void add(const row_figures& r);
  /// Whether rows over two kinds of links were added.
  bool compares() const { return kinds_.size() > 1; }
  void print() const;

private:
  struct speeds {
    double sum = 0;
    int rows = 0;
    double mean() const { return rows > 0 ? sum / rows : 0.0; }
  };
  /// The kinds in the order of their first row.
  std::vector<std::string> kinds_;
  std::map<std::string, std::map<std::string, speeds>> rows_;
};

/// What the columns mean.
void print_notes();

/// "S1 concurrent 100": a row's scenario, mode and trials.
std::string row_label(scenario which, bench_mode mode, size_t trials);
std::string row_label(const scenario_result& r);

} // namespace acfts
