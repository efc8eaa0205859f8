#include "config/cluster_file.hpp"

#include <algorithm>
#include <ctime>
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

caf::expected<std::optional<tls_files>> cluster_file::tls_of(const std::string& name) const {
  if (!tls)
    return std::optional<tls_files>{};
  tls_files files;
  files.ca = tls_ca;
  if (auto v = validator(name)) {
    files.certificate = v->tls_certificate;
    files.key = v->tls_key;
  } else if (auto w = wallet(name)) {
    files.certificate = w->tls_certificate;
    files.key = w->tls_key;
  }
  if (files.certificate.empty() || files.key.empty())
    return make_error(ec::invalid_config,
                      name
                        + ": the network runs TLS, but the node has no tls_certificate and "
                          "tls_key (a joining wallet: have the operator sign its request with "
                          "`acfts cert sign`)");
  if (auto err = check_owner_only(files.key))
    return make_error(code_of(err), name + ": tls_key " + describe(err));
  if (!fs::exists(files.certificate))
    return make_error(ec::invalid_config,
                      name + ": " + files.certificate
                        + ": no certificate yet (have the network's operator sign the request "
                          "next to it with `acfts cert sign`)");
  return std::optional<tls_files>{files};
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

/// A path of a file whose directory is `base`: absolute, so that it means the same from anywhere.
std::string absolute_under(const fs::path& base, const std::string& p) {
  fs::path fp{p};
  return fs::absolute(fp.is_absolute() ? fp : base / fp).lexically_normal().string();
}

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
    return absolute_under(base, p);
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

/// A key of `t` that is none of `known`: a mistyped optional field ("metrics_prot") would
/// otherwise be ignored without a word. `where` names the table ("" for the top level).
caf::error only_known_keys(const std::string& file, const std::string& where, const toml::table& t,
                           const std::vector<std::string_view>& known) {
  for (const auto& [key, value] : t) {
    auto k = key.str();
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      std::string list;
      for (auto x : known)
        list += (list.empty() ? "" : ", ") + std::string{x};
      return invalid(file, (where.empty() ? "" : where + ".") + std::string{k}
                             + ": unknown key (known here: " + list + ")");
    }
  }
  return caf::none;
}

const std::vector<std::string_view> wallet_keys = {
  "name",    "host",     "port", "control_port", "data_dir", "metrics_port", "tls_certificate",
  "tls_key", "addresses"};

} // namespace

namespace {

/// Reads the parts of one file, claiming names and endpoints so that none is used twice.
class file_loader {
public:
  explicit file_loader(std::string path)
    : path_(std::move(path)), base_(fs::path(path_).parent_path()) {}

  const std::string& path() const { return path_; }
  const fs::path& base() const { return base_; }

  caf::expected<toml::table> parse() {
    try {
      return toml::parse_file(path_);
    } catch (const toml::parse_error& e) {
      std::ostringstream where;
      where << e.source().begin.line;
      return invalid(path_, "line " + where.str() + ": " + std::string(e.description()));
    } catch (const std::exception& e) {
      return invalid(path_, e.what());
    }
  }

