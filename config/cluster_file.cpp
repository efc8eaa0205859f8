#include "config/cluster_file.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/policy_text.hpp"
#include "messages/error.hpp"

namespace fs = std::filesystem;

namespace acfts {

const validator_entry* cluster_file::validator(const std::string& name) const {
  for (const auto& v : validators)
    if (v.name == name)
      return &v;
  return nullptr;
}

const wallet_entry* cluster_file::wallet(const std::string& name) const {
  for (const auto& w : wallets)
    if (w.name == name)
      return &w;
  return nullptr;
}

address address_entry::addr() const {
  return spend_policy ? policy_address(*spend_policy) : address_of(key);
}

std::optional<std::pair<const wallet_entry*, const address_entry*>>
cluster_file::find_address(const std::string& name) const {
  for (const auto& w : wallets)
    for (const auto& a : w.addresses)
      if (a.name == name)
        return std::make_pair(&w, &a);
  return std::nullopt;
}

namespace {

/// Reads fields of one TOML table, remembering the first error with its location.
class reader {
public:
  reader(std::string file, std::string where) : file_(std::move(file)), where_(std::move(where)) {}

  std::string text(const toml::table& t, const char* key) {
    auto v = t[key].value<std::string>();
    if (!v || v->empty()) {
      fail(key, "missing or not a non-empty string");
      return {};
    }
    return *v;
  }

  /// A port that may be left out (0).
  uint16_t optional_port(const toml::table& t, const char* key) {
    if (!t.contains(key))
      return 0;
    return port(t, key);
  }

  uint16_t port(const toml::table& t, const char* key) {
    auto v = t[key].value<int64_t>();
    if (!v || *v < 1 || *v > 65535) {
      fail(key, "missing or not a port number (1-65535)");
      return 0;
    }
    return static_cast<uint16_t>(*v);
  }

  public_key key(const toml::table& t, const char* k) {
    auto hex = text(t, k);
    auto pk = public_key::from_hex(hex);
    if (!hex.empty() && !pk)
      fail(k, "not 64 hex digits");
    return pk ? *pk : public_key{};
  }

  std::string path(const toml::table& t, const char* key, const fs::path& base) {
    auto p = text(t, key);
    if (p.empty())
      return p;
    fs::path fp{p};
    return fp.is_absolute() ? p : (base / fp).lexically_normal().string();
  }

  void fail(const std::string& key, const std::string& what) {
    if (!err_)
      err_ = make_error(ec::invalid_config, file_ + ": " + where_ + "." + key + ": " + what);
  }

