#include "actors/embedded_cluster.hpp"

#include <algorithm>
#include <thread>

#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "actors/validator_actor.hpp"
#include "actors/wallet_actor.hpp"
#include "actors/wallet_client.hpp"
#include "crypto/hashing.hpp"
#include "messages/error.hpp"

namespace acfts {

void configure(caf::actor_system_config& cfg) {
  // CAF 0.17 starts max(cores, 4) scheduler threads; where the machine has fewer cores the
  // extra threads only add wake-ups and context switches (bench/RESULTS.md, "Scheduler
  // threads"). Two at least: an actor that blocks (a wallet's fsync, a part's connect) leaves
  // the other running.
  cfg.set("scheduler.max-threads", std::max<size_t>(2, std::thread::hardware_concurrency()));
  cfg.add_error_category(error_category,
                         [](uint8_t code, caf::atom_value, const caf::message& ctx) {
                           return "acfts: " + describe(caf::error{code, error_category, ctx});
                         });
}

caf::expected<hash32> pay(caf::actor_system& sys, const wallet_api& wallet, const address& from,
                          const address& to, amount value, caf::timespan timeout) {
  return pay_and_wait(sys, wallet_endpoint::in_process(wallet), from, to, value, timeout);
}

caf::expected<amount> balance(caf::actor_system& sys, const wallet_api& wallet,
                              const address& owner) {
  return query_balance(sys, wallet_endpoint::in_process(wallet), owner);
}

caf::expected<amount> total_balance(caf::actor_system& sys, const wallet_api& wallet) {
  return query_total(sys, wallet_endpoint::in_process(wallet));
}

caf::expected<sign_request> hold_payment(caf::actor_system& sys, const wallet_api& wallet,
                                         const address& from, const address& to, amount value) {
  return ask(sys, wallet_endpoint::in_process(wallet), std::chrono::seconds(30),
             control::hold{from, to, value});
}

caf::expected<hash32> submit_request(caf::actor_system& sys, const wallet_api& wallet,
                                     const sign_request& req, caf::timespan timeout) {
  return ask(sys, wallet_endpoint::in_process(wallet), timeout, control::submit{req, {}});
}

embedded_cluster::embedded_cluster(caf::actor_system& sys, options opts, cluster_keys keys)
  : sys_(sys), opts_(std::move(opts)), keys_(std::move(keys)) {}

caf::expected<std::unique_ptr<embedded_cluster>> embedded_cluster::start(caf::actor_system& sys,
                                                                         options opts) {
  if (opts.data_dir.empty())
    return make_error(ec::invalid_config, "embedded_cluster needs a data_dir");
  auto keys = make_cluster(opts.shape);
  if (!keys)
    return keys.error();
  std::unique_ptr<embedded_cluster> c{new embedded_cluster(sys, opts, std::move(*keys))};
  for (size_t i = 0; i < c->keys_.validators.size(); ++i) {
    validator_options vo;
    vo.net = c->keys_.net;
    vo.index = static_cast<uint16_t>(i);
    vo.key = c->keys_.validators[i];
    vo.data_dir = opts.data_dir + "/v" + std::to_string(i);
    vo.background_commit = opts.background_commit;
    vo.verifiers = opts.verifiers;
    vo.shares = opts.shares;
    vo.lock_shards = opts.lock_shards;
    auto v = spawn_validator(sys, std::move(vo));
    if (!v)
      return v.error();
    c->validators_.push_back(*v);
  }
  for (size_t w = 0; w < c->keys_.wallets.size(); ++w) {
    wallet_options wo;
    wo.net = c->keys_.net;
    wo.name = "w" + std::to_string(w);
    wo.data_dir = opts.data_dir + "/w" + std::to_string(w);
    wo.keys = c->keys_.wallets[w];
    wo.validators = c->validators_;
    wo.retry_interval = opts.retry_interval;
    auto h = spawn_wallet(sys, std::move(wo));
    if (!h)
      return h.error();
    c->wallets_.push_back(*h);
    for (const auto& k : c->keys_.wallets[w]) {
      c->addresses_.push_back(address_of(k->public_key()));
      c->routes_.emplace_back(c->addresses_.back(), w);
    }
  }
  // Every wallet learns where every other wallet's addresses live.
  for (size_t w = 0; w < c->wallets_.size(); ++w)
    for (size_t a = 0; a < c->addresses_.size(); ++a)
      if (c->wallet_of(a) != w)
        caf::anon_send(c->wallets_[w], peer_atom::value, c->addresses_[a],
                       caf::actor_cast<caf::actor>(c->wallets_[c->wallet_of(a)]));
  return c;
}

embedded_cluster::~embedded_cluster() {
  for (auto& w : wallets_)
    caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  for (auto& v : validators_)
    caf::anon_send_exit(v, caf::exit_reason::user_shutdown);
}

caf::expected<wallet_api>
embedded_cluster::add_wallet(const std::string& name, std::vector<key_pair_ptr> keys,
                             std::vector<wallet_options::policy_address_options> policies) {
  std::vector<address> mine;
  for (const auto& k : keys)
    mine.push_back(address_of(k->public_key()));
  for (const auto& pa : policies)
    mine.push_back(policy_address(pa.spend_policy));
  wallet_options wo;
  wo.net = keys_.net;
  wo.name = name;
  wo.data_dir = opts_.data_dir + "/" + name;
  wo.keys = std::move(keys);
  wo.policies = std::move(policies);
  wo.validators = validators_;
  wo.retry_interval = opts_.retry_interval;
  auto h = spawn_wallet(sys_, std::move(wo));
  if (!h)
    return h.error();
  for (const auto& [a, w] : routes_)
    caf::anon_send(*h, peer_atom::value, a, caf::actor_cast<caf::actor>(wallets_[w]));
  for (const auto& a : mine)
    for (const auto& other : wallets_)
      caf::anon_send(other, peer_atom::value, a, caf::actor_cast<caf::actor>(*h));
  wallets_.push_back(*h);
  for (const auto& a : mine)
    routes_.emplace_back(a, wallets_.size() - 1);
  return *h;
}

caf::expected<hash32> embedded_cluster::pay(size_t from, size_t to, amount value,
                                            caf::timespan timeout) {
  if (from >= addresses_.size() || to >= addresses_.size())
    return make_error(ec::unknown_address, "address index out of range");
  return acfts::pay(sys_, wallets_[wallet_of(from)], addresses_[from], addresses_[to], value,
                    timeout);
}

caf::expected<amount> embedded_cluster::balance(size_t i) {
  if (i >= addresses_.size())
    return make_error(ec::unknown_address, "address index out of range");
  return acfts::balance(sys_, wallets_[wallet_of(i)], addresses_[i]);
}

caf::expected<amount> embedded_cluster::wallet_balance(size_t w) {
  return total_balance(sys_, wallets_.at(w));
}

bool embedded_cluster::wait_settled(caf::timespan timeout) {
  std::vector<wallet_endpoint> endpoints;
  for (const auto& w : wallets_)
    endpoints.push_back(wallet_endpoint::in_process(w));
  return acfts::wait_settled(sys_, endpoints, timeout);
}

caf::expected<amount> embedded_cluster::supply() {
  amount total = 0;
  for (size_t w = 0; w < wallets_.size(); ++w) {
    auto b = wallet_balance(w);
    if (!b)
      return b.error();
    auto sum = checked_add(total, *b);
    if (!sum)
      return make_error(ec::amount_overflow, "the wallets' balances");
    total = *sum;
  }
  return total;
}

} // namespace acfts
