// A test tool that attacks running nodes the way any peer on the network could: with nothing but
// a node's host and port and a CAF client (real TCP).
//
//   attacker barrage --config cluster.toml
//       sends every published port (validators, wallets' public ports, wallets' control ports)
//       system messages (exit_msg with every reason, down_msg, bare errors, link and monitor
//       requests), every internal atom of acfts with plausible payloads, unknown atoms and types,
//       oversized tuples and forged responses. Prints "sent N to M ports".
//   attacker forge-commit --config cluster.toml --validator v0 --tries 40 [--forged-error]
//       certifies a split of the genesis through the other validators, then per output sends
//       the validator a spend A, a forged `(committed, tx_A, error)` report timed across A's
//       pending write, and a conflicting spend B. Prints "double_signed D of N", in how many
//       tries exactly one of A and B was signed and the other refused as a conflict
//       ("one_signed K other M"), and whether a fresh spend afterwards is signed ("after: signed").
//   attacker forge-part --config cluster.toml --validator v1 [--key-file FILE]
//       calls each part of the validator in a process of its own: each lock shard with a
//       release and a reservation of the genesis output tagged with a key of its own, and with
//       junk; each verifier with a sign request tagged with that key, and with junk (--key-file:
//       with the key in that file instead, as a thief of one part's machine would). Prints one
//       line per call, "<call> <error code>", and fails if any was answered.
//   attacker bad-control --config cluster.toml --wallet w0
//       with the wallet's own token (a local user's mistake or a buggy script), sends its control
//       port commands whose addresses and hashes are not hex of the right length. Prints one line
//       per command, "<command> <error code>", and fails if any was accepted.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/atoms.hpp"
#include "protocol/part_link.hpp"
#include "messages/control.hpp"
#include "actors/embedded_cluster.hpp"
#include "config/cluster_file.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/rules.hpp"

using namespace acfts;