  caf::error& error() { return err_; }

private:
  std::string file_;
  std::string where_;
  caf::error err_;
};

caf::error invalid(const std::string& file, const std::string& what) {
  return make_error(ec::invalid_config, file + ": " + what);
}

} // namespace

caf::expected<cluster_file> load_cluster_file(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin.line;
    return invalid(path, "line " + where.str() + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return invalid(path, e.what());
  }
  auto base = fs::path(path).parent_path();
  cluster_file c;
  std::set<std::string> names;
  std::set<std::pair<std::string, uint16_t>> endpoints;
  auto claim_name = [&](const std::string& name) { return names.insert(name).second; };
  auto claim_port = [&](const std::string& host, uint16_t port) {
    return endpoints.insert({host, port}).second;
  };

  auto gen = doc["genesis"].as_table();
  if (!gen)
    return invalid(path, "[genesis]: missing table");
  {
    reader r{path, "genesis"};
    c.genesis_owner = r.text(*gen, "owner");
    auto amount_v = (*gen)["amount"].value<int64_t>();
    if (!amount_v || *amount_v <= 0)
      r.fail("amount", "missing or not a positive integer");
    else
      c.genesis_amount = static_cast<amount>(*amount_v);
    if (r.error())
      return r.error();
  }

  auto vals = doc["validators"].as_array();
  if (!vals || vals->empty())
    return invalid(path, "[[validators]]: missing");
  for (size_t i = 0; i < vals->size(); ++i) {
    auto t = vals->get(i)->as_table();
    reader r{path, "validators[" + std::to_string(i) + "]"};
    if (!t)
      return invalid(path, "validators[" + std::to_string(i) + "]: not a table");
    validator_entry v;
    v.name = r.text(*t, "name");
    v.host = r.text(*t, "host");
    v.port = r.port(*t, "port");
    v.key = r.key(*t, "public_key");
    v.key_file = r.path(*t, "key_file", base);
    v.data_dir = r.path(*t, "data_dir", base);
    v.metrics_port = r.optional_port(*t, "metrics_port");
    if (r.error())
      return r.error();
    if (!claim_name(v.name))
      r.fail("name", "duplicate name '" + v.name + "'");
    if (!claim_port(v.host, v.port))
      r.fail("port", "port " + std::to_string(v.port) + " on " + v.host + " is used twice");
    if (v.metrics_port != 0 && !claim_port("127.0.0.1", v.metrics_port))
      r.fail("metrics_port", "port " + std::to_string(v.metrics_port) + " is used twice");
    if (r.error())
      return r.error();
    c.validators.push_back(std::move(v));
  }

  auto wals = doc["wallets"].as_array();
  if (!wals || wals->empty())
    return invalid(path, "[[wallets]]: missing");
  for (size_t i = 0; i < wals->size(); ++i) {
    auto t = wals->get(i)->as_table();
    std::string where = "wallets[" + std::to_string(i) + "]";
    if (!t)
      return invalid(path, where + ": not a table");
    reader r{path, where};
    wallet_entry w;
    w.name = r.text(*t, "name");
    w.host = r.text(*t, "host");
    w.port = r.port(*t, "port");
    w.control_port = r.port(*t, "control_port");
    w.data_dir = r.path(*t, "data_dir", base);
    w.metrics_port = r.optional_port(*t, "metrics_port");
    if (r.error())
      return r.error();
    if (!claim_name(w.name))
      r.fail("name", "duplicate name '" + w.name + "'");
    if (!claim_port(w.host, w.port))
      r.fail("port", "port " + std::to_string(w.port) + " on " + w.host + " is used twice");
    if (!claim_port("127.0.0.1", w.control_port) || w.control_port == w.port)
      r.fail("control_port", "port " + std::to_string(w.control_port) + " is used twice");
    if (w.metrics_port != 0 && !claim_port("127.0.0.1", w.metrics_port))
      r.fail("metrics_port", "port " + std::to_string(w.metrics_port) + " is used twice");
    auto addrs = (*t)["addresses"].as_array();
    if (!addrs || addrs->empty())
      r.fail("addresses", "missing (a wallet needs at least one address)");
    if (r.error())
      return r.error();
    for (size_t j = 0; j < addrs->size(); ++j) {
      auto at = addrs->get(j)->as_table();
      reader ra{path, where + ".addresses[" + std::to_string(j) + "]"};
      if (!at)
        return invalid(path, where + ".addresses[" + std::to_string(j) + "]: not a table");
      address_entry a;
      a.name = ra.text(*at, "name");
      if (auto text = (*at)["policy"].value<std::string>()) {
        auto p = parse_policy(*text);
        if (!p)
          ra.fail("policy", describe(p.error()));
        else
          a.spend_policy = std::move(*p);
        if (auto files = (*at)["key_files"].as_array()) {
          for (size_t f = 0; f < files->size(); ++f) {
            auto file = files->get(f)->value<std::string>();
            if (!file || file->empty()) {
              ra.fail("key_files", "not a list of paths");
              break;
            }
            fs::path fp{*file};
            a.key_files.push_back(fp.is_absolute() ? *file
                                                   : (base / fp).lexically_normal().string());
          }
        }
      } else {
        a.key = ra.key(*at, "public_key");
        a.key_file = ra.path(*at, "key_file", base);
      }
      if (!ra.error() && !claim_name(a.name))
        ra.fail("name", "duplicate name '" + a.name + "'");
      if (ra.error())
        return ra.error();
      w.addresses.push_back(std::move(a));
    }
    c.wallets.push_back(std::move(w));
  }

  auto owner = c.find_address(c.genesis_owner);
  if (!owner)
    return invalid(path, "genesis.owner: no address named '" + c.genesis_owner + "'");
  committee com;
  auto f = faults_tolerated(c.validators.size());
  if (!f)
    return invalid(path, "validators: " + std::to_string(c.validators.size())
                           + " is not 3f+1 (4, 7, 10, ...)");
  com.f = *f;
  for (const auto& v : c.validators)
    com.members.push_back(committee_member{v.name, v.key, v.host + ":" + std::to_string(v.port)});
  genesis g;
  g.tx.outputs.push_back(output{owner->second->addr(), c.genesis_amount});
  auto net = make_network(std::move(com), std::move(g));
  if (!net)
    return invalid(path, describe(net.error()));
  c.net = std::move(*net);
  return c;
}

caf::error write_cluster_file(const std::string& path, const cluster_file& c) {
  toml::table doc;
  doc.insert("genesis", toml::table{{"owner", c.genesis_owner},
                                    {"amount", static_cast<int64_t>(c.genesis_amount.units())}});
  toml::array vals;
  for (const auto& v : c.validators) {
    toml::table t{{"name", v.name},
                  {"host", v.host},
                  {"port", static_cast<int64_t>(v.port)},
                  {"public_key", v.key.hex()},
                  {"key_file", v.key_file},
                  {"data_dir", v.data_dir}};
    if (v.metrics_port != 0)
      t.insert("metrics_port", static_cast<int64_t>(v.metrics_port));
    vals.push_back(std::move(t));
  }
  doc.insert("validators", std::move(vals));
  toml::array wals;
  for (const auto& w : c.wallets) {
    toml::array addrs;
    for (const auto& a : w.addresses) {
      if (a.spend_policy) {
        toml::array files;
        for (const auto& f : a.key_files)
          files.push_back(f);
        addrs.push_back(toml::table{{"name", a.name},
                                    {"policy", policy_text(*a.spend_policy)},
                                    {"key_files", std::move(files)}});
      } else {
        addrs.push_back(
          toml::table{{"name", a.name}, {"public_key", a.key.hex()}, {"key_file", a.key_file}});
      }
    }
    toml::table t{{"name", w.name},
                  {"host", w.host},
                  {"port", static_cast<int64_t>(w.port)},
                  {"control_port", static_cast<int64_t>(w.control_port)},
                  {"data_dir", w.data_dir},
                  {"addresses", std::move(addrs)}};
    if (w.metrics_port != 0)
      t.insert("metrics_port", static_cast<int64_t>(w.metrics_port));
    wals.push_back(std::move(t));
  }
  doc.insert("wallets", std::move(wals));
  std::ofstream out{path, std::ios::trunc};
  out << "# acfts cluster file: written by `acfts keygen`, safe to edit (hosts, ports, paths).\n"
      << "# Keys and the genesis define the network: changing them makes a new one.\n\n"
      << doc << "\n";
  out.flush();
  if (!out)
    return make_error(ec::invalid_config, path + ": cannot write");
  return caf::none;
}

namespace {

/// Whether every threshold of `p` can be reached with all keys signing and all conditions true.
bool satisfiable(const policy& p) {
  if (p.type != policy::kind::threshold)
    return true;
  uint32_t reachable = 0;
  for (size_t i = 0; i < p.children.size(); ++i)
    if (satisfiable(p.children[i]))
      reachable += p.weights[i];
  return reachable >= p.k;
}

} // namespace

caf::expected<address> add_policy_address(const std::string& path, const std::string& wallet,
                                          const std::string& name, const policy& spend_policy,
                                          const std::vector<std::string>& key_files) {
  auto c = load_cluster_file(path);
  if (!c)
    return c.error();
  const auto* p = &spend_policy;
  if (!satisfiable(*p)) // its outputs would be locked forever
    return make_error(ec::invalid_config, "the policy can never be satisfied: a threshold "
                                          "exceeds the weights under it");
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
  for (auto& w : c->wallets)
    if (w.name == wallet) {
      address_entry a;
      a.name = name;
      a.spend_policy = *p;
      for (const auto& f : key_files)
        a.key_files.push_back(fs::absolute(f).lexically_normal().string());
      w.addresses.push_back(a);
      if (auto err = write_cluster_file(path, *c))
        return err;
      return a.addr();
    }
  return make_error(ec::invalid_config, path + ": no wallet named '" + wallet + "'");
}

} // namespace acfts
