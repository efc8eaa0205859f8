// Writing cluster, committee and wallet files (config/cluster_file.hpp), and adding addresses
// to a wallet's file: TOML a person can read, paths relative to the file's directory.
#include <filesystem>
#include <fstream>
#include <toml++/toml.h>

#include "config/cluster_file.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/error.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/policy_text.hpp"

namespace fs = std::filesystem;

namespace acfts {

namespace {

/// `p` relative to `base` when it lies under it (files stay movable with their directory).
std::string relative_to(const fs::path& base, const std::string& p) {
  if (p.empty() || !fs::path(p).is_absolute())
    return p;
  auto rel = fs::path(p).lexically_relative(
    fs::absolute(base.empty() ? fs::path{"."} : base).lexically_normal());
  if (rel.empty() || *rel.begin() == "..")
    return p;
  return rel.string();
}

toml::table validator_table(const validator_entry& v, const fs::path& base, bool public_only) {
  toml::table t{{"name", v.name},
                {"host", v.host},
                {"port", static_cast<int64_t>(v.port)},
                {"public_key", v.key.hex()}};
  if (public_only)
    return t;
  if (!v.key_file.empty())
    t.insert("key_file", relative_to(base, v.key_file));
  if (!v.data_dir.empty())
    t.insert("data_dir", relative_to(base, v.data_dir));
  if (v.metrics_port != 0)
    t.insert("metrics_port", static_cast<int64_t>(v.metrics_port));
  auto parts = [&](const char* key, const std::vector<endpoint>& at) {
    if (at.empty())
      return;
    toml::array list;
    for (const auto& e : at)
      list.push_back(e.text());
    t.insert(key, std::move(list));
  };
  parts("lock_shards", v.lock_shards);
  parts("verifiers", v.verifiers);
  if (!v.lock_shards.empty() || !v.verifiers.empty())
    t.insert("part_key_file", relative_to(base, v.part_key_file));
  if (!public_only && !v.tls_certificate.empty()) {
    t.insert("tls_certificate", relative_to(base, v.tls_certificate));
    t.insert("tls_key", relative_to(base, v.tls_key));
  }
  return t;
}

toml::table wallet_table(const wallet_entry& w, const fs::path& base) {
  toml::array addrs;
  for (const auto& a : w.addresses) {
    if (a.spend_policy) {
      toml::array files;
      for (const auto& f : a.key_files)
        files.push_back(relative_to(base, f));
      addrs.push_back(toml::table{{"name", a.name},
                                  {"policy", policy_text(*a.spend_policy)},
                                  {"key_files", std::move(files)}});
    } else {
      addrs.push_back(toml::table{{"name", a.name},
                                  {"public_key", a.key.hex()},
                                  {"key_file", relative_to(base, a.key_file)}});
    }
  }
  toml::table t{{"name", w.name},
                {"host", w.host},
                {"port", static_cast<int64_t>(w.port)},
                {"control_port", static_cast<int64_t>(w.control_port)},
                {"data_dir", relative_to(base, w.data_dir)}};
  if (w.metrics_port != 0)
    t.insert("metrics_port", static_cast<int64_t>(w.metrics_port));
  if (!w.tls_certificate.empty()) {
    t.insert("tls_certificate", relative_to(base, w.tls_certificate));
    t.insert("tls_key", relative_to(base, w.tls_key));
  }
  t.insert("addresses", std::move(addrs));
  return t;
}

void insert_governance(toml::table& doc, const cluster_file& c) {
  if (c.net.epoch != 0)
    doc.insert("epoch", static_cast<int64_t>(c.net.epoch));
  if (c.net.governance)
    doc.insert("governance", policy_text(*c.net.governance));
  if (c.net.past.empty())
    return;
  toml::array past;
  for (const auto& p : c.net.past) {
    toml::array keys;
    for (const auto& m : p.members.members)
      keys.push_back(m.key.hex());
    past.push_back(toml::table{{"epoch", static_cast<int64_t>(p.epoch)},
                               {"f", static_cast<int64_t>(p.members.f)},
                               {"keys", std::move(keys)}});
  }
  doc.insert("past", std::move(past));
}

void insert_tls(toml::table& doc, const cluster_file& c, const fs::path& base) {
  if (!c.tls)
    return;
  doc.insert("tls", true);
  doc.insert("tls_ca", relative_to(base, c.tls_ca));
}

caf::error write_toml(const std::string& path, const char* header, const toml::table& doc) {
  std::ofstream out{path, std::ios::trunc};
  out << header << doc << "\n";
  out.flush();
  if (!out)
    return make_error(ec::invalid_config, path + ": cannot write");
  return caf::none;
}

} // namespace

caf::error write_cluster_file(const std::string& path, const cluster_file& c) {
  auto base = fs::path(path).parent_path();
  toml::table doc;
  doc.insert("genesis", toml::table{{"owner", c.genesis_owner},
                                    {"amount", static_cast<int64_t>(c.genesis_amount.units())}});
  toml::array vals;
  for (const auto& v : c.validators)
    vals.push_back(validator_table(v, base, false));
  doc.insert("validators", std::move(vals));
  insert_tls(doc, c, base);
  insert_governance(doc, c);
  toml::array wals;
  for (const auto& w : c.wallets)
    wals.push_back(wallet_table(w, base));
  doc.insert("wallets", std::move(wals));
  return write_toml(path,
                    "# acfts cluster file: written by `acfts keygen`, safe to edit (hosts, ports, "
                    "paths).\n# Keys and the genesis define the network: changing them makes a "
                    "new one.\n\n",
                    doc);
}

caf::error write_committee_file(const std::string& path, const cluster_file& c, bool public_only) {
  auto base = fs::path(path).parent_path();
  toml::table doc;
  doc.insert("f", static_cast<int64_t>(c.net.members.f));
  doc.insert("genesis", toml::table{{"address", c.genesis_address.hex()},
                                    {"amount", static_cast<int64_t>(c.genesis_amount.units())}});
  toml::array vals;
  for (const auto& v : c.validators)
    vals.push_back(validator_table(v, base, public_only));
  doc.insert("validators", std::move(vals));
  insert_tls(doc, c, base);
  insert_governance(doc, c);
  return write_toml(path,
                    "# acfts committee file: the network (its validators and genesis), all a "
                    "wallet needs to join.\n# Keys, f and the genesis define the network: "
                    "changing them makes a new one.\n\n",
                    doc);
}

caf::error write_wallet_file(const std::string& path, const std::string& committee_file,
                             const wallet_entry& w) {
  auto doc = wallet_table(w, fs::path(path).parent_path());
  doc.insert("committee", committee_file);
  return write_toml(path,
                    "# acfts wallet file: this wallet's endpoints, store and addresses; the "
                    "network is its committee file.\n\n",
                    doc);
}

namespace {

/// Adds `a` to wallet `wallet` of `c` (read from `path`) and rewrites the file.
caf::error append_address(const std::string& path, cluster_file c, const std::string& wallet,
                          address_entry a) {
  for (auto& w : c.wallets)
    if (w.name == wallet) {
      w.addresses.push_back(std::move(a));
      if (c.file_kind == cluster_file::kind::wallet)
        return write_wallet_file(path, c.committee_file, w);
      return write_cluster_file(path, c);
    }
  return make_error(ec::invalid_config, path + ": no wallet named '" + wallet + "'");
}

} // namespace

caf::expected<address> add_policy_address(const std::string& path, const std::string& wallet,
                                          const std::string& name, const policy& spend_policy,
                                          const std::vector<std::string>& key_files) {
  auto c = load_cluster_file(path);
  if (!c)
    return c.error();
  const auto* p = &spend_policy;
  auto now = static_cast<uint64_t>(std::time(nullptr));
  if (auto err = lint_policy(*p, now)) // its outputs could be locked for good
    return err;
  if (c->find_address(name) || c->wallet(name) || c->validator(name))
    return make_error(ec::invalid_config, path + ": the name '" + name + "' is in use");
  auto leaves = key_leaves(*p);
  for (const auto& file : key_files) {
    auto key = read_owner_key_file(file);
    if (!key)
      return key.error();
    bool of_policy = std::any_of(leaves.begin(), leaves.end(), [&](const policy* leaf) {
      return key_of(*leaf) == key->public_key();
    });
    if (!of_policy)
      return make_error(ec::invalid_config,
                        file + ": " + key->public_key().text() + " is none of the policy's keys");
  }
  address_entry a;
  a.name = name;
  a.spend_policy = *p;
  for (const auto& f : key_files)
    a.key_files.push_back(fs::absolute(f).lexically_normal().string());
  auto addr = a.addr();
  if (auto err = append_address(path, std::move(*c), wallet, std::move(a)))
    return err;
  return addr;
}

caf::error add_key_address(const std::string& path, const std::string& wallet,
                           address_entry entry) {
  auto c = load_cluster_file(path);
  if (!c)
    return c.error();
  if (c->find_address(entry.name) || c->wallet(entry.name) || c->validator(entry.name))
    return make_error(ec::invalid_config, path + ": the name '" + entry.name + "' is in use");
  return append_address(path, std::move(*c), wallet, std::move(entry));
}

} // namespace acfts
