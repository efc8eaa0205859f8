// The actor tests' fixture: a committee of validator actors (honest, silent or Byzantine) and
// wallet actors under CAF's deterministic test coordinator, with real stores and signatures.
// Included by actors_test.cpp and actors_wallet_test.cpp.
#pragma once

#include <caf/test/dsl.hpp>

#include <map>

#include "actors/atoms.hpp"
#include "actors/embedded_cluster.hpp"
#include "actors/gate.hpp"
#include "actors/local_types.hpp"
#include "actors/validator_actor.hpp"
#include "actors/wallet_actor.hpp"
#include "crypto/hashing.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "protocol/payment.hpp"
#include "protocol/rules.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

using mute_atom = caf::atom_constant<caf::atom("mute")>;
using unmute_atom = caf::atom_constant<caf::atom("unmute")>;
using senders_atom = caf::atom_constant<caf::atom("senders")>;

struct proxy_state {
  bool muted = false;
  /// Requests swallowed while muted (never answered).
  std::vector<caf::response_promise> swallowed;
  /// Who sent each request: what a (possibly Byzantine) validator learns about its clients.
  std::vector<caf::actor_addr> senders;
  static inline const char* name = "test.silent_proxy";
};

/// Forwards requests to a validator, or swallows them while muted: a silent validator.
caf::behavior silent_proxy(caf::stateful_actor<proxy_state>* self, caf::actor validator) {
  return {
    [=](sign_atom a, const bytes& req) {
      self->state.senders.push_back(caf::actor_cast<caf::actor_addr>(self->current_sender()));
      if (self->state.muted)
        self->state.swallowed.push_back(self->make_response_promise());
      else
        self->delegate(validator, a, req);
    },
    [=](mute_atom) { self->state.muted = true; },
    [=](unmute_atom) { self->state.muted = false; },
    [=](senders_atom) { return self->state.senders; },
  };
}

/// How a Byzantine validator misbehaves.
enum class lie { signs_everything, answers_garbage, forges_signatures, answers_late };

using late_atom = caf::atom_constant<caf::atom("late")>;

/// A validator under an attacker's control: it holds a committee member's real key but follows
/// no rule (no checks, no locks).
caf::behavior byzantine_validator(caf::event_based_actor* self, network net, uint16_t index,
                                  key_pair_ptr key, lie mode) {
  // Answers held back by a late validator, by id.
  auto held = std::make_shared<std::map<uint64_t, std::pair<caf::response_promise, bytes>>>();
  return {
    [=](late_atom, uint64_t id) {
      auto i = held->find(id);
      if (i != held->end()) {
        i->second.first.deliver(reply_atom::value, i->second.second);
        held->erase(i);
      }
    },
    [=](sign_atom, const bytes& raw) -> caf::result<reply_atom, bytes> {
      auto req = decode<sign_request>(raw);
      auto tx = req ? tx_hash(req->tx) : hash32{};
      switch (mode) {
        case lie::answers_late: {
          // A valid signature, but a minute late: long after the wallet gave up on this request.
          auto rp = self->make_response_promise();
          auto id = static_cast<uint64_t>(held->size()) + 1;
          held->emplace(id,
                        std::make_pair(rp, encode(sign_reply{signed_reply{
                                             index, tx, sign_certificate_share(*key, net, tx)}})));
          self->delayed_send(self, std::chrono::minutes(1), late_atom::value, id);
          return rp;
        }
        case lie::signs_everything:
          return {
            reply_atom::value,
            encode(sign_reply{signed_reply{index, tx, sign_certificate_share(*key, net, tx)}})};
        case lie::answers_garbage:
          return {reply_atom::value, bytes{'\x92', '\x00', '\xc1', 'x'}};
        case lie::forges_signatures: {
          hash32 other;
          other.bytes.fill(0x5a);
          return {
            reply_atom::value,
            encode(sign_reply{signed_reply{index, tx, sign_certificate_share(*key, net, other)}})};
        }
      }
      return {reply_atom::value, bytes{}};
    },
  };
}

