#include "nodes/address_command.hpp"

#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "actors/atoms.hpp"
#include "config/policy_json.hpp"
#include "crypto/tls_certs.hpp"
#include "messages/error.hpp"
#include "nodes/client.hpp"
#include "nodes/node_runtime.hpp"
#include "protocol/policy_text.hpp"

namespace fs = std::filesystem;

namespace acfts {

namespace {

/// The first of a1, a2, ... that no node or address of `c` uses.
std::string free_address_name(const cluster_file& c) {
  for (size_t i = 1;; ++i) {
    auto name = "a" + std::to_string(i);
    if (!c.find_address(name) && !c.wallet(name) && !c.validator(name))
      return name;
  }
}

/// Tells a running wallet node to read its addresses again. Whether it runs is reported, not an
/// error: a stopped wallet reads them when it starts.
bool tell_running_wallet(const wallet_in_cluster& found, std::string& note) {
  auto session = open_session(found);
  if (!session) {
    note = describe(session.error());
    return false;
  }
  auto added = (*session)->ask(std::chrono::seconds(30), control::reload_addresses{});
  if (!added) {
    note = describe(added.error());
    return false;
  }
  return true;
}

} // namespace

int run_address_new(const address_new_options& opts) {
  auto found = find_wallet(opts.config, opts.wallet);
  if (!found)
    return fail(found.error());
  auto wallet = found->entry().name;
  auto name = opts.name.empty() ? free_address_name(found->cluster) : opts.name;
  caf::expected<address> added = address{};
  if (!opts.policy.empty() || !opts.policy_file.empty()) {
    auto p =
      opts.policy_file.empty() ? parse_policy(opts.policy) : read_policy_file(opts.policy_file);
    if (!p)
      return fail(p.error());
    added = add_policy_address(opts.config, wallet, name, *p, opts.key_files);
  } else {
    if (!opts.key_files.empty())
      return fail("invalid_config: --key-file names keys of a --policy; a new key address makes "
                  "its own key");
    if (found->cluster.find_address(name) || found->cluster.wallet(name)
        || found->cluster.validator(name))
      return fail("invalid_config: " + opts.config + ": the name '" + name + "' is in use");
    auto keys = fs::absolute(fs::path(opts.config).parent_path() / "keys").lexically_normal();
    std::error_code fs_err;
    fs::create_directories(keys, fs_err);
    if (fs_err)
      return fail("invalid_config: " + keys.string() + ": " + fs_err.message());
    auto entry = new_key_address(name, opts.scheme, (keys / (name + ".key")).string());
    if (!entry)
      return fail(entry.error());
    added = entry->addr();
    if (auto err = add_key_address(opts.config, wallet, std::move(*entry)))
      return fail(err);
  }
  if (!added)
    return fail(added.error());
  std::string note;
  bool active = tell_running_wallet(*found, note);
  if (opts.json) {
    std::cout << nlohmann::ordered_json{{"address", added->hex()},
                                        {"name", name},
                                        {"wallet", wallet},
                                        {"active", active}}
                   .dump()
              << std::endl;
  } else {
    std::cout << added->hex() << std::endl;
    std::cerr << "acfts: " << name << " added to wallet " << wallet << " in " << opts.config
              << (active ? "; the running wallet uses it now"
                         : "; the wallet uses it from its next start (" + note + ")")
              << std::endl;
  }
  return 0;
}

int run_wallet_init(const wallet_init_options& opts, bool json) {
  auto file = wallet_init(opts);
  if (!file)
    return fail(file.error());
  auto made = find_wallet(*file, "");
  if (!made)
    return fail(made.error());
  const auto& w = made->entry();
  auto first = w.addresses.front().addr();
  auto node = w.host + ":" + std::to_string(w.port);
  if (json) {
    std::cout << nlohmann::ordered_json{{"wallet_file", *file},
                                        {"name", w.name},
                                        {"address", first.hex()},
                                        {"node", node},
                                        {"control_port", w.control_port}}
                   .dump()
              << std::endl;
    return 0;
  }
  std::cout << *file << std::endl;
  std::cerr << "acfts: wallet " << w.name << " of network " << made->cluster.net.id.short_hex()
            << ": address a0 " << first.hex() << ", payments to " << node
            << "; start it with `acfts wallet --config " << *file << "`" << std::endl;
  if (made->cluster.tls) {
    auto csr = fs::path(w.tls_certificate).replace_extension(".csr").string();
    std::cerr << "acfts: the network runs TLS: have its operator sign " << csr
              << " (acfts cert sign " << csr << " --ca-cert CA.crt --ca-key CA.key --out "
              << w.tls_certificate << ") before the wallet starts" << std::endl;
  }
  return 0;
}

int run_cert_sign(const std::string& csr, const std::string& ca_cert, const std::string& ca_key,
                  std::string out) {
  if (out.empty())
    out = fs::path(csr).replace_extension(".crt").string();
  if (auto err = sign_tls_request(csr, ca_cert, ca_key, out))
    return fail(err);
  std::cout << out << std::endl;
  std::cerr << "acfts: signed the certificate of '" << tls_subject(out) << "' with "
            << tls_subject(ca_cert) << " (valid " << tls_certificate_days << " days)" << std::endl;
  return 0;
}

} // namespace acfts