namespace {

using caf::atom;

struct port {
  std::string what;
  std::string host;
  uint16_t number;
};

std::vector<port> every_port(const cluster_file& c) {
  std::vector<port> out;
  for (const auto& v : c.validators) {
    out.push_back({"validator " + v.name, v.host, v.port});
    for (size_t k = 0; k < v.lock_shards.size(); ++k)
      out.push_back({"lock shard " + v.name + "/" + std::to_string(k), v.lock_shards[k].host,
                     v.lock_shards[k].port});
    for (size_t k = 0; k < v.verifiers.size(); ++k)
      out.push_back(
        {"verifier " + v.name + "/" + std::to_string(k), v.verifiers[k].host, v.verifiers[k].port});
  }
  for (const auto& w : c.wallets) {
    out.push_back({"wallet " + w.name, w.host, w.port});
    out.push_back({"control " + w.name, "127.0.0.1", w.control_port});
  }
  return out;
}

bytes random_bytes(std::mt19937_64& rng, size_t n) {
  bytes out(n);
  for (auto& b : out)
    b = static_cast<char>(rng());
  return out;
}

/// Everything a peer can send that is not a port's own wire message. Returns how many.
size_t barrage(caf::scoped_actor& self, const caf::actor& h, std::mt19937_64& rng) {
  size_t sent = 0;
  auto tell = [&](auto&&... xs) {
    caf::anon_send(h, std::forward<decltype(xs)>(xs)...);
    ++sent;
  };
  auto tx = random_bytes(rng, 32);
  auto hex = hash32::from_raw(tx.data(), tx.size())->hex();
  // System messages.
  tell(caf::down_msg{self->address(), caf::exit_reason::kill});
  tell(caf::make_error(caf::sec::runtime_error));
  tell(caf::make_error(caf::sec::request_receiver_down));
  tell(caf::error{});
  self->link_to(h);
  self->monitor(h);
  sent += 2;
  // Internal messages of acfts, with plausible payloads, and as the sender itself.
  tell(atom("committed"), tx, caf::error{});
  tell(atom("committed"), tx, make_error(ec::storage_error, "forged"));
  tell(atom("flush"));
  tell(atom("retry"));
  tell(atom("check"), random_bytes(rng, 200));
  tell(atom("checked"), true, random_bytes(rng, 64));
  tell(atom("witness"), tx);
  tell(atom("pay"), hex, hex, uint64_t{1});
  tell(atom("pay"), std::string{}, hex, hex, uint64_t{1});
  tell(atom("split"), hex, uint64_t{256});
  tell(atom("balance"));
  tell(atom("balance"), hex);
  tell(atom("peer"), hex, caf::actor_cast<caf::actor>(self));
  tell(atom("validator"), uint16_t{0}, caf::actor_cast<caf::actor>(self));
  tell(atom("pending"));
  tell(atom("unsettled"));
  tell(atom("addresses"));
  tell(atom("stats"));
  tell(atom("reply"), random_bytes(rng, 100));
  tell(atom("ack"));
  // Wire atoms with junk, unknown atoms, other types, oversized tuples.
  tell(atom("sign"), random_bytes(rng, 300));
  tell(atom("deliver"), random_bytes(rng, 300));
  tell(atom("shard"), random_bytes(rng, 300));
  tell(atom("sign"));
  tell(atom("sign"), std::string("not bytes"));
  tell(atom("nonsense"), int32_t{42});
  tell(atom("kill"));
  tell(int32_t{7});
  tell(std::string(100000, 'x'));
  tell(random_bytes(rng, 1 << 20));
  tell(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
  // Requests whose answer (if any) comes back to this actor; and forged responses.
  for (auto a : {atom("stats"), atom("pending"), atom("flush")}) {
    h->enqueue(caf::make_mailbox_element(caf::actor_cast<caf::strong_actor_ptr>(self),
                                         caf::make_message_id(rng() & 0xFFFFFFF), {}, a),
               nullptr);
    ++sent;
  }
  for (uint64_t id = 1; id < 64; ++id) {
    h->enqueue(caf::make_mailbox_element(caf::actor_cast<caf::strong_actor_ptr>(self),
                                         caf::make_message_id(id).response_id(), {}, atom("reply"),
                                         random_bytes(rng, 64)),
               nullptr);
    ++sent;
  }
  // Exit messages with every reason, kill last.
  using er = caf::exit_reason;
  for (auto reason : {er::normal, er::unhandled_exception, er::unknown, er::out_of_workers,
                      er::user_shutdown, er::remote_link_unreachable, er::unreachable, er::kill}) {
    self->send_exit(h, reason);
    ++sent;
  }
  return sent;
}

int run_barrage(const cluster_file& cluster, caf::actor_system& sys) {
  caf::scoped_actor self{sys};
  std::mt19937_64 rng{42};
  size_t sent = 0, ports = 0;
  for (const auto& p : every_port(cluster)) {
    auto h = sys.middleman().remote_actor(p.host, p.number);
    if (!h) {
      std::cerr << "cannot reach " << p.what << ": " << sys.render(h.error()) << "\n";
      return 1;
    }
    sent += barrage(self, *h, rng);
    ++ports;
  }
  // Let the middleman write everything out before the process ends.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::cout << "sent " << sent << " to " << ports << " ports" << std::endl;
  return 0;
}

struct attack {
  const cluster_file& cluster;
  caf::actor_system& sys;
  std::shared_ptr<const key_pair> owner_key;
  address owner;
  address payee_a, payee_b;

  sign_request request(transaction tx, std::vector<certified_transaction> parents) const {
    sign_request req;
    req.committee_id = cluster.net.id;
    req.tx = std::move(tx);
    req.witnesses.push_back(make_witness(*owner_key, tx_hash(req.tx)));
    req.parents = std::move(parents);
    return req;
  }
};

void busy_wait(std::chrono::microseconds d) {
  auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
  }
}

/// Waits for up to `n` replies to one-way sign requests.
std::vector<sign_reply> collect_all(caf::scoped_actor& self, size_t n) {
  std::vector<sign_reply> out;
  bool more = true;
  for (size_t i = 0; i < n && more; ++i)
    self->receive(
      [&](reply_atom, const bytes& raw) {
        if (auto r = decode<sign_reply>(raw))
          out.push_back(*r);
      },
      caf::after(std::chrono::seconds(10)) >> [&] { more = false; });
  return out;
}

/// The same, by transaction hash (one validator's replies).
std::map<hash32, sign_reply> collect(caf::scoped_actor& self, size_t n) {
  std::map<hash32, sign_reply> out;
  for (auto& r : collect_all(self, n))
    std::visit([&](const auto& x) { out[x.tx_hash] = r; }, r);
  return out;
}

} // namespace

