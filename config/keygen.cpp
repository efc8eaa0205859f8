#include "config/keygen.hpp"

#include <filesystem>
#include <set>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/cluster.hpp"
#include "crypto/key_file.hpp"
#include "crypto/tls_certs.hpp"
#include "messages/error.hpp"
#include "protocol/part_link.hpp"
#include "protocol/policy_text.hpp"

namespace fs = std::filesystem;

namespace acfts {

namespace {

/// The part key at `path` and, beside it, each part's own link key (`path`.shard-K,
/// `path`.verifier-K): a part's machine needs only its own file.
caf::error write_part_keys(const std::string& path, uint32_t shards, uint32_t verifiers) {
  auto parts_key = load_or_create_part_key(path);
  if (!parts_key)
    return parts_key.error();
  auto write = [&](const std::string& part, const part_key& key) -> caf::error {
    auto file = path + "." + part;
    auto held = write_token_file(file, key.hex());
    if (!held)
      return held.error();
    if (!secrets_equal(*held, key.hex()))
      return make_error(ec::invalid_key_file,
                        file + ": holds another key than " + path + " gives this part");
    return {};
  };
  for (uint32_t k = 0; k < shards; ++k)
    if (auto err = write("shard-" + std::to_string(k), shard_link_key(*parts_key, k)))
      return err;
  for (uint32_t k = 0; k < verifiers; ++k)
    if (auto err = write("verifier-" + std::to_string(k), verifier_link_key(*parts_key, k)))
      return err;
  return {};
}

/// A port on `host` that is free right now (the OS picks it). Used for side-by-side tests.
caf::expected<uint16_t> free_port(const std::string& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return make_error(ec::invalid_config, "cannot create a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    return make_error(ec::invalid_config, "--base-port 0 needs an IPv4 --host, not " + host);
  }
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0
      || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return make_error(ec::invalid_config, "cannot bind a free port on " + host);
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

} // namespace

caf::expected<std::string> keygen(const keygen_options& opts) {
  if (opts.lock_shard_parts == 1)
    return make_error(ec::invalid_config, "--lock-shard-parts: two or more per validator");
  cluster_shape shape;
  shape.validators = opts.validators;
  shape.wallets = opts.wallets;
  shape.addresses_per_wallet = opts.addresses;
  shape.genesis_amount = opts.genesis;
  auto keys = make_cluster(shape);
  if (!keys)
    return keys.error();
  fs::path out{opts.out_dir};
  auto file = (out / "cluster.toml").string();
  auto committee_file = (out / "committee.toml").string();
  for (const auto& f : {file, committee_file})
    if (fs::exists(f))
      return make_error(ec::invalid_config, f + ": exists; refusing to overwrite a network");
  std::error_code fs_err;
  fs::create_directories(out / "keys", fs_err);
  if (fs_err)
    return make_error(ec::invalid_config, (out / "keys").string() + ": " + fs_err.message());
  uint32_t next_port = opts.base_port;
  std::set<uint16_t> taken;
  auto port = [&]() -> caf::expected<uint16_t> {
    if (opts.base_port != 0) {
      if (next_port > 65535)
        return make_error(ec::invalid_config, "--base-port too high for this many nodes");
      return static_cast<uint16_t>(next_port++);
    }
    for (int tries = 0; tries < 100; ++tries) {
      auto p = free_port(opts.host);
      if (!p)
        return p;
      if (taken.insert(*p).second)
        return p;
    }
    return make_error(ec::invalid_config, "no free ports found");
  };
  cluster_file c;
  c.genesis_owner = "a0";
  c.genesis_amount = opts.genesis;
  for (size_t i = 0; i < keys->validators.size(); ++i) {
    validator_entry v;
    v.name = "v" + std::to_string(i);
    v.host = opts.host;
    auto p = port();
    if (!p)
      return p.error();
    v.port = *p;
    v.key = keys->validators[i]->public_key();
    v.key_file = "keys/" + v.name + ".key";
    v.data_dir = "data/" + v.name;
    if (auto err = write_key_file((out / v.key_file).string(), *keys->validators[i]))
      return err;
    c.validators.push_back(std::move(v));
  }
  for (size_t w = 0; w < keys->wallets.size(); ++w) {
    wallet_entry we;
    we.name = "w" + std::to_string(w);
    we.host = opts.host;
    auto p = port();
    if (!p)
      return p.error();
    we.port = *p;
    auto cp = port();
    if (!cp)
      return cp.error();
    we.control_port = *cp;
    we.data_dir = "data/" + we.name;
    for (size_t i = 0; i < keys->wallets[w].size(); ++i) {
      address_entry a;
      a.name = "a" + std::to_string(w * opts.addresses + i);
      a.key = keys->wallets[w][i]->public_key();
      a.key_file = "keys/" + a.name + ".key";
      if (auto err = write_key_file((out / a.key_file).string(), *keys->wallets[w][i]))
        return err;
      we.addresses.push_back(std::move(a));
    }
    c.wallets.push_back(std::move(we));
  }
  for (auto& v : c.validators) {
    for (uint32_t k = 0; k < opts.lock_shard_parts; ++k) {
      auto p = port();
      if (!p)
        return p.error();
      v.lock_shards.push_back(endpoint{opts.host, *p});
    }
    for (uint32_t k = 0; k < opts.verifier_parts; ++k) {
      auto p = port();
      if (!p)
        return p.error();
      v.verifiers.push_back(endpoint{opts.host, *p});
    }
    if (opts.lock_shard_parts != 0 || opts.verifier_parts != 0) {
      v.part_key_file = "keys/" + v.name + ".parts.key";
      if (auto err = write_part_keys((out / v.part_key_file).string(), opts.lock_shard_parts,
                                     opts.verifier_parts))
        return err;
    }
  }
  if (opts.metrics) {
    for (auto& v : c.validators) {
      auto p = port();
      if (!p)
        return p.error();
      v.metrics_port = *p;
    }
    for (auto& w : c.wallets) {
      auto p = port();
      if (!p)
        return p.error();
      w.metrics_port = *p;
    }
  }
  if (opts.tls) {
    fs::create_directories(out / "tls", fs_err);
    if (fs_err)
      return make_error(ec::invalid_config, (out / "tls").string() + ": " + fs_err.message());
    c.tls = true;
    c.tls_ca = "tls/ca.crt";
    auto ca_key = (out / "tls" / "ca.key").string();
    auto ca_cert = (out / c.tls_ca).string();
    if (auto err = make_tls_ca("acfts network CA", ca_key, ca_cert))
      return err;
    auto issue = [&](const std::string& name, std::string& cert, std::string& key) {
      cert = "tls/" + name + ".crt";
      key = "tls/" + name + ".key";
      return issue_tls_certificate(name, ca_cert, ca_key, (out / key).string(),
                                   (out / cert).string());
    };
    for (auto& v : c.validators)
      if (auto err = issue(v.name, v.tls_certificate, v.tls_key))
        return err;
    for (auto& w : c.wallets)
      if (auto err = issue(w.name, w.tls_certificate, w.tls_key))
        return err;
  }
  if (auto err = write_cluster_file(file, c))
    return err;
  // The same network split: what a joining wallet needs, and a file per wallet.
  auto loaded = load_cluster_file(file);
  if (!loaded)
    return loaded.error();
  if (auto err = write_committee_file(committee_file, *loaded))
    return err;
  for (const auto& w : loaded->wallets)
    if (auto err = write_wallet_file((out / (w.name + ".toml")).string(), "committee.toml", w))
      return err;
  return file;
}

caf::expected<address_entry> new_key_address(const std::string& name, const std::string& scheme,
                                             const std::string& key_file) {
  auto s = scheme_named(scheme);
  if (!s)
    return make_error(ec::unknown_scheme, "no key scheme named '" + scheme + "'");
  address_entry a;
  a.name = name;
  auto key = owner_key::generate(*s);
  if (auto err = write_owner_key_file(key_file, key))
    return err;
  if (*s == key_scheme::ed25519) {
    auto kp = read_key_file(key_file);
    if (!kp)
      return kp.error();
    a.key = kp->public_key();
    a.key_file = key_file;
    return a;
  }
  auto p = parse_policy(key.public_key().text());
  if (!p)
    return p.error();
  a.spend_policy = std::move(*p);
  a.key_files.push_back(key_file);
  return a;
}

caf::expected<std::string> wallet_init(const wallet_init_options& opts) {
  auto committee = load_cluster_file(opts.committee);
  if (!committee)
    return committee.error();
  if (committee->file_kind != cluster_file::kind::committee)
    return make_error(ec::invalid_config,
                      opts.committee + ": not a committee file (no wallets, no committee key)");
  fs::path out{opts.out_dir};
  auto file = (out / "wallet.toml").string();
  if (fs::exists(file))
    return make_error(ec::invalid_config, file + ": exists; refusing to overwrite a wallet");
  std::error_code fs_err;
  fs::create_directories(out / "keys", fs_err);
  if (fs_err)
    return make_error(ec::invalid_config, (out / "keys").string() + ": " + fs_err.message());
  wallet_entry w;
  w.name = opts.name;
  if (w.name.empty())
    w.name = fs::absolute(out).lexically_normal().filename().string();
  if (w.name.empty() || committee->validator(w.name))
    return make_error(ec::invalid_config, "name the wallet with --name (not '" + w.name + "')");
  w.host = opts.host;
  std::set<uint16_t> taken;
  auto pick = [&](uint16_t given, const std::string& host) -> caf::expected<uint16_t> {
    if (given != 0)
      return given;
    for (int tries = 0; tries < 100; ++tries) {
      auto p = free_port(host);
      if (!p || taken.insert(*p).second)
        return p;
    }
    return make_error(ec::invalid_config, "no free ports found");
  };
  auto port = pick(opts.port, opts.host);
  if (!port)
    return port.error();
  auto control = pick(opts.control_port, "127.0.0.1");
  if (!control)
    return control.error();
  w.port = *port;
  w.control_port = *control;
  w.metrics_port = opts.metrics_port;
  w.data_dir = fs::absolute(out / "data").lexically_normal().string();
  // The wallet keeps its own copy of the committee (the operator's may hold local paths), unless
  // it is that very file or an equal one.
  auto copy = (out / "committee.toml").string();
  if (fs::exists(copy)) {
    auto there = load_cluster_file(copy);
    if (!there || there->net.id != committee->net.id)
      return make_error(ec::invalid_config, copy + ": exists and is another network's");
  } else {
    auto shared = *committee;
    if (shared.tls)
      shared.tls_ca = fs::absolute(out / "tls" / "ca.crt").lexically_normal().string();
    if (auto err = write_committee_file(copy, shared, true))
      return err;
  }
  if (committee->tls) { // a key and a request; the network's operator signs it
    auto tls_dir = fs::absolute(out / "tls").lexically_normal();
    fs::create_directories(tls_dir, fs_err);
    if (fs_err)
      return make_error(ec::invalid_config, tls_dir.string() + ": " + fs_err.message());
    auto ca_copy = (tls_dir / "ca.crt").string();
    if (!fs::exists(ca_copy)) {
      fs::copy_file(committee->tls_ca, ca_copy, fs_err);
      if (fs_err)
        return make_error(ec::invalid_config, committee->tls_ca + ": " + fs_err.message());
    }
    w.tls_certificate = (tls_dir / (w.name + ".crt")).string();
    w.tls_key = (tls_dir / (w.name + ".key")).string();
    if (auto err = make_tls_request(w.name, w.tls_key, (tls_dir / (w.name + ".csr")).string()))
      return err;
  }
  auto first = new_key_address("a0", opts.scheme,
                               fs::absolute(out / "keys" / "a0.key").lexically_normal().string());
  if (!first)
    return first.error();
  w.addresses.push_back(std::move(*first));
  if (auto err = write_wallet_file(file, "committee.toml", w))
    return err;
  // Read back: what the wallet node will load must load.
  auto check = load_cluster_file(file);
  if (!check)
    return check.error();
  return file;
}

} // namespace acfts
