#include "nodes/wallet_node.hpp"

#include <atomic>
#include <iostream>
#include <map>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/atoms.hpp"
#include "actors/wallet_actor.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

const caf::duration local_timeout{std::chrono::seconds(30)};

/// Asks `wallet` and passes its answer (a T) or its error back through `rp`.
template <class T, class... Ts>
void relay(caf::event_based_actor* self, caf::response_promise rp, const caf::actor& wallet,
           const caf::duration& timeout, const Ts&... xs) {
  self->request(wallet, timeout, xs...)
    .then([=](T& answer) mutable { rp.deliver(std::move(answer)); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

/// The wallet's public face: passes certified payments, and nothing else, to the wallet and
/// relays its answer. (Relaying, not delegating: the wallet's own address never leaves this
/// process, so no other node can ever send it `pay`.)
caf::behavior intake(caf::event_based_actor* self, caf::actor wallet) {
  return {
    [=](deliver_atom, const bytes& payment) {
      relay<ack_atom>(self, self->make_response_promise(), wallet, local_timeout,
                      deliver_atom::value, payment);
    },
  };
}

/// The control interface on 127.0.0.1:control_port: every request carries the token from the
/// wallet's data directory, so only local users who may read that file can pay or read balances.
caf::behavior control(caf::event_based_actor* self, caf::actor wallet, std::string token) {
  auto refuse = [=](caf::response_promise& rp) {
    spdlog::warn("refused a control request without the right token");
    rp.deliver(make_error(ec::unauthorized, "wrong control token"));
  };
  return {
    [=](pay_atom, const std::string& tok, const std::string& from, const std::string& to,
        amount value) {
      auto rp = self->make_response_promise();
      if (!secrets_equal(tok, token))
        return refuse(rp);
      relay<std::string>(self, rp, wallet, caf::infinite, pay_atom::value, from, to, value);
    },
    [=](split_atom, const std::string& tok, const std::string& owner, uint64_t parts) {
      auto rp = self->make_response_promise();
      if (!secrets_equal(tok, token))
        return refuse(rp);
      relay<std::string>(self, rp, wallet, caf::infinite, split_atom::value, owner, parts);
    },
    [=](unsettled_atom, const std::string& tok) {
      auto rp = self->make_response_promise();
      if (!secrets_equal(tok, token))
        return refuse(rp);
      relay<uint64_t>(self, rp, wallet, local_timeout, unsettled_atom::value);
    },
    [=](balance_atom, const std::string& tok, const std::string& addr) {
      auto rp = self->make_response_promise();
      if (!secrets_equal(tok, token))
        return refuse(rp);
      relay<amount>(self, rp, wallet, local_timeout, balance_atom::value, addr);
    },
  };
}

/// Keeps the wallet connected to every validator and to the other wallets' intakes.
class connector {
public:
  connector(caf::actor_system& sys, const cluster_file& cluster, const wallet_entry& self_entry,
            caf::actor wallet)
    : sys_(sys), cluster_(cluster), me_(self_entry), wallet_(std::move(wallet)) {}

  void start() {
    thread_ = std::thread([this] { run(); });
  }

  void stop() {
    stop_ = true;
    if (thread_.joinable())
      thread_.join();
  }

private:
  void run() {
    caf::scoped_actor self{sys_};
    std::vector<caf::actor> validators(cluster_.validators.size());
    std::map<std::string, caf::actor> peers;
    while (!stop_) {
      for (size_t i = 0; i < validators.size(); ++i) {
        if (validators[i])
          continue;
        const auto& v = cluster_.validators[i];
        auto h = sys_.middleman().remote_actor(v.host, v.port);
        if (!h)
          continue;
        validators[i] = *h;
        self->monitor(*h);
        caf::anon_send(wallet_, validator_atom::value, static_cast<uint16_t>(i), *h);
        spdlog::info("connected to validator {} at {}:{}", v.name, v.host, v.port);
      }
      for (const auto& w : cluster_.wallets) {
        if (w.name == me_.name || peers[w.name])
          continue;
        auto h = sys_.middleman().remote_actor(w.host, w.port);
        if (!h)
          continue;
        peers[w.name] = *h;
        self->monitor(*h);
        for (const auto& a : w.addresses)
          caf::anon_send(wallet_, peer_atom::value, address_of(a.key).hex(), *h);
        spdlog::info("connected to wallet {} at {}:{}", w.name, w.host, w.port);
      }
      self->receive(
        [&](caf::down_msg& dm) {
          for (size_t i = 0; i < validators.size(); ++i)
            if (validators[i] && validators[i].address() == dm.source) {
              validators[i] = nullptr;
              spdlog::warn("lost validator {}", cluster_.validators[i].name);
            }
          for (auto& [name, h] : peers)
            if (h && h.address() == dm.source) {
              h = nullptr;
              spdlog::info("lost wallet {}", name);
            }
        },
        caf::after(std::chrono::milliseconds(300)) >> [] {});
    }
  }

  caf::actor_system& sys_;
  const cluster_file& cluster_;
  const wallet_entry& me_;
  caf::actor wallet_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace

int run_wallet_node(const std::string& config, const std::string& name, bool verbose) {
  block_stop_signals(); // before any thread starts, so that only sigwait sees them
  init_logging(name, verbose);
  auto cluster = load_cluster_file(config);
  if (!cluster)
    return fail(describe(cluster.error()));
  auto entry = cluster->wallet(name);
  if (!entry)
    return fail(config + ": no wallet named '" + name + "'");
  wallet_options opts;
  opts.net = cluster->net;
  opts.name = name;
  opts.data_dir = entry->data_dir;
  for (const auto& a : entry->addresses) {
    auto key = load_key(a.key_file, a.key, a.name);
    if (!key)
      return fail(describe(key.error()));
    opts.keys.push_back(*key);
    opts.key_refs.push_back(a.key_file);
  }
  opts.retry_interval = std::chrono::milliseconds(500);
  auto cfg = node_config();
  caf::actor_system sys{*cfg};
  auto wallet = spawn_wallet(sys, std::move(opts));
  if (!wallet)
    return fail(describe(wallet.error()));
  auto token = load_or_create_token(entry->data_dir + "/control.token");
  if (!token) {
    caf::anon_send_exit(*wallet, caf::exit_reason::user_shutdown);
    return fail(describe(token.error()));
  }
  auto front = sys.spawn(intake, *wallet);
  auto ctl = sys.spawn(control, *wallet, *token);
  auto stop_actors = [&] {
    caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(ctl, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(*wallet, caf::exit_reason::user_shutdown);
  };
  auto port = sys.middleman().publish(front, entry->port, entry->host.c_str(), true);
  if (!port) {
    stop_actors();
    return fail(name + ": cannot listen on " + entry->host + ":" + std::to_string(entry->port)
                + " (" + sys.render(port.error()) + ")");
  }
  auto control_port = sys.middleman().publish(ctl, entry->control_port, "127.0.0.1", true);
  if (!control_port) {
    stop_actors();
    return fail(name + ": cannot listen on 127.0.0.1:" + std::to_string(entry->control_port) + " ("
                + sys.render(control_port.error()) + ")");
  }
  connector links{sys, *cluster, *entry, *wallet};
  links.start();
  std::cout << "acfts wallet " << name << " serving on " << entry->host << ":" << *port
            << ", control on 127.0.0.1:" << *control_port << " (store " << entry->data_dir << ")"
            << std::endl;
  auto sig = wait_for_stop_signal();
  spdlog::info("{}: shutting down", sig);
  links.stop();
  stop_actors();
  return 0;
}

} // namespace acfts