namespace {

int run_forge_commit(const cluster_file& cluster, caf::actor_system& sys, const std::string& target,
                     size_t tries, bool forged_error) {
  auto victim = cluster.validator(target);
  auto owner = cluster.find_address(cluster.genesis_owner);
  if (!victim || !owner || cluster.wallets.empty() || cluster.wallets[0].addresses.size() < 3) {
    std::cerr << "unknown validator, or the cluster has too few addresses\n";
    return 1;
  }
  auto key = read_key_file(owner->second->key_file);
  if (!key) {
    std::cerr << describe(key.error()) << "\n";
    return 1;
  }
  attack a{cluster,
           sys,
           std::make_shared<const key_pair>(std::move(*key)),
           address_of(owner->second->key),
           address_of(cluster.wallets[0].addresses[1].key),
           address_of(cluster.wallets[0].addresses[2].key)};
  std::vector<caf::actor> validators;
  for (const auto& v : cluster.validators) {
    auto h = sys.middleman().remote_actor(v.host, v.port);
    if (!h) {
      std::cerr << "cannot reach " << v.name << ": " << sys.render(h.error()) << "\n";
      return 1;
    }
    validators.push_back(*h);
  }
  caf::scoped_actor self{sys};
  // T0: the genesis split into `tries` + 1 coins of 1 and the rest, certified by every validator.
  transaction t0;
  t0.inputs.push_back(output_ref{cluster.net.genesis_hash, 0});
  for (size_t i = 0; i <= tries; ++i)
    t0.outputs.push_back(output{a.owner, 1});
  t0.outputs.push_back(output{a.owner, cluster.genesis_amount.units() - tries - 1});
  auto t0_req = a.request(t0, {});
  auto t0_hash = tx_hash(t0);
  for (const auto& v : validators)
    self->send(v, sign_atom::value, encode(t0_req));
  certified_transaction parent{t0, certificate{t0_hash, {}}};
  for (const auto& r : collect_all(self, validators.size()))
    if (auto s = std::get_if<signed_reply>(&r))
      parent.cert.sigs.push_back(validator_signature{s->validator_index, s->sig, s->path});
  if (auto err = verify_certified(cluster.net, parent)) {
    std::cerr << "could not certify the split: " << describe(err) << "\n";
    return 1;
  }
  auto& v = validators[static_cast<size_t>(victim - cluster.validators.data())];
  auto spend = [&](uint32_t index, const address& to) {
    transaction tx;
    tx.inputs.push_back(output_ref{t0_hash, index});
    tx.outputs.push_back(output{to, 1});
    return a.request(tx, {parent});
  };
  auto forged = forged_error ? make_error(ec::storage_error, "forged") : caf::error{};
  // Honest: exactly one of A and B signed, the other refused as a conflict (which one depends on
  // which verifier finishes first).
  size_t double_signed = 0, one_signed = 0, other = 0;
  for (uint32_t i = 0; i < tries; ++i) {
    auto ra = spend(i, a.payee_a), rb = spend(i, a.payee_b);
    auto ha = tx_hash(ra.tx), hb = tx_hash(rb.tx);
    bytes ha_raw(ha.bytes.begin(), ha.bytes.end());
    self->send(v, sign_atom::value, encode(ra));
    // Spread the forgery over the window between A's lock step and the end of its fsync.
    busy_wait(std::chrono::microseconds(i * 1000 / tries));
    self->send(v, caf::atom("committed"), ha_raw, forged);
    self->send(v, sign_atom::value, encode(rb));
    auto replies = collect(self, 2);
    auto is_signed = [&](const hash32& h) {
      auto r = replies.find(h);
      return r != replies.end() && std::holds_alternative<signed_reply>(r->second);
    };
    auto is_conflict = [&](const hash32& h) {
      auto r = replies.find(h);
      return r != replies.end() && std::holds_alternative<rejected_reply>(r->second)
             && std::get<rejected_reply>(r->second).code == static_cast<uint16_t>(ec::conflict);
    };
    bool honest = (is_signed(ha) && is_conflict(hb)) || (is_signed(hb) && is_conflict(ha));
    double_signed += is_signed(ha) && is_signed(hb);
    one_signed += honest;
    other += !honest;
  }
  // Whatever happened, an honest spend of a fresh coin must still be signed.
  auto fresh = spend(static_cast<uint32_t>(tries), a.payee_a);
  self->send(v, sign_atom::value, encode(fresh));
  auto last = collect(self, 1);
  auto r = last.find(tx_hash(fresh.tx));
  std::string after = "no answer";
  if (r != last.end())
    after = std::holds_alternative<signed_reply>(r->second)
              ? "signed"
              : std::string("rejected ")
                  + to_string(static_cast<ec>(std::get<rejected_reply>(r->second).code));
  std::cout << "double_signed " << double_signed << " of " << tries << "\n"
            << "one_signed " << one_signed << " other " << other << "\n"
            << "after: " << after << std::endl;
  return 0;
}

int run_bad_control(const cluster_file& c, caf::actor_system& sys, const std::string& name) {
  const wallet_entry* w = nullptr;
  for (const auto& e : c.wallets)
    if (e.name == name)
      w = &e;
  if (w == nullptr) {
    std::cerr << "no wallet " << name << "\n";
    return 1;
  }
  std::string token;
  std::ifstream{w->data_dir + "/control.token"} >> token;
  auto control = sys.middleman().remote_actor("127.0.0.1", w->control_port);
  if (!control) {
    std::cerr << "cannot reach the control port: " << sys.render(control.error()) << "\n";
    return 1;
  }
  auto payee = address_of(c.wallets.back().addresses.front().key);
  auto own = address_of(w->addresses.front().key);
  caf::scoped_actor self{sys};
  int rc = 0;
  auto expect_refusal_in = [&](caf::timespan wait, const std::string& what, auto... xs) {
    self->request(*control, wait, xs...)
      .receive(
        [&](caf::message& m) {
          std::cout << what << " accepted: " << caf::to_string(m) << "\n";
          rc = 1;
        },
        [&](caf::error& err) { std::cout << what << " " << describe(err) << "\n"; });
  };
  auto expect_refusal = [&](const std::string& what, auto... xs) {
    expect_refusal_in(std::chrono::seconds(10), what, xs...);
  };
  // With the token: bytes that are no request, and requests the wallet must refuse.
  auto refuse = [&](const std::string& what, const control_request& req) {
    expect_refusal(what, control_atom::value, token, encode_control(req));
  };
  expect_refusal("junk", control_atom::value, token, bytes{'\x93', 'j', 'u', 'n', 'k'});
  expect_refusal("empty", control_atom::value, token, bytes{});
  expect_refusal("unknown-tag", control_atom::value, token, bytes{'\x92', '\x7f', '\x90'});
  auto total = encode_control(control_request{control::total{}});
  auto wide = bytes{'\x92', '\xcc', total[1], '\x90'}; // the tag as a 2-byte integer
  expect_refusal("non-canonical", control_atom::value, token, wide);
  auto truncated = encode_control(control_request{control::pay{own, payee, 1, {}}});
  truncated.pop_back();
  expect_refusal("truncated", control_atom::value, token, truncated);
  refuse("pay-zero", control::pay{own, payee, 0, {}});
  refuse("pay-foreign", control::pay{payee, own, 1, {}});
  refuse("pay-too-much", control::pay{own, payee, std::numeric_limits<uint64_t>::max(), {}});
  refuse("pay-route", control::pay{own, payee, 1, "no-port"});
  refuse("pay-route-port", control::pay{own, payee, 1, "h:080"});
  refuse("hold-zero", control::hold{own, payee, 0});
  refuse("split-foreign", control::split{payee, 2});
  refuse("await-unknown", control::await{hash32{}});
  refuse("abandon-unknown", control::abandon{hash32{}});
  refuse("export-unknown", control::export_tx{hash32{}});
  refuse("resend-unknown", control::resend{hash32{}, address{}, {}});
  refuse("resend-route", control::resend{hash32{}, payee, "h:0"});
  refuse("balance-foreign", control::balance{payee});
  // Without the right token, and in shapes the control port does not have: nothing passes
  // (the gate drops the latter: the asker hears nothing).
  expect_refusal("total-wrong-token", control_atom::value, std::string("not the token"), total);
  expect_refusal("total-no-token", control_atom::value, total);
  auto dropped = std::chrono::seconds(2);
  expect_refusal_in(dropped, "old-pay", caf::atom("pay"), token, own.hex(), payee.hex(),
                    uint64_t{1});
  expect_refusal_in(dropped, "route", route_atom::value, token, std::string("h"), uint16_t{1});
  expect_refusal_in(dropped, "endpoints", endpoints_atom::value);
  expect_refusal_in(dropped, "addresses", addresses_atom::value);
  return rc;
}

/// Calls every part of `target` in a process of its own as a peer without its part key.
int run_forge_part(const cluster_file& cluster, caf::actor_system& sys, const std::string& target,
                   const std::string& key_file) {
  auto v = cluster.validator(target);
  if (!v || (v->lock_shards.empty() && v->verifiers.empty())) {
    std::cerr << "unknown validator, or it has no parts of their own\n";
    return 1;
  }
  auto index = static_cast<uint16_t>(v - cluster.validators.data());
  auto shards = static_cast<uint32_t>(v->lock_shards.size());
  std::mt19937_64 rng{7};
  part_key forged;
  for (auto& b : forged.bytes)
    b = static_cast<uint8_t>(rng());
  if (!key_file.empty()) { // a key stolen from one part's machine
    auto key = read_part_key(key_file);
    if (!key) {
      std::cerr << key_file << ": not a part's key file\n";
      return 1;
    }
    forged = *key;
  }
  caf::scoped_actor self{sys};
  int rc = 0;
  for (uint32_t k = 0; k < shards; ++k) {
    auto h = sys.middleman().remote_actor(v->lock_shards[k].host, v->lock_shards[k].port);
    if (!h) {
      std::cerr << "cannot reach lock shard " << k << ": " << sys.render(h.error()) << "\n";
      return 1;
    }
    part_link_id link{cluster.net.id, index, k, shards};
    std::vector<output_ref> genesis{output_ref{cluster.net.genesis_hash, 0}};
    hash32 tx;
    for (auto& b : tx.bytes)
      b = static_cast<uint8_t>(rng());
    std::vector<std::pair<std::string, bytes>> calls{
      {"release",
       seal_call(forged, link, shard_call{shard_call::release, ~uint64_t{0}, tx, genesis})},
      {"reserve",
       seal_call(forged, link, shard_call{shard_call::reserve, ~uint64_t{0}, tx, genesis})},
      {"junk", random_bytes(rng, 300)},
    };
    for (const auto& [what, wire] : calls)
      self->request(*h, std::chrono::seconds(10), shard_atom::value, wire)
        .receive(
          [&](reply_atom, const bytes&) {
            std::cout << what << " answered" << std::endl;
            rc = 1;
          },
          [&](const caf::error& err) { std::cout << what << " " << describe(err) << std::endl; });
  }
  auto verifiers = static_cast<uint32_t>(v->verifiers.size());
  for (uint32_t k = 0; k < verifiers; ++k) {
    auto h = sys.middleman().remote_actor(v->verifiers[k].host, v->verifiers[k].port);
    if (!h) {
      std::cerr << "cannot reach verifier " << k << ": " << sys.render(h.error()) << "\n";
      return 1;
    }
    part_link_id link{cluster.net.id, index, k, verifiers};
    std::vector<std::pair<std::string, bytes>> calls{
      {"verify", seal_verify_call(forged, link, verify_call{1, {random_bytes(rng, 200)}})},
      {"junk", random_bytes(rng, 300)},
    };
    for (const auto& [what, wire] : calls)
      self->request(*h, std::chrono::seconds(10), verify_atom::value, wire)
        .receive(
          [&](reply_atom, const bytes&) {
            std::cout << what << " answered" << std::endl;
            rc = 1;
          },
          [&](const caf::error& err) { std::cout << what << " " << describe(err) << std::endl; });
  }
  return rc;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"attack running acfts nodes as any network peer could"};
  app.require_subcommand(1);
  std::string config, validator = "v0";
  size_t tries = 40;
  bool forged_error = false;
  auto barrage_cmd = app.add_subcommand("barrage", "junk and system messages to every port");
  barrage_cmd->add_option("--config", config)->required();
  auto forge_cmd = app.add_subcommand("forge-commit", "forged commit reports across a write");
  forge_cmd->add_option("--config", config)->required();
  forge_cmd->add_option("--validator", validator);
  forge_cmd->add_option("--tries", tries)->check(CLI::Range(1, 250));
  forge_cmd->add_flag("--forged-error", forged_error, "forge a failed write instead");
  auto forge_shard_cmd =
    app.add_subcommand("forge-part", "calls to lock shards and verifiers without the key");
  forge_shard_cmd->add_option("--config", config)->required();
  forge_shard_cmd->add_option("--validator", validator);
  std::string key_file;
  forge_shard_cmd->add_option(
    "--key-file", key_file,
    "sign the calls with this part's key file (as stolen from its machine)");
  std::string wallet = "w0";
  auto bad_control_cmd = app.add_subcommand("bad-control", "malformed commands with the token");
  bad_control_cmd->add_option("--config", config)->required();
  bad_control_cmd->add_option("--wallet", wallet);
  CLI11_PARSE(app, argc, argv);
  auto cluster = load_cluster_file(config);
  if (!cluster) {
    std::cerr << describe(cluster.error()) << "\n";
    return 1;
  }
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  configure(cfg);
  caf::actor_system sys{cfg};
  if (barrage_cmd->parsed())
    return run_barrage(*cluster, sys);
  if (forge_shard_cmd->parsed())
    return run_forge_part(*cluster, sys, validator, key_file);
  if (bad_control_cmd->parsed())
    return run_bad_control(*cluster, sys, wallet);
  return run_forge_commit(*cluster, sys, validator, tries, forged_error);
}
