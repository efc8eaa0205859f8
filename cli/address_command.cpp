#include "cli/address_command.hpp"
#include "cli/look_commands.hpp"

#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "actors/atoms.hpp"
#include "config/policy_json.hpp"
#include "crypto/tls_certs.hpp"
#include "messages/error.hpp"
#include "cli/client.hpp"
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
  auto added = ask_wallet(found, control::reload_addresses{});
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
    return fail(found.error(), opts.json);
  auto wallet = found->entry().name;
  auto name = opts.name.empty() ? free_address_name(found->cluster) : opts.name;
  caf::expected<address> added = address{};
  if (!opts.policy.empty() || !opts.policy_file.empty()) {
    auto p =
      opts.policy_file.empty() ? parse_policy(opts.policy) : read_policy_file(opts.policy_file);
    if (!p)
      return fail(p.error(), opts.json);
    added = add_policy_address(opts.config, wallet, name, *p, opts.key_files);
  } else {
    if (!opts.key_files.empty())
      return fail("invalid_config: --key-file names keys of a --policy; a new key address makes "
                  "its own key",
                  opts.json);
    if (found->cluster.find_address(name) || found->cluster.wallet(name)
        || found->cluster.validator(name))
      return fail("invalid_config: " + opts.config + ": the name '" + name + "' is in use",
                  opts.json);
    auto keys = fs::absolute(fs::path(opts.config).parent_path() / "keys").lexically_normal();
    std::error_code fs_err;
    fs::create_directories(keys, fs_err);
    if (fs_err)
      return fail("invalid_config: " + keys.string() + ": " + fs_err.message(), opts.json);
    auto entry = new_key_address(name, opts.scheme, (keys / (name + ".key")).string());
    if (!entry)
      return fail(entry.error(), opts.json);
    added = entry->addr();
    if (auto err = add_key_address(opts.config, wallet, std::move(*entry)))
      return fail(err, opts.json);
  }
  if (!added)
    return fail(added.error(), opts.json);
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
    return fail(file.error(), json);
  auto made = find_wallet(*file, "");
  if (!made)
    return fail(made.error(), json);
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

command_runner add_address_commands(CLI::App& app) {
  struct options {
    address_new_options address_new;
    std::string config, wallet, key_scheme = "ed25519", key_out, key_file;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto key_cmd = app.add_subcommand("key", "Owner keys of any scheme");
  key_cmd->require_subcommand(1);
  auto key_new_cmd = key_cmd->add_subcommand(
    "new", "Write a new secret key file (mode 0600) and print its public key as scheme:hex");
  key_new_cmd->add_option("--scheme", o->key_scheme, "ed25519, secp256k1 or p256")
    ->check(CLI::IsMember({"ed25519", "secp256k1", "p256"}));
  key_new_cmd->add_option("--out", o->key_out, "The key file to create (never overwritten)")
    ->required();
  auto key_show_cmd = key_cmd->add_subcommand(
    "show", "A key file's scheme, public key and single-key address (never its secret)");
  key_show_cmd->add_option("file", o->key_file, "The key file")->required();
  key_show_cmd->add_flag("--json", o->json, "One JSON object: file, scheme, public_key, address");

  auto address_cmd = app.add_subcommand("address", "Addresses of a wallet");
  address_cmd->require_subcommand(1);
  auto list_cmd = address_cmd->add_subcommand(
    "list", "Every address of a wallet: name, address, scheme and key or policy, and while its "
            "node runs, balance and spendable");
  list_cmd->add_option("--config", o->config, "A wallet file, or cluster.toml")->required();
  list_cmd->add_option("--wallet", o->wallet, "The wallet (default: the file's only wallet)");
  list_cmd->add_flag("--json", o->json,
                     "One JSON object: wallet, running, addresses [{name, address, "
                     "scheme, key, balance, spendable}]");
  auto new_cmd = address_cmd->add_subcommand(
    "new", "Add an address to a wallet, running or stopped: a fresh key, or one owned by a "
           "spending policy; prints the address");
  auto& an = o->address_new;
  new_cmd->add_option("--config", an.config, "The wallet file, or cluster.toml")->required();
  new_cmd->add_option("--wallet", an.wallet, "The wallet (default: the file's only wallet)");
  new_cmd->add_option("--name", an.name, "The new address's name (default: a1, a2, ...)");
  auto policy_opt = new_cmd->add_option("--policy", an.policy,
                                        "e.g. 'thresh(2, ed25519:HEX, secp256k1:HEX, p256:HEX)'");
  new_cmd
    ->add_option(
      "--policy-file", an.policy_file,
      "The policy as JSON, e.g. {\"thresh\": 2, \"of\": [{\"key\": \"ed25519:HEX\"}, ...]}")
    ->excludes(policy_opt);
  new_cmd->add_option("--key-file", an.key_files,
                      "A key file of one of the policy's keys that this wallet holds "
                      "(repeatable)");
  new_cmd
    ->add_option("--scheme", an.scheme,
                 "Without a policy: the new key's scheme (ed25519, secp256k1, p256)")
    ->check(CLI::IsMember({"ed25519", "secp256k1", "p256"}));
  new_cmd->add_flag("--json", an.json,
                    "One JSON object: address, name, wallet, active (the running wallet "
                    "uses it now)");
  return [=]() -> std::optional<int> {
    if (*key_new_cmd)
      return run_key_new(o->key_scheme, o->key_out);
    if (*key_show_cmd)
      return run_key_show(o->key_file, o->json);
    if (*list_cmd)
      return run_address_list(o->config, o->wallet, o->json);
    if (*new_cmd)
      return run_address_new(o->address_new);
    return std::nullopt;
  };
}

} // namespace acfts