  /// The [[validators]] of `doc`; `local_parts`: key_file and data_dir are required (a cluster
  /// file), else optional (a committee file: only the validator's operator needs them).
  caf::error validators(const toml::table& doc, bool local_parts, cluster_file& c) {
    auto vals = doc["validators"].as_array();
    if (!vals || vals->empty())
      return invalid(path_, "[[validators]]: missing");
    for (size_t i = 0; i < vals->size(); ++i) {
      auto t = vals->get(i)->as_table();
      reader r{path_, "validators[" + std::to_string(i) + "]"};
      if (!t)
        return invalid(path_, "validators[" + std::to_string(i) + "]: not a table");
      if (auto err = only_known_keys(path_, "validators[" + std::to_string(i) + "]", *t,
                                     {"name", "host", "port", "public_key", "key_file", "data_dir",
                                      "metrics_port", "tls_certificate", "tls_key", "lock_shards",
                                      "verifiers", "part_key_file"}))
        return err;
      validator_entry v;
      v.name = r.text(*t, "name");
      v.host = r.text(*t, "host");
      v.port = r.port(*t, "port");
      v.key = r.key(*t, "public_key");
      if (local_parts || t->contains("key_file"))
        v.key_file = r.path(*t, "key_file", base_);
      if (local_parts || t->contains("data_dir"))
        v.data_dir = r.path(*t, "data_dir", base_);
      v.metrics_port = r.optional_port(*t, "metrics_port");
      read_tls(r, *t, v.tls_certificate, v.tls_key);
      // Parts in processes of their own: where each listens.
      auto read_parts = [&](const char* key, size_t at_least, std::vector<endpoint>& out) {
        if (!t->contains(key))
          return;
        auto list = (*t)[key].as_array();
        if (!list || list->size() < at_least)
          r.fail(key, at_least == 1 ? "not a list of \"host:port\" strings"
                                    : "not a list of two or more \"host:port\" strings");
        for (size_t k = 0; list && k < list->size(); ++k) {
          auto text = list->get(k)->value<std::string>();
          auto at = parse_endpoint(text ? *text : std::string{});
          if (!at) {
            r.fail(key, "entry " + std::to_string(k) + " is not a \"host:port\"");
            break;
          }
          if (!claim_port(at->host, at->port))
            r.fail(key, "port " + std::to_string(at->port) + " on " + at->host + " is used twice");
          out.push_back(*at);
        }
      };
      read_parts("lock_shards", 2, v.lock_shards);
      read_parts("verifiers", 1, v.verifiers);
      if (!v.lock_shards.empty() || !v.verifiers.empty()) {
        if (local_parts || t->contains("part_key_file"))
          v.part_key_file = r.path(*t, "part_key_file", base_);
      } else if (t->contains("part_key_file")) {
        r.fail("part_key_file",
               "only with lock_shards or verifiers (parts in processes of their own)");
      }
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
    return caf::none;
  }

  /// One wallet: the table `t` of a cluster file's [[wallets]], or a wallet file's top level.
  caf::expected<wallet_entry> wallet(const toml::table& t, const std::string& where) {
    reader r{path_, where};
    auto at = [&](const char* key) { return where.empty() ? std::string{key} : where + "." + key; };
    wallet_entry w;
    w.name = r.text(t, "name");
    w.host = r.text(t, "host");
    w.port = r.port(t, "port");
    w.control_port = r.port(t, "control_port");
    w.data_dir = r.path(t, "data_dir", base_);
    w.metrics_port = r.optional_port(t, "metrics_port");
    read_tls(r, t, w.tls_certificate, w.tls_key);
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
    auto addrs = t["addresses"].as_array();
    if (!addrs || addrs->empty())
      r.fail("addresses", "missing (a wallet needs at least one address)");
    if (r.error())
      return r.error();
    for (size_t j = 0; j < addrs->size(); ++j) {
      auto where_a = at("addresses") + "[" + std::to_string(j) + "]";
      auto entry = address(addrs->get(j)->as_table(), where_a);
      if (!entry)
        return entry.error();
      w.addresses.push_back(std::move(*entry));
    }
    return w;
  }

  /// Derives the committee and genesis of `c` (genesis_address set).
  caf::error finish(cluster_file& c) {
    committee com;
    auto f = faults_tolerated(c.validators.size());
    if (!f)
      return invalid(path_, "validators: " + std::to_string(c.validators.size())
                              + " is not 3f+1 (4, 7, 10, ...)");
    com.f = *f;
    for (const auto& v : c.validators)
      com.members.push_back(committee_member{v.name, v.key, v.host + ":" + std::to_string(v.port)});
    genesis g;
    g.tx.outputs.push_back(output{c.genesis_address, c.genesis_amount});
    auto net = make_network(std::move(com), std::move(g));
    if (!net)
      return invalid(path_, describe(net.error()));
    c.net = std::move(*net);
    return caf::none;
  }

  bool claim_name(const std::string& name) { return names_.insert(name).second; }

  /// The top level's `tls = true` and `tls_ca`.
  caf::error network_tls(const toml::table& doc, cluster_file& c) {
    if (!doc.contains("tls"))
      return caf::none;
    reader r{path_, "(top level)"};
    auto on = doc["tls"].value<bool>();
    if (!on)
      return invalid(path_, "tls: not true or false");
    c.tls = *on;
    if (c.tls)
      c.tls_ca = r.path(doc, "tls_ca", base_);
    return r.error();
  }

  /// The top level's `epoch` and `governance` (a policy of keys and thresholds that must sign a
  /// change of committee), once `finish` made the network.
  caf::error network_governance(const toml::table& doc, cluster_file& c) {
    if (doc.contains("epoch")) {
      auto epoch = doc["epoch"].value<int64_t>();
      if (!epoch || *epoch < 0)
        return invalid(path_, "epoch: not a number of 0 or more");
      c.net.epoch = static_cast<uint64_t>(*epoch);
    }
    if (!doc.contains("governance"))
      return caf::none;
    auto text = doc["governance"].value<std::string>();
    if (!text)
      return invalid(path_, "governance: not a policy (e.g. \"thresh(2, ed25519:HEX, ...)\")");
    auto p = parse_policy(*text);
    if (!p)
      return invalid(path_, "governance: " + describe(p.error()));
    std::vector<const policy*> todo{&*p};
    while (!todo.empty()) {
      const auto* node = todo.back();
      todo.pop_back();
      if (node->type != policy::kind::key && node->type != policy::kind::threshold)
        return invalid(path_, "governance: keys and thresholds only (a condition on a spending "
                              "transaction means nothing for a change of committee)");
      for (const auto& child : node->children)
        todo.push_back(&child);
    }
    if (auto err = lint_policy(*p, 0))
      return invalid(path_, "governance: " + describe(err));
    c.net.governance = std::move(*p);
    return caf::none;
  }

  /// The `[[past]]` committees (epoch, f, keys in member order), oldest first: the chain whose
  /// certificates stay proofs after changes of committee. Read once `finish` made the network.
  caf::error past_committees(const toml::table& doc, cluster_file& c) {
    if (!doc.contains("past"))
      return caf::none;
    auto arr = doc["past"].as_array();
    if (!arr)
      return invalid(path_, "past: not an array of tables ([[past]])");
    for (size_t i = 0; i < arr->size(); ++i) {
      auto where = "past[" + std::to_string(i) + "]";
      auto t = (*arr)[i].as_table();
      if (!t)
        return invalid(path_, where + ": not a table");
      if (auto err = only_known_keys(path_, where, *t, {"epoch", "f", "keys"}))
        return err;
      auto epoch = (*t)["epoch"].value<int64_t>();
      auto f = (*t)["f"].value<int64_t>();
      auto keys = (*t)["keys"].as_array();
      uint64_t before = c.net.past.empty() ? 0 : c.net.past.back().epoch + 1;
      if (!epoch || *epoch < 0 || static_cast<uint64_t>(*epoch) < before
          || static_cast<uint64_t>(*epoch) >= c.net.epoch)
        return invalid(path_, where + ".epoch: past epochs go up, each below this file's epoch ("
                                + std::to_string(c.net.epoch) + ")");
      if (!f || *f < 0 || !keys)
        return invalid(path_, where + ": needs f and keys (hex public keys, in member order)");
      committee old;
      old.f = static_cast<uint32_t>(*f);
      for (size_t k = 0; k < keys->size(); ++k) {
        auto hex = (*keys)[k].value<std::string>();
        auto pk = hex ? public_key::from_hex(*hex) : std::nullopt;
        if (!pk)
          return invalid(path_, where + ".keys[" + std::to_string(k) + "]: not 64 hex digits");
        old.members.push_back({"v" + std::to_string(k), *pk, ""});
      }
      auto net = make_network(std::move(old), c.net.gen);
      if (!net)
        return invalid(path_, where + ": " + describe(net.error()));
      net->epoch = static_cast<uint64_t>(*epoch);
      c.net.past.push_back(std::move(*net));
    }
    return caf::none;
  }

private:
  /// A node's optional tls_certificate and tls_key (both or neither).
  void read_tls(reader& r, const toml::table& t, std::string& cert, std::string& key) {
    if (!t.contains("tls_certificate") && !t.contains("tls_key"))
      return;
    cert = r.path(t, "tls_certificate", base_);
    key = r.path(t, "tls_key", base_);
  }

  caf::expected<address_entry> address(const toml::table* at, const std::string& where) {
    if (!at)
      return invalid(path_, where + ": not a table");
    if (auto err = only_known_keys(path_, where, *at,
                                   {"name", "policy", "key_files", "public_key", "key_file"}))
      return err;
    reader ra{path_, where};
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
          a.key_files.push_back(absolute_under(base_, *file));
        }
      }
    } else {
      a.key = ra.key(*at, "public_key");
      a.key_file = ra.path(*at, "key_file", base_);
    }
    if (!ra.error() && !claim_name(a.name))
      ra.fail("name", "duplicate name '" + a.name + "'");
    if (ra.error())
      return ra.error();
    return a;
  }

  bool claim_port(const std::string& host, uint16_t port) {
    return endpoints_.insert({host, port}).second;
  }

  std::string path_;
  fs::path base_;
  std::set<std::string> names_;
  std::set<std::pair<std::string, uint16_t>> endpoints_;
};

