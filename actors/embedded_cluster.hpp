// The library API: everything a C++ program needs to run acfts in its own process.
//
//   caf::actor_system_config cfg;
//   acfts::configure(cfg);
//   caf::actor_system sys{cfg};
//   auto cluster = acfts::embedded_cluster::start(sys, {/*shape*/ {}, "/var/lib/acfts"});
//   auto tx = (*cluster)->pay(0, 4, 25);              // a0 → a4, 25 units; waits until final
//   auto a4 = (*cluster)->balance(4);                 // 25
//
// An embedded cluster is N validators (each with its own LevelDB directory under data_dir) and
// W wallets (each with its own LevelDB directory and A address actors), wired to each other so
// that a payment to any of its addresses is handed to the right wallet. Its actors are ordinary
// CAF actors: send them the messages of validator_actor.hpp / wallet_actor.hpp directly, or use
// the blocking helpers below.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>

#include "actors/wallet_actor.hpp"
#include "config/cluster.hpp"
#include "messages/requests.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

/// Registers acfts' error category (so errors render as "acfts: conflict: ...") with `cfg`, and
/// sets CAF's scheduler threads to the machine's cores (at least 2; set it again after to differ).
void configure(caf::actor_system_config& cfg);

/// Asks `wallet` to pay and waits until the payment is final. Returns the transaction hash;
/// ec::timeout when `timeout` passes first (the wallet keeps trying: the payment is pending).
caf::expected<hash32> pay(caf::actor_system& sys, const wallet_api& wallet, const address& from,
                          const address& to, amount value,
                          caf::timespan timeout = std::chrono::seconds(30));

/// The balance of one address held by `wallet`.
caf::expected<amount> balance(caf::actor_system& sys, const wallet_api& wallet,
                              const address& owner);

/// The total balance of `wallet` (outputs of pending payments still count until final).
caf::expected<amount> total_balance(caf::actor_system& sys, const wallet_api& wallet);

/// Co-signing from C++ (the steps of `acfts tx create|sign|submit`): `wallet` plans a payment
/// from `from`, reserves its inputs and signs it with the keys of `from` it holds, and holds the
/// request for co-signers, who add theirs with protocol/cosign.hpp (sign_policy, combine).
caf::expected<sign_request> hold_payment(caf::actor_system& sys, const wallet_api& wallet,
                                         const address& from, const address& to, amount value);

/// Any wallet submits a complete request and this waits until it is final. ec::timeout when
/// `timeout` passes first (the wallet keeps trying).
caf::expected<hash32> submit_request(caf::actor_system& sys, const wallet_api& wallet,
                                     const sign_request& req,
                                     caf::timespan timeout = std::chrono::seconds(30));

class embedded_cluster {
public:
  struct options {
    cluster_shape shape;
    /// Parent directory of the stores: validator i in data_dir/v<i>, wallet w in data_dir/w<w>.
    std::string data_dir;
    /// Validators sync on a private thread with group commit (false: inline, for tests).
    bool background_commit = true;
    std::chrono::milliseconds retry_interval{1000};
    /// Verifier actors per validator (0: each validator checks signatures itself; its N peers
    /// already spread the work over the cores).
    size_t verifiers = 0;
    /// How the validators sign: one root per group-commit batch, or one signature per
    /// transaction.
    share_mode shares = share_mode::pooled;
    /// Lock shards per validator (validator_options::lock_shards).
    uint32_t lock_shards = 1;
  };

  /// Generates keys, opens the stores and spawns every actor. Errors: ec::invalid_config,
  /// ec::storage_error.
  static caf::expected<std::unique_ptr<embedded_cluster>> start(caf::actor_system& sys,
                                                                options opts);

  /// Stops every actor of the cluster.
  ~embedded_cluster();

  const network& net() const { return keys_.net; }
  const cluster_keys& keys() const { return keys_; }

  size_t validator_count() const { return validators_.size(); }
  const caf::actor& validator(size_t i) const { return validators_[i]; }
  size_t wallet_count() const { return wallets_.size(); }
  const wallet_api& wallet(size_t w) const { return wallets_[w]; }

  /// Addresses are numbered globally: a0..a(W·A−1).
  size_t address_count() const { return addresses_.size(); }
  const address& address_at(size_t i) const { return addresses_[i]; }
  /// The wallet that holds address i.
  size_t wallet_of(size_t i) const { return i / opts_.shape.addresses_per_wallet; }

  /// Spawns one more wallet, `name` (its store under data_dir/name), holding `keys` and the
  /// policy addresses `policies` (each with the keys of it this wallet holds), connected to
  /// every validator, and routed both ways to every other wallet of the cluster; it becomes
  /// wallet(wallet_count() - 1). Its addresses are not numbered (address_at knows the shape's).
  caf::expected<wallet_api>
  add_wallet(const std::string& name, std::vector<key_pair_ptr> keys,
             std::vector<wallet_options::policy_address_options> policies = {});

  /// Pays `value` from address `from` to address `to` and waits until final.
  caf::expected<hash32> pay(size_t from, size_t to, amount value,
                            caf::timespan timeout = std::chrono::seconds(30));

  caf::expected<amount> balance(size_t address_index);
  caf::expected<amount> wallet_balance(size_t w);

  /// Waits until no wallet has a payment pending or a hand-off unacknowledged; false on timeout.
  bool wait_settled(caf::timespan timeout = std::chrono::seconds(30));

  /// The sum of all wallets' totals: the genesis amount unless money was lost or created.
  caf::expected<amount> supply();

private:
  embedded_cluster(caf::actor_system& sys, options opts, cluster_keys keys);

  caf::actor_system& sys_;
  options opts_;
  cluster_keys keys_;
  std::vector<caf::actor> validators_;
  std::vector<wallet_api> wallets_;
  std::vector<address> addresses_;
  /// Where each address lives: the index of its wallet.
  std::vector<std::pair<address, size_t>> routes_;
};

} // namespace acfts
