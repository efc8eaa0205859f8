#include "bench/scenarios.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

#include "crypto/hashing.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "messages/limits.hpp"

namespace acfts {

const char* to_string(scenario s) {
  switch (s) {
    case scenario::s1:
      return "S1";
    case scenario::s2:
      return "S2";
    case scenario::s3:
      return "S3";
    case scenario::s4:
      return "S4";
    case scenario::s5:
      return "S5";
  }
  return "?";
}

std::optional<scenario> parse_scenario(const std::string& name) {
  for (auto s : all_scenarios())
    if (name == to_string(s) || (name.size() == 2 && name[0] == 's' && name[1] == to_string(s)[1]))
      return s;
  return std::nullopt;
}

const std::vector<scenario>& all_scenarios() {
  static const std::vector<scenario> all{scenario::s1, scenario::s2, scenario::s3, scenario::s4,
                                         scenario::s5};
  return all;
}

size_t transfer_count(scenario s, size_t trials) {
  switch (s) {
    case scenario::s2:
      return 2 * trials;
    case scenario::s3:
      return 4 * trials;
    default:
      return trials;
  }
}

namespace {

/// SplitMix64: a well-mixed 64-bit value for each (seed, i).
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

} // namespace

transfer transfer_at(scenario s, uint64_t seed, size_t i) {
  switch (s) {
    case scenario::s1:
      return {0, 1};
    case scenario::s2:
      return i % 2 == 0 ? transfer{0, 1} : transfer{1, 0};
    case scenario::s3: {
      static constexpr transfer round[4] = {{0, 1}, {1, 0}, {2, 3}, {3, 2}};
      return round[i % 4];
    }
    case scenario::s4: { // random -> random within c0 = {a0..a3}
      auto r = mix(mix(seed) ^ i);
      return {static_cast<size_t>(r & 3), static_cast<size_t>((r >> 2) & 3)};
    }
    case scenario::s5:
      return {0, 4};
  }
  return {0, 1};
}

std::optional<double> thesis_speed(scenario s, size_t trials) {
  // Tables 4.1–4.5 of the thesis (tx/s); S5 lists no figures for 100 and 1000 trials that can
  // be attributed to a row with certainty, so only 10 and 10000 are given.
  static const std::map<std::pair<scenario, size_t>, double> table{
    {{scenario::s1, 10}, 5.25},    {{scenario::s1, 100}, 4.27},   {{scenario::s1, 1000}, 4.43},
    {{scenario::s1, 10000}, 3.49}, {{scenario::s2, 10}, 5.95},    {{scenario::s2, 100}, 5.00},
    {{scenario::s2, 1000}, 4.87},  {{scenario::s2, 10000}, 3.52}, {{scenario::s3, 10}, 5.17},
    {{scenario::s3, 100}, 4.58},   {{scenario::s3, 1000}, 4.92},  {{scenario::s3, 10000}, 2.71},
    {{scenario::s4, 10}, 5.33},    {{scenario::s4, 100}, 5.52},   {{scenario::s4, 1000}, 5.44},
    {{scenario::s4, 10000}, 4.54}, {{scenario::s5, 10}, 5.38},    {{scenario::s5, 10000}, 3.14},
  };
  auto i = table.find({s, trials});
  if (i == table.end())
    return std::nullopt;
  return i->second;
}

bench_target target_of(const embedded_cluster& c) {
  bench_target t;
  for (size_t w = 0; w < c.wallet_count(); ++w)
    t.wallets.push_back(wallet_endpoint::in_process(c.wallet(w)));
  for (size_t a = 0; a < c.address_count(); ++a) {
    t.addresses.push_back(c.address_at(a));
    t.wallet_of.push_back(c.wallet_of(a));
  }
  return t;
}

caf::expected<bench_target> policy_payers_of(caf::actor_system& sys, embedded_cluster& c,
                                             amount funding) {
  bench_target t;
  for (size_t w = 0; w < 2; ++w) {
    std::vector<wallet_options::policy_address_options> owned;
    for (size_t a = 0; a < 4; ++a) {
      auto ed = std::make_shared<const owner_key>(owner_key::generate(key_scheme::ed25519));
      auto secp = owner_key::generate(key_scheme::secp256k1);
      auto p256 = std::make_shared<const owner_key>(owner_key::generate(key_scheme::p256));
      policy p;
      p.type = policy::kind::threshold;
      p.k = 2;
      for (const auto& key : {ed->public_key(), secp.public_key(), p256->public_key()}) {
        policy leaf;
        leaf.scheme = static_cast<uint8_t>(key.scheme);
        leaf.key = key.key;
        p.weights.push_back(1);
        p.children.push_back(std::move(leaf));
      }
      t.addresses.push_back(policy_address(p));
      t.wallet_of.push_back(w);
      owned.push_back({std::move(p), {ed, p256}});
    }
    auto h = c.add_wallet("policy" + std::to_string(w), {}, std::move(owned));
    if (!h)
      return h.error();
    t.wallets.push_back(wallet_endpoint::in_process(*h));
  }
  if (auto paid = pay(sys, c.wallet(0), c.address_at(0), t.addresses[0], funding); !paid)
    return paid.error();
  if (!c.wait_settled())
    return make_error(ec::timeout, "the policy payers' funding did not settle");
  return t;
}

const char* to_string(bench_mode m) {
  return m == bench_mode::sequential ? "sequential" : "concurrent";
}

double percentile(std::vector<double> xs, double q) {
  if (xs.empty())
    return 0;
  auto rank = static_cast<size_t>(std::ceil(q * xs.size()));
  auto k = rank == 0 ? 0 : std::min(rank - 1, xs.size() - 1);
  std::nth_element(xs.begin(), xs.begin() + k, xs.end());
  return xs[k];
}

namespace {

payment_order order_of(const bench_target& t, size_t from, size_t to, amount value) {
  return payment_order{t.wallet_of.at(from), from, to, value, 0};
}

/// How many units each sender other than a0 must receive first. Sequentially, the lowest point
/// of its running balance; concurrently, all it sends (its incoming payments may be late).
caf::expected<std::map<size_t, amount>> funding_needs(caf::actor_system& sys, const bench_target& t,
                                                      const row_spec& spec) {
  std::map<size_t, int64_t> running, lowest;
  for (size_t i = 0, n = transfer_count(spec.which, spec.trials); i < n; ++i) {
    auto tr = transfer_at(spec.which, spec.seed, i);
    for (auto a : {tr.from, tr.to})
      if (running.count(a) == 0) { // its first appearance: start from its balance
        auto b = query_balance(sys, t.wallets.at(t.wallet_of.at(a)), t.addresses.at(a));
        if (!b)
          return b.error();
        running[a] = lowest[a] = static_cast<int64_t>(b->units());
      }
    running[tr.from] -= static_cast<int64_t>(tr.value.units());
    lowest[tr.from] = std::min(lowest[tr.from], running[tr.from]);
    if (spec.mode == bench_mode::sequential)
      running[tr.to] += static_cast<int64_t>(tr.value.units());
  }
  std::map<size_t, amount> needs;
  for (const auto& [a, low] : lowest)
    if (low < 0) {
      if (a == 0)
        return make_error(ec::insufficient_funds, "a0 cannot fund this scenario");
      needs[a] = static_cast<amount>(-low);
    }
  return needs;
}

} // namespace

caf::expected<scenario_result> run_row(caf::actor_system& sys, const bench_target& t,
                                       const row_spec& spec, std::atomic<size_t>* progress) {
  scenario_result r;
  r.which = spec.which;
  r.mode = spec.mode;
  r.trials = spec.trials;
  size_t count = transfer_count(spec.which, spec.trials);
  std::map<size_t, size_t> sends;
  for (size_t i = 0; i < count; ++i) {
    auto tr = transfer_at(spec.which, spec.seed, i);
    if (tr.from >= t.addresses.size() || tr.to >= t.addresses.size())
      return make_error(ec::invalid_config, std::string(to_string(spec.which))
                                              + " needs addresses a0..a7 (2 wallets of 4)");
    ++sends[tr.from];
  }
  bool concurrent = spec.mode == bench_mode::concurrent;
  // Set-up, not timed: fund empty senders from a0, then give each sender one output per
  // payment it may have in flight.
  auto needs = funding_needs(sys, t, spec);
  if (!needs)
    return needs.error();
  std::vector<payment_order> setup;
  for (const auto& [a, units] : *needs)
    setup.push_back(order_of(t, 0, a, units));
  load_options lo;
  lo.inflight = concurrent ? spec.inflight : 1;
  for (const auto& [a, n] : sends) {
    size_t slots =
      concurrent
        ? std::min({n, std::max<size_t>(1, lo.inflight / sends.size()), limits::max_outputs})
        : 1;
    if (lo.sender_slots.size() <= a)
      lo.sender_slots.resize(a + 1, 1);
    lo.sender_slots[a] = slots;
    if (slots > 1) {
      auto split = order_of(t, a, a, 0);
      split.split_parts = slots;
      setup.push_back(split);
    }
  }
  if (!setup.empty()) {
    load_options one;
    if (auto made = drive(sys, t.wallets, t.addresses, order_source::of(setup), one); !made)
      return made.error();
    if (!wait_settled(sys, t.wallets, std::chrono::seconds(60)))
      return make_error(ec::timeout, "set-up payments did not settle");
    r.setup_payments = setup.size();
  }
  order_source orders{count, [&t, spec](size_t i) {
                        auto tr = transfer_at(spec.which, spec.seed, i);
                        return order_of(t, tr.from, tr.to, tr.value);
                      }};
  lo.progress = progress;
  auto start = std::chrono::steady_clock::now();
  auto done = drive(sys, t.wallets, t.addresses, std::move(orders), lo);
  if (!done)
    return make_error(code_of(done.error()), std::string(to_string(spec.which)) + " "
                                               + to_string(spec.mode) + ": "
                                               + describe(done.error()));
  if (!wait_settled(sys, t.wallets, std::chrono::seconds(120)))
    return make_error(ec::timeout, "payees did not store every payment in time");
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.payments = done->final_orders;
  r.p50_ms = percentile(done->latency_ms, 0.50);
  r.p99_ms = percentile(done->latency_ms, 0.99);
  return r;
}

} // namespace acfts
