// The thesis' experiment (doc/protocol.md "Thesis experiment", thesis §4.1): five scenarios of
// 1-unit transfers between the addresses of wallets c0 = {a0..a3} and c1 = {a4..a7}.
#pragma once

#include <cstdint>
#include <atomic>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "actors/embedded_cluster.hpp"
#include "bench/load_driver.hpp"

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

/// The number of transfers in `trials` repetitions of `s`.
size_t transfer_count(scenario s, size_t trials);

/// The `i`-th transfer of `s` (a pure function of its arguments, so that a run of 100,000 trials
/// never holds them all). S4 draws its addresses from `seed` and `i`.
transfer transfer_at(scenario s, uint64_t seed, size_t i);

/// The thesis' speed (tx/s) for a scenario and number of trials, if it published one.
std::optional<double> thesis_speed(scenario s, size_t trials);

/// The wallets and addresses a scenario runs against: an embedded cluster's actors, or wallet
/// nodes reached through their control interfaces. Addresses are numbered a0, a1, ...
struct bench_target {
  std::vector<wallet_endpoint> wallets;
  std::vector<address> addresses;
  /// The wallet that holds each address.
  std::vector<size_t> wallet_of;
};

/// The thesis' in-process setup as a bench target.
bench_target target_of(const embedded_cluster& c);

/// The thesis' setup with payers owned by spending policies: two more wallets of `c`, each with
/// four addresses owned by 2-of-3 policies over Ed25519, secp256k1 and P-256 keys of which the
/// wallet holds the Ed25519 and the P-256 key (so every payment carries, and every validator
/// checks, one signature of each), numbered a0..a7 as the thesis' are; the genesis a0 funds the
/// policy a0 with `funding` units first.
caf::expected<bench_target> policy_payers_of(caf::actor_system& sys, embedded_cluster& c,
                                             amount funding);

enum class bench_mode { sequential, concurrent };
const char* to_string(bench_mode m);

struct row_spec {
  scenario which = scenario::s1;
  bench_mode mode = bench_mode::sequential;
  size_t trials = 10;
  /// Payments in flight in concurrent mode (sequential: 1).
  size_t inflight = 64;
  uint64_t seed = 1;
};

struct scenario_result {
  scenario which;
  bench_mode mode = bench_mode::sequential;
  size_t trials = 0;
  size_t payments = 0;
  double seconds = 0;
  /// Uncounted payments and splits made first so that each sender can pay (and, concurrently,
  /// has an output per payment in flight).
  size_t setup_payments = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double per_second() const { return seconds > 0 ? payments / seconds : 0; }
};

/// Runs one row: funds the senders that start empty (from a0), in concurrent mode splits each
/// sender's balance into an output per payment it may have in flight, then times the scenario's
/// payments until every payment is final and every payee has verified and stored what it got.
/// `progress` (may be null) counts final payments of the timed part.
caf::expected<scenario_result> run_row(caf::actor_system& sys, const bench_target& target,
                                       const row_spec& spec, std::atomic<size_t>* progress);

/// The value below which a fraction `q` (0..1) of `xs` lies (nearest rank); 0 when empty.
double percentile(std::vector<double> xs, double q);

} // namespace acfts