/// A validator or payee under an attacker's control that hits back at whoever talks to it —
/// exit_msg{kill}, a bare error, a down_msg, `pay` and the wallet's internal atoms — and then
/// passes the message on to `honest` (so that payments still work through it). Records whom it
/// hit.
caf::behavior hits_back(caf::event_based_actor* self, caf::actor honest,
                        std::shared_ptr<std::vector<caf::actor_addr>> hit) {
  auto strike = [=] {
    auto sender = caf::actor_cast<caf::actor>(self->current_sender());
    hit->push_back(sender.address());
    self->send_exit(sender, caf::exit_reason::kill);
    self->send(sender, caf::make_error(caf::sec::runtime_error));
    self->send(sender, caf::down_msg{self->address(), caf::exit_reason::kill});
    self->send(sender, caf::atom("pay"), std::string(64, '0'), std::string(64, '1'), amount{1});
    self->send(sender, caf::atom("flush"));
    self->send(sender, caf::atom("retry"));
  };
  return {
    [=](sign_atom a, const bytes& b) {
      strike();
      self->delegate(honest, a, b);
    },
    [=](deliver_atom a, const bytes& b) {
      strike();
      self->delegate(honest, a, b);
    },
    [=](deliver_atom a, const bytes& b, const bytes& payee) {
      strike();
      self->delegate(honest, a, b, payee);
    },
  };
}

struct acfts_config : caf::actor_system_config {
  acfts_config() { configure(*this); }
};

struct cluster_fixture : test_coordinator_fixture<acfts_config> {
  test::temp_dir dir;
  cluster_keys k = test::thesis_keys();
  std::vector<caf::actor> validators;
  std::vector<caf::actor> proxies;
  std::vector<wallet_api> wallets;
  std::vector<caf::actor> extra;
  /// What each validator and wallet reported through `on_fault` (what its node logs).
  std::map<size_t, std::vector<std::string>> validator_fault_reports, wallet_fault_reports;
  /// One fault switch per validator and per wallet store.
  std::vector<storage_faults_ptr> validator_faults;
  std::vector<storage_faults_ptr> wallet_faults{std::make_shared<storage_faults>(),
                                                std::make_shared<storage_faults>()};

  caf::actor start_validator(uint16_t i) {
    validator_options vo;
    vo.net = k.net;
    vo.index = i;
    vo.key = k.validators[i];
    vo.data_dir = dir / ("v" + std::to_string(i));
    vo.background_commit = false;
    vo.faults = validator_faults[i];
    vo.on_fault = [this, i](const caf::error& cause) {
      validator_fault_reports[i].push_back(describe(cause));
    };
    auto v = spawn_validator(sys, vo);
    if (!v)
      CAF_FAIL("cannot start validator: " << describe(v.error()));
    return *v;
  }

  cluster_fixture() {
    for (uint16_t i = 0; i < k.net.size(); ++i) {
      validator_faults.push_back(std::make_shared<storage_faults>());
      validators.push_back(start_validator(i));
      proxies.push_back(sys.spawn(silent_proxy, validators.back()));
    }
    for (size_t w = 0; w < 2; ++w)
      wallets.push_back(start_wallet(w));
    connect_peers();
  }

  ~cluster_fixture() override {
    // Wallets know each other (peer handles form cycles): stop every actor explicitly.
    for (auto& w : wallets)
      caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
    for (auto* group : {&proxies, &validators, &extra})
      for (auto& h : *group)
        caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
    sched.run();
  }

  wallet_api start_wallet(size_t w, std::vector<caf::actor> committee = {}) {
    wallet_options wo;
    wo.net = k.net;
    wo.name = "w" + std::to_string(w);
    wo.data_dir = dir / ("w" + std::to_string(w));
    wo.keys = k.wallets[w];
    wo.validators = committee.empty() ? proxies : committee;
    wo.retry_interval = std::chrono::seconds(1);
    wo.faults = wallet_faults[w];
    wo.on_fault = [this, w](const caf::error& cause) {
      wallet_fault_reports[w].push_back(describe(cause));
    };
    auto h = spawn_wallet(sys, wo);
    if (!h)
      CAF_FAIL("cannot start wallet: " << describe(h.error()));
    sched.run();
    return *h;
  }

  void connect_peers() {
    for (size_t w = 0; w < wallets.size(); ++w)
      for (size_t a = 0; a < 8; ++a)
        if (a / 4 != w)
          caf::anon_send(wallets[w], peer_atom::value, test::addr(k, a), as_actor(wallets[a / 4]));
    sched.run();
  }

  /// A wallet's handle where an untyped one is asked for (a peer's, a gate's target).
  static caf::actor as_actor(const wallet_api& w) { return caf::actor_cast<caf::actor>(w); }