/// The positive `amount` of [genesis].
amount genesis_amount(reader& r, const toml::table& gen) {
  auto amount_v = gen["amount"].value<int64_t>();
  if (!amount_v || *amount_v <= 0) {
    r.fail("amount", "missing or not a positive integer");
    return 0;
  }
  return static_cast<amount>(*amount_v);
}

caf::expected<cluster_file> load_committee(file_loader& in, const toml::table& doc) {
  cluster_file c;
  c.file_kind = cluster_file::kind::committee;
  auto gen = doc["genesis"].as_table();
  if (!gen)
    return invalid(in.path(), "[genesis]: missing table");
  if (auto err = only_known_keys(
        in.path(), "", doc,
        {"genesis", "validators", "f", "tls", "tls_ca", "epoch", "governance", "past"}))
    return err;
  if (auto err = only_known_keys(in.path(), "genesis", *gen, {"address", "amount"}))
    return err;
  reader r{in.path(), "genesis"};
  auto owner = r.text(*gen, "address");
  auto a = address::from_hex(owner);
  if (!owner.empty() && !a)
    r.fail("address", "not 64 hex digits");
  c.genesis_amount = genesis_amount(r, *gen);
  if (r.error())
    return r.error();
  c.genesis_address = *a;
  if (auto err = in.validators(doc, false, c))
    return err;
  if (auto err = in.network_tls(doc, c))
    return err;
  if (doc.contains("f")) {
    auto f = doc["f"].value<int64_t>();
    auto expected = faults_tolerated(c.validators.size());
    if (!f || !expected || *f != static_cast<int64_t>(*expected))
      return invalid(in.path(), "f: " + std::to_string(c.validators.size())
                                  + " validators tolerate f = "
                                  + (expected ? std::to_string(*expected) : "none (not 3f+1)"));
  }
  if (auto err = in.finish(c))
    return err;
  if (auto err = in.network_governance(doc, c))
    return err;
  if (auto err = in.past_committees(doc, c))
    return err;
  return c;
}

