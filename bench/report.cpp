#include "bench/report.hpp"

#include <algorithm>
#include <cstdio>

#include "protocol/network.hpp"

namespace acfts {

void print_header(const crypto_costs& cc, unsigned cores, size_t n, double limit,
                  double per_payment_limit) {
  std::printf("machine: %s, %u cores\n", cpu_model().c_str(), cores);
  std::printf("Ed25519 (libsodium, one core): sign %.1f us, verify %.1f us\n", cc.sign_us,
              cc.verify_us);
  // Policy keys (issue 14): what an owner's signature of each other scheme costs.
  auto sc = measure_owner_schemes();
  std::printf("secp256k1 BIP-340 (libsecp256k1): sign %.1f us, verify %.1f us; "
              "P-256 ECDSA (OpenSSL): sign %.1f us, verify %.1f us\n",
              sc.secp256k1.sign_us, sc.secp256k1.verify_us, sc.p256.sign_us, sc.p256.verify_us);
  auto w = payment_work(faults_tolerated(n).value_or(0));
  std::printf("signature-bound limit, N=%zu: %zu signs + %zu verifies per payment -> %.0f "
              "payments/s on %u cores\n",
              n, w.signs, w.verifies, limit, cores);
  auto pw = per_payment_work(faults_tolerated(n).value_or(0));
  std::printf("per-payment limit (what pooling cannot share): %zu sign + %zu verifies -> %.0f "
              "payments/s on %u cores\n\n",
              pw.signs, pw.verifies, per_payment_limit, cores);
}

void print_columns(bool distributed) {
  std::printf("%-4s %-10s %7s %8s %8s %10s %8s %8s %8s %7s %5s %8s %9s %8s %5s %8s %6s %6s "
              "%5s",
              "scen", "mode", "trials", "payments", "seconds", "payments/s", "p50_ms", "p99_ms",
              "limit/s", "%limit", "%pp", "thesis", "x thesis", "peak_MiB", "payer", "chk/pay",
              "shares", "batch", "hit%");
  if (distributed)
    std::printf(" links");
  std::printf("\n");
}

namespace {

/// The links column: "plain", "tls" or "inproc".
const char* link_column(const std::string& links) {
  if (links == "TLS")
    return "tls";
  if (links == "in-process")
    return "inproc";
  return "plain";
}

} // namespace

std::string row_label(scenario which, bench_mode mode, size_t trials) {
  return std::string(to_string(which)) + " " + to_string(mode) + " " + std::to_string(trials);
}

std::string row_label(const scenario_result& r) {
  return row_label(r.which, r.mode, r.trials);
}

void print_row(const row_figures& f) {
  const auto& r = f.result;
  char batch_col[16] = "-", hit_col[16] = "-", peak_col[16] = "-";
  if (f.mean_batch)
    std::snprintf(batch_col, sizeof(batch_col), "%.1f", *f.mean_batch);
  if (f.hit_rate)
    std::snprintf(hit_col, sizeof(hit_col), "%.0f", 100 * *f.hit_rate);
  if (f.memory)
    std::snprintf(peak_col, sizeof(peak_col), "%.0f", f.memory->peak_kib / 1024.0);
  auto thesis = thesis_speed(r.which, r.trials);
  char thesis_col[16] = "-", ratio_col[16] = "-";
  if (thesis) {
    std::snprintf(thesis_col, sizeof(thesis_col), "%.2f", *thesis);
    std::snprintf(ratio_col, sizeof(ratio_col), "%.0fx", r.per_second() / *thesis);
  }
  std::printf("%-4s %-10s %7zu %8zu %8.3f %10.1f %8.2f %8.2f %8.0f %6.0f%% %4.0f%% %8s "
              "%9s %8s %5s %8.2f %6s %6s %5s",
              to_string(r.which), to_string(r.mode), r.trials, r.payments, r.seconds,
              r.per_second(), r.p50_ms, r.p99_ms, f.limit, 100 * r.per_second() / f.limit,
              100 * r.per_second() / f.pp_limit, thesis_col, ratio_col, peak_col, f.payer.c_str(),
              f.checks_per_payment, f.running_nodes ? "-" : to_string(f.shares), batch_col,
              hit_col);
  if (f.links)
    std::printf(" %5s", link_column(*f.links));
  std::printf("\n");
  if (!f.cpu_seconds.empty() && f.wall_seconds > 0) {
    // Each group's share of the machine and its cost per payment (set-up payments included).
    auto payments = static_cast<double>(std::max<size_t>(1, r.payments + r.setup_payments));
    std::printf("     cpu over %.1f s, cores busy (ms per payment):", f.wall_seconds);
    for (const auto& [group, secs] : f.cpu_seconds)
      std::printf(" %s %.2f (%.3f)", group.c_str(), secs / f.wall_seconds, 1000 * secs / payments);
    std::printf("\n");
  }
  std::fflush(stdout);
}

nlohmann::json row_json(const row_figures& f) {
  const auto& r = f.result;
  nlohmann::json row{{"scenario", to_string(r.which)},
                     {"mode", to_string(r.mode)},
                     {"trials", r.trials},
                     {"transactions", r.payments},
                     {"seconds", r.seconds},
                     {"tx_per_s", r.per_second()},
                     {"p50_ms", r.p50_ms},
                     {"p99_ms", r.p99_ms},
                     {"setup_transactions", r.setup_payments},
                     {"crypto_limit_tx_per_s", f.limit},
                     {"share_of_limit", r.per_second() / f.limit},
                     {"payer", f.payer},
                     {"shares", to_string(f.shares)},
                     {"per_payment_limit_tx_per_s", f.pp_limit},
                     {"share_of_per_payment_limit", r.per_second() / f.pp_limit},
                     {"owner_signature_checks_per_tx", f.checks_per_payment}};
  if (r.mode == bench_mode::concurrent)
    row["inflight"] = f.inflight;
  if (f.links) {
    row["links"] = *f.links;
    if (*f.links != "in-process")
      row["tls"] = *f.links == "TLS";
  }
  if (!f.cpu_seconds.empty()) {
    row["cpu_seconds"] = f.cpu_seconds;
    row["wall_seconds"] = f.wall_seconds;
  }
  if (f.mean_batch)
    row["mean_batch"] = *f.mean_batch;
  if (f.hit_rate)
    row["root_cache_hit_rate"] = *f.hit_rate;
  if (f.memory) {
    row["peak_rss_mib"] = f.memory->peak_kib / 1024.0;
    row["rss_anon_mib"] = f.memory->anon_kib / 1024.0;
    row["rss_file_mib"] = f.memory->file_kib / 1024.0;
  }
  return row;
}

void link_comparison::add(const row_figures& f) {
  if (!f.links)
    return;
  if (std::find(kinds_.begin(), kinds_.end(), *f.links) == kinds_.end())
    kinds_.push_back(*f.links);
  auto& sp = rows_[row_label(f.result)][*f.links];
  sp.sum += f.result.per_second();
  ++sp.rows;
}

void link_comparison::print() const {
  std::printf("\nthe same rows over each kind of links, in one run:\n");
  for (const auto& [label, by_kind] : rows_) {
    // A kind without this row counts as no rows at 0/s.
    auto of = [&](const std::string& kind) {
      auto it = by_kind.find(kind);
      return it == by_kind.end() ? speeds{} : it->second;
    };
    std::printf("%-28s", label.c_str());
    for (const auto& kind : kinds_)
      std::printf(" %s %10.1f/s ", kind.c_str(), of(kind).mean());
    double first = of(kinds_.front()).mean();
    for (size_t k = 1; k < kinds_.size(); ++k)
      std::printf(" %s/%s %.2f ", kinds_[k].c_str(), kinds_.front().c_str(),
                  first > 0 ? of(kinds_[k]).mean() / first : 0.0);
    std::string counts;
    for (const auto& kind : kinds_)
      counts += (counts.empty() ? "" : "+") + std::to_string(of(kind).rows);
    std::printf(" (%s rows)\n", counts.c_str());
  }
}

void print_notes() {
  std::printf("\nset-up transactions (funding empty senders, splitting balances for "
              "concurrency) are not counted; a row ends when every payee stored its payments;\n"
              "limit/s: the signature-bound limit timed right before and after the row (mean), "
              "which %%limit is held against;\n"
              "peak_MiB: the bench process's highest resident size during the row (committee, "
              "wallets, driver and LevelDB's mapped files; embedded runs only);\n"
              "payer: key (one Ed25519 key per address) or 2of3 (a 2-of-3 policy over Ed25519, "
              "secp256k1 and P-256 keys, signed by the Ed25519 and P-256 keys);\n"
              "chk/pay: owner signatures the validators checked per payment (all N of them), "
              "limit/s and %%limit stay those of single-key payments;\n"
              "%%pp: the share of the per-payment limit; shares: single (a validator signature "
              "per transaction) or pooled (one per batch: a Merkle root); batch: records per "
              "synced write, mean over the validators; hit%%: verified roots found in the "
              "process's cache (embedded runs);\n"
              "links (--distributed): plain or tls between the node processes, inproc the same "
              "row on a fresh in-process committee (--against-in-process), whose cpu line's "
              "bench is the whole committee with its wallets\n");
}

} // namespace acfts