  /// Sends a request, lets every actor run (no timeouts), and returns the answer.
  template <class T, class Handle, class... Ts>
  caf::expected<T> ask(const Handle& dest, Ts&&... xs) {
    auto rh = self->request(dest, caf::infinite, std::forward<Ts>(xs)...);
    sched.run();
    caf::expected<T> result{caf::sec::unexpected_message};
    rh.receive([&](T& x) { result = std::move(x); }, [&](caf::error& err) { result = err; });
    return result;
  }

  /// Starts a payment without waiting for its answer (which may never come).
  auto start_pay(size_t from, size_t to, amount value) {
    auto rh = self->request(wallets[from / 4], caf::infinite,
                            control::pay{test::addr(k, from), test::addr(k, to), value, {}});
    sched.run();
    return rh;
  }

  /// Pays and waits until final.
  caf::expected<hash32> pay(size_t from, size_t to, amount value) {
    return pay_with(wallets[from / 4], test::addr(k, from), test::addr(k, to), value);
  }

  /// Pays from any wallet and waits until final: `pay`, then `await` (as every client does).
  caf::expected<hash32> pay_with(const wallet_api& w, const address& from, const address& to,
                                 amount value) {
    auto tx = ask<hash32>(w, control::pay{from, to, value, {}});
    if (!tx)
      return tx;
    return ask<hash32>(w, control::await{*tx});
  }

  amount balance(size_t a) {
    auto b = ask<amount>(wallets[a / 4], control::balance{test::addr(k, a)});
    if (!b)
      CAF_FAIL("balance: " << describe(b.error()));
    return *b;
  }

  amount total(size_t w) { return *ask<amount>(wallets[w], control::total{}); }

  /// What both wallets hold.
  amount supply() {
    auto sum = checked_add(total(0), total(1));
    CAF_REQUIRE(sum);
    return *sum;
  }

  uint64_t pending(size_t w) { return *ask<uint64_t>(wallets[w], pending_atom::value); }

  void mute(size_t v) {
    caf::anon_send(proxies[v], mute_atom::value);
    sched.run();
  }

  void unmute(size_t v) {
    caf::anon_send(proxies[v], unmute_atom::value);
    sched.run();
  }

  /// Lets virtual time pass: every pending timeout fires once, then actors run.
  void let_time_pass(int rounds = 1) {
    for (int i = 0; i < rounds; ++i) {
      sched.trigger_timeouts();
      sched.run();
    }
  }

  /// A Byzantine stand-in for validator `i`.
  caf::actor byzantine(uint16_t i, lie mode) {
    auto b = sys.spawn(byzantine_validator, k.net, i, k.validators[i], mode);
    extra.push_back(b);
    return b;
  }

  /// Restarts wallet w0 with validator `i` replaced by `v`.
  void replace_for_w0(const std::vector<std::pair<uint16_t, caf::actor>>& replaced) {
    auto committee = proxies;
    for (const auto& [i, v] : replaced)
      committee[i] = v;
    caf::anon_send_exit(wallets[0], caf::exit_reason::kill);
    sched.run();
    wallets[0] = start_wallet(0, committee);
    connect_peers();
  }

  /// Whether `replies` (validator index → reply) hold a quorum of valid signatures for `req`.
  bool certified_by(const sign_request& req,
                    const std::vector<std::pair<uint16_t, sign_reply>>& replies) {
    quorum_collector q{k.net, tx_hash(req.tx)};
    for (const auto& [i, r] : replies)
      q.add(i, r);
    return q.current() == quorum_collector::state::certified;
  }

  /// The reply an actor standing for validator `v` gives a raw request.
  sign_reply ask_validator(size_t v, const sign_request& req) {
    return ask_actor(validators[v], req);
  }

  sign_reply ask_actor(const caf::actor& v, const sign_request& req) {
    caf::expected<sign_reply> out{caf::sec::unexpected_message};
    auto rh = self->request(v, caf::infinite, sign_atom::value, encode(req));
    sched.run();
    rh.receive(
      [&](reply_atom, const bytes& raw) {
        auto r = decode<sign_reply>(raw);
        if (r)
          out = *r;
        else
          out = r.error();
      },
      [&](caf::error& err) { out = err; });
    if (!out)
      CAF_FAIL("validator: " << describe(out.error()));
    return *out;
  }
};

} // namespace