caf::expected<cluster_file> load_wallet_file(file_loader& in, const toml::table& doc) {
  auto ref = *doc["committee"].value<std::string>();
  fs::path committee_path{ref};
  if (!committee_path.is_absolute())
    committee_path = (in.base() / committee_path).lexically_normal();
  file_loader committee_in{committee_path.string()};
  auto committee_doc = committee_in.parse();
  if (!committee_doc)
    return invalid(in.path(), "committee: " + describe(committee_doc.error()));
  auto c = load_committee(committee_in, *committee_doc);
  if (!c)
    return c.error();
  c->file_kind = cluster_file::kind::wallet;
  c->committee_file = ref;
  for (const auto& v : c->validators)
    in.claim_name(v.name);
  auto known = wallet_keys;
  known.push_back("committee");
  if (auto err = only_known_keys(in.path(), "", doc, known))
    return err;
  auto w = in.wallet(doc, "");
  if (!w)
    return w.error();
  c->wallets.push_back(std::move(*w));
  return c;
}

} // namespace

caf::expected<cluster_file> load_cluster_file(const std::string& path) {
  file_loader in{path};
  auto doc = in.parse();
  if (!doc)
    return doc.error();
  if (doc->contains("committee")) {
    if (!(*doc)["committee"].value<std::string>())
      return invalid(path, "committee: not the path of a committee file");
    return load_wallet_file(in, *doc);
  }
  if (!doc->contains("wallets"))
    return load_committee(in, *doc);
  cluster_file c;
  auto gen = (*doc)["genesis"].as_table();
  if (!gen)
    return invalid(path, "[genesis]: missing table");
  if (auto err = only_known_keys(
        path, "", *doc,
        {"genesis", "validators", "wallets", "tls", "tls_ca", "epoch", "governance", "past"}))
    return err;
  if (auto err = only_known_keys(path, "genesis", *gen, {"owner", "amount"}))
    return err;
  {
    reader r{path, "genesis"};
    c.genesis_owner = r.text(*gen, "owner");
    c.genesis_amount = genesis_amount(r, *gen);
    if (r.error())
      return r.error();
  }
  if (auto err = in.validators(*doc, true, c))
    return err;
  if (auto err = in.network_tls(*doc, c))
    return err;
  auto wals = (*doc)["wallets"].as_array();
  if (!wals || wals->empty())
    return invalid(path, "[[wallets]]: missing");
  for (size_t i = 0; i < wals->size(); ++i) {
    std::string where = "wallets[" + std::to_string(i) + "]";
    auto t = wals->get(i)->as_table();
    if (!t)
      return invalid(path, where + ": not a table");
    if (auto err = only_known_keys(path, where, *t, wallet_keys))
      return err;
    auto w = in.wallet(*t, where);
    if (!w)
      return w.error();
    c.wallets.push_back(std::move(*w));
  }
  auto owner = c.find_address(c.genesis_owner);
  if (!owner)
    return invalid(path, "genesis.owner: no address named '" + c.genesis_owner + "'");
  c.genesis_address = owner->second->addr();
  if (auto err = in.finish(c))
    return err;
  if (auto err = in.network_governance(*doc, c))
    return err;
  if (auto err = in.past_committees(*doc, c))
    return err;
  return c;
}

caf::expected<wallet_in_cluster> find_wallet(const std::string& config, const std::string& name) {
  auto cluster = load_cluster_file(config);
  if (!cluster)
    return cluster.error();
  const wallet_entry* wallet = nullptr;
  if (name.empty()) {
    if (cluster->wallets.size() != 1)
      return make_error(ec::invalid_config, config + ": lists "
                                              + std::to_string(cluster->wallets.size())
                                              + " wallets: name one with --wallet");
    wallet = &cluster->wallets.front();
  } else if (wallet = cluster->wallet(name); !wallet) {
    return make_error(ec::invalid_config, config + ": no wallet named '" + name + "'");
  }
  auto index = static_cast<size_t>(wallet - cluster->wallets.data());
  return wallet_in_cluster{std::move(*cluster), index};
}

} // namespace acfts
