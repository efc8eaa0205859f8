#include "cli/look_commands.hpp"
#include "crypto/schemes.hpp"

#include <algorithm>
#include <iostream>

#include <caf/io/network/default_multiplexer.hpp>
#include <caf/io/network/native_socket.hpp>
#include <nlohmann/json.hpp>

#include "actors/atoms.hpp"
#include "config/payment_uri.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/error.hpp"
#include "cli/client.hpp"
#include "nodes/node_runtime.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/policy_text.hpp"

namespace acfts {

namespace {

/// "scheme:hex" of a single-key address, or the policy's readable form.
std::pair<std::string, std::string> owner_text(const address_entry& a) {
  if (!a.spend_policy)
    return {"ed25519", "ed25519:" + a.key.hex()};
  if (a.spend_policy->type == policy::kind::key) {
    auto k = key_of(*a.spend_policy);
    return {name_of(k.scheme), k.text()};
  }
  return {"policy", policy_text(*a.spend_policy)};
}

/// Whether something accepts a TCP connection at host:port now (CAF's own connect).
bool reachable(const std::string& host, uint16_t port) {
  auto fd = caf::io::network::new_tcp_connection(host, port);
  if (!fd)
    return false;
  caf::io::network::close_socket(*fd);
  return true;
}

} // namespace

int run_address_list(const std::string& config, const std::string& wallet, bool json) {
  auto found = find_wallet(config, wallet);
  if (!found)
    return fail(found.error(), json);
  const auto& w = found->entry();
  auto session = open_session(*found); // optional: a stopped wallet still lists its addresses
  auto out = nlohmann::ordered_json::array();
  for (const auto& a : w.addresses) {
    auto [scheme, key] = owner_text(a);
    nlohmann::ordered_json line{
      {"name", a.name}, {"address", a.addr().hex()}, {"scheme", scheme}, {"key", key}};
    if (session) {
      auto balance = (*session)->ask(std::chrono::seconds(10), control::balance{a.addr()});
      auto spendable = (*session)->ask(std::chrono::seconds(10), control::spendable{a.addr()});
      if (!balance || !spendable)
        return fail(!balance ? balance.error() : spendable.error(), json);
      line["balance"] = balance->units();
      line["spendable"] = spendable->units();
    }
    out.push_back(std::move(line));
  }
  if (json) {
    std::cout << nlohmann::ordered_json{{"wallet", w.name},
                                        {"running", static_cast<bool>(session)},
                                        {"addresses", out}}
                   .dump()
              << std::endl;
    return 0;
  }
  for (const auto& l : out) {
    std::cout << l["name"].get<std::string>() << "  " << l["address"].get<std::string>() << "  "
              << l["key"].get<std::string>();
    if (l.contains("balance"))
      std::cout << "  balance " << l["balance"].get<uint64_t>() << ", spendable "
                << l["spendable"].get<uint64_t>();
    std::cout << "\n";
  }
  if (!session)
    std::cout << "(wallet " << w.name << " is not running: no balances)\n";
  std::cout << std::flush;
  return 0;
}

int run_key_show(const std::string& file, bool json) {
  auto key = read_owner_key_file(file);
  if (!key)
    return fail(key.error(), json);
  const auto& pk = key->public_key();
  // A single-key address of Ed25519 is the hash of its key; other schemes own through a policy
  // of one key (`address new --policy scheme:HEX` makes it).
  policy leaf;
  leaf.type = policy::kind::key;
  leaf.scheme = static_cast<uint8_t>(pk.scheme);
  leaf.key = pk.key;
  address addr;
  if (pk.scheme == key_scheme::ed25519) {
    public_key ed;
    std::copy(pk.key.begin(), pk.key.end(), ed.data());
    addr = address_of(ed);
  } else {
    addr = policy_address(leaf);
  }
  if (json)
    std::cout << nlohmann::ordered_json{{"file", file},
                                        {"scheme", name_of(pk.scheme)},
                                        {"public_key", pk.text()},
                                        {"address", addr.hex()}}
                   .dump()
              << std::endl;
  else
    std::cout << pk.text() << "\naddress " << addr.hex() << std::endl;
  return 0;
}

int run_network(const std::string& config, bool json) {
  auto c = load_cluster_file(config);
  if (!c)
    return fail(c.error(), json);
  const auto& net = c->net;
  auto validators = nlohmann::ordered_json::array();
  size_t up = 0;
  for (const auto& v : c->validators) {
    auto ok = reachable(v.host, v.port);
    up += ok ? 1 : 0;
    validators.push_back({{"name", v.name},
                          {"endpoint", endpoint{v.host, v.port}.text()},
                          {"public_key", v.key.hex()},
                          {"reachable", ok}});
  }
  if (json) {
    std::cout << nlohmann::ordered_json{{"committee", net.id.hex()},
                                        {"f", net.f()},
                                        {"quorum", net.quorum()},
                                        {"tls", c->tls},
                                        {"validators", validators},
                                        {"reachable", up},
                                        {"genesis",
                                         {{"address", c->genesis_address.hex()},
                                          {"amount", c->genesis_amount.units()},
                                          {"tx", net.genesis_hash.hex()}}}}
                   .dump()
              << std::endl;
  } else {
    std::cout << "committee " << net.id.hex() << "\nf = " << net.f() << ": " << c->validators.size()
              << " validators, a payment is final at " << net.quorum() << " signatures"
              << (c->tls ? " (mutual TLS)" : "") << "\n";
    for (const auto& v : validators)
      std::cout << "  " << v["name"].get<std::string>() << "  " << v["endpoint"].get<std::string>()
                << "  " << (v["reachable"].get<bool>() ? "reachable" : "NOT REACHABLE") << "\n";
    std::cout << "genesis " << c->genesis_amount << " units to " << c->genesis_address.hex() << "\n"
              << up << " of " << c->validators.size() << " validators reachable"
              << (up >= net.quorum() ? "" : ": fewer than a quorum, payments stay pending")
              << std::endl;
  }
  return up >= net.quorum() ? 0 : exit_pending;
}

int run_key_new(const std::string& scheme, const std::string& out) {
  auto key = owner_key::generate(*scheme_named(scheme));
  if (auto err = write_owner_key_file(out, key))
    return fail(err);
  std::cout << key.public_key().text() << std::endl;
  return exit_ok;
}

command_runner add_network_command(CLI::App& app) {
  struct options {
    std::string config;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto network_cmd = app.add_subcommand(
    "network", "The network of a file: committee id, f, validators with endpoints and whether "
               "each is reachable now, the genesis");
  network_cmd->add_option("--config", o->config, "A wallet, committee or cluster file")->required();
  network_cmd->add_flag("--json", o->json, "One JSON object");
  return [=]() -> std::optional<int> {
    if (!*network_cmd)
      return std::nullopt;
    return run_network(o->config, o->json);
  };
}

} // namespace acfts
