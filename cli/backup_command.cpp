#include "cli/backup_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "actors/atoms.hpp"
#include "cli/address_command.hpp"
#include "cli/number_option.hpp"
#include "config/cluster_file.hpp"
#include "config/temp_dir.hpp"
#include "config/wallet_backup.hpp"
#include "cli/client.hpp"
#include "messages/error.hpp"
#include "nodes/node_runtime.hpp"
#include "persistence/wallet_store.hpp"

namespace fs = std::filesystem;

namespace acfts {

namespace {

/// What a backup may hold at most (its content is read whole).
constexpr std::uintmax_t max_backup_size = 1u << 30;

caf::expected<std::string> read_text(const std::string& path, std::uintmax_t limit) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec)
    return make_error(ec::invalid_config, path + ": cannot read (" + ec.message() + ")");
  if (size > limit)
    return make_error(ec::invalid_config, path + ": too large");
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  if (!in && !in.eof())
    return make_error(ec::invalid_config, path + ": cannot read");
  return buf.str();
}

/// Writes `data` to a new file `path` with `mode` (never over an existing one).
caf::error write_new(const std::string& path, const char* data, size_t size, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    return make_error(ec::invalid_config, path + ": cannot create (" + std::strerror(errno)
                                            + (errno == EEXIST ? "; never overwritten)" : ")"));
  size_t done = 0;
  while (done < size) {
    auto n = ::write(fd, data + done, size - done);
    if (n <= 0) {
      ::close(fd);
      return make_error(ec::invalid_config, path + ": write failed");
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced)
    return make_error(ec::invalid_config, path + ": fsync failed");
  return caf::none;
}

/// The passphrase: the first line of `file`, or typed twice on the terminal (not echoed).
caf::expected<std::string> passphrase(const std::string& file, bool twice) {
  if (!file.empty()) {
    auto text = read_text(file, 4096);
    if (!text)
      return text.error();
    auto line = text->substr(0, text->find('\n'));
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.empty())
      return make_error(ec::invalid_config, file + ": no passphrase on its first line");
    return line;
  }
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0)
    return make_error(ec::invalid_config, "no terminal to ask the passphrase on: give "
                                          "--passphrase-file");
  auto ask = [&](const char* prompt) {
    ::write(tty, prompt, std::strlen(prompt));
    termios old{};
    ::tcgetattr(tty, &old);
    auto quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
    std::string line;
    char c;
    while (::read(tty, &c, 1) == 1 && c != '\n')
      line += c;
    ::tcsetattr(tty, TCSAFLUSH, &old);
    ::write(tty, "\n", 1);
    return line;
  };
  auto first = ask("passphrase: ");
  auto again = twice ? ask("again: ") : first;
  ::close(tty);
  if (first.empty())
    return make_error(ec::invalid_config, "an empty passphrase");
  if (first != again)
    return make_error(ec::invalid_config, "the two passphrases differ");
  return first;
}

/// Adds the file at `path` to the backup under `dir/<its name>` (a second file of that name gets
/// a number) and returns the new path under `image`.
caf::expected<std::string> take_file(wallet_backup& b, std::set<std::string>& taken,
                                     const temp_dir& image, const std::string& dir,
                                     const std::string& path) {
  auto content = read_text(path, 1u << 20);
  if (!content)
    return content.error();
  auto name = fs::path(path).filename().string();
  auto rel = dir + "/" + name;
  for (int i = 2; !taken.insert(rel).second; ++i)
    rel = dir + "/" + std::to_string(i) + "-" + name;
  b.files.emplace_back(rel, bytes(content->begin(), content->end()));
  return image / rel;
}

} // namespace

int run_wallet_backup(const backup_options& opts) {
  auto found = find_wallet(opts.config, opts.wallet);
  if (!found)
    return fail(found.error());
  if (fs::exists(opts.out))
    return fail("invalid_config: " + opts.out + ": exists already (never overwritten)");
  auto records = ask_wallet(*found, control::backup{}, std::chrono::seconds(60));
  if (!records)
    return fail(records.error());
  wallet_backup b;
  b.wallet_name = found->entry().name;
  for (auto& r : *records)
    b.records.emplace_back(std::move(r.key), std::move(r.value));
  // The wallet and committee files as they will be in the restored directory: written into an
  // image directory with the files under it, so every path in them is relative.
  auto image = temp_dir::make("backup");
  if (!image)
    return fail(image.error());
  std::set<std::string> taken;
  auto w = found->entry();
  w.data_dir = *image / "data";
  auto move = [&](const std::string& dir, std::string& path) -> caf::error {
    if (path.empty())
      return caf::none;
    auto to = take_file(b, taken, *image, dir, path);
    if (!to)
      return to.error();
    path = *to;
    return caf::none;
  };
  for (auto& a : w.addresses) {
    if (auto err = move("keys", a.key_file))
      return fail(err);
    for (auto& f : a.key_files)
      if (auto err = move("keys", f))
        return fail(err);
  }
  auto c = found->cluster;
  for (auto* p : {&w.tls_certificate, &w.tls_key, &c.tls_ca})
    if (auto err = move("tls", *p))
      return fail(err);
  if (auto err = write_committee_file(*image / "committee.toml", c, true))
    return fail(err);
  if (auto err = write_wallet_file(*image / "wallet.toml", "committee.toml", w))
    return fail(err);
  auto wallet_text = read_text(*image / "wallet.toml", 1u << 20);
  auto committee_text = read_text(*image / "committee.toml", 1u << 20);
  if (!wallet_text || !committee_text)
    return fail(!wallet_text ? wallet_text.error() : committee_text.error());
  b.wallet_file = std::move(*wallet_text);
  b.committee_file = std::move(*committee_text);
  auto secret = passphrase(opts.passphrase_file, true);
  if (!secret)
    return fail(secret.error());
  auto sealed = seal_backup(b, *secret);
  if (!sealed)
    return fail(sealed.error());
  if (auto err = write_new(opts.out, sealed->data(), sealed->size(), 0600))
    return fail(err);
  std::cout << "backed up wallet " << b.wallet_name << " to " << opts.out << ": "
            << b.records.size() << " store records, " << b.files.size()
            << " key files, the wallet and committee files (encrypted)" << std::endl;
  return 0;
}

int run_wallet_restore(const std::string& file, const std::string& out_dir,
                       const std::string& passphrase_file) {
  if (fs::exists(out_dir))
    return fail("invalid_config: " + out_dir + ": exists already (a restore never overwrites)");
  auto text = read_text(file, max_backup_size);
  if (!text)
    return fail(text.error());
  auto secret = passphrase(passphrase_file, false);
  if (!secret)
    return fail(secret.error());
  auto b = open_backup(bytes(text->begin(), text->end()), *secret);
  if (!b)
    return fail(b.error());
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec)
    return fail("invalid_config: " + out_dir + ": cannot create (" + ec.message() + ")");
  auto dir = fs::absolute(out_dir).lexically_normal();
  for (const auto& [rel, data] : b->files) {
    auto path = dir / rel;
    fs::create_directories(path.parent_path(), ec);
    fs::permissions(path.parent_path(), fs::perms::owner_all, ec);
    if (auto err = write_new(path.string(), data.data(), data.size(), 0600))
      return fail(err);
  }
  for (const auto& [name, content] :
       {std::pair{"wallet.toml", &b->wallet_file}, std::pair{"committee.toml", &b->committee_file}})
    if (auto err = write_new((dir / name).string(), content->data(), content->size(), 0644))
      return fail(err);
  auto restored = load_cluster_file((dir / "wallet.toml").string());
  if (!restored)
    return fail(restored.error());
  if (auto err =
        wallet_store::restore(restored->wallets.front().data_dir, restored->net.id, b->records))
    return fail(err);
  std::cout << "restored wallet " << b->wallet_name << " into " << out_dir
            << ": its coins, certificates, history and pending hand-offs as of the backup; start "
               "it with `acfts wallet --config "
            << (dir / "wallet.toml").string()
            << "`. Coins received after the backup are not in it (the payer can `acfts tx "
               "resend` or `tx export` them); coins spent after it are refused by the "
               "validators as spent since the backup."
            << std::endl;
  return 0;
}

namespace {

/// `acfts wallet stats`: a running wallet's counters, as text lines or one JSON object.
int run_wallet_stats(const std::string& config, const std::string& wallet, bool json) {
  auto c = ask_wallet(config, wallet, control::stats{});
  if (!c)
    return fail(c.error(), json);
  nlohmann::ordered_json out{{"final", c->final},     {"failed", c->failed},
                             {"dropped", c->dropped}, {"received", c->received},
                             {"refused", c->refused}, {"equivocations", c->equivocations},
                             {"pending", c->pending}, {"undelivered", c->undelivered}};
  if (json) {
    std::cout << out.dump() << std::endl;
    return exit_ok;
  }
  for (const auto& [name, value] : out.items())
    std::cout << name << " " << value << "\n";
  std::cout << std::flush;
  return exit_ok;
}

} // namespace

command_runner add_wallet_commands(CLI::App& wallet) {
  struct options {
    wallet_init_options init;
    backup_options backup;
    std::string restore_file, restore_out, restore_passphrase;
    std::string stats_config, stats_wallet;
    bool json = false;
  };
  auto o = std::make_shared<options>();
  auto init_cmd = wallet.add_subcommand(
    "init", "Make a new wallet that joins the network of a committee file: a fresh key, "
            "DIR/wallet.toml and an empty store");
  init_cmd->add_option("--committee", o->init.committee, "The network's committee.toml")
    ->required();
  init_cmd->add_option("--out", o->init.out_dir, "The wallet's directory")->required();
  init_cmd->add_option("--name", o->init.name, "The wallet's name (default: DIR's name)");
  init_cmd->add_option("--host", o->init.host,
                       "Where other wallets reach it (default "
                       "127.0.0.1)");
  add_number(init_cmd, "--port", o->init.port, "Its public port (default: a free one)");
  add_number(init_cmd, "--control-port", o->init.control_port,
             "Its control port on 127.0.0.1 (default: a free one)");
  add_number(init_cmd, "--metrics-port", o->init.metrics_port,
             "Serve Prometheus metrics on 127.0.0.1:PORT");
  init_cmd->add_option("--scheme", o->init.scheme, "The first address's key scheme")
    ->check(CLI::IsMember({"ed25519", "secp256k1", "p256"}));
  init_cmd->add_flag("--json", o->json, "One JSON object: wallet_file, name, address, node");
  auto backup_cmd = wallet.add_subcommand(
    "backup", "Back up a running wallet: its store (certificates are the money), wallet and "
              "committee files and keys, in one file encrypted with a passphrase");
  backup_cmd->add_option("--config", o->backup.config, "A wallet file, or cluster.toml")
    ->required();
  backup_cmd->add_option("--wallet", o->backup.wallet,
                         "The wallet (default: the file's only wallet)");
  backup_cmd->add_option("--out", o->backup.out, "The backup file to write (new, mode 0600)")
    ->required();
  backup_cmd->add_option("--passphrase-file", o->backup.passphrase_file,
                         "Read the passphrase from this file's first line (default: ask "
                         "on the terminal)");
  auto restore_cmd = wallet.add_subcommand(
    "restore", "Restore a backup into a new directory: DIR/wallet.toml, its keys and store");
  restore_cmd->add_option("file", o->restore_file, "The backup file")->required();
  restore_cmd->add_option("--out", o->restore_out, "The new directory")->required();
  restore_cmd->add_option("--passphrase-file", o->restore_passphrase,
                          "Read the passphrase from this file's first line (default: ask "
                          "on the terminal)");
  auto stats_cmd = wallet.add_subcommand(
    "stats", "A running wallet's counters: payments final, failed and received since it started, "
             "replies dropped, deliveries refused, equivocations seen; payments pending and "
             "hand-offs undelivered now");
  stats_cmd->add_option("--config", o->stats_config, "A wallet file, or cluster.toml")->required();
  stats_cmd->add_option("--wallet", o->stats_wallet,
                        "The wallet (default: the file's only wallet)");
  stats_cmd->add_flag("--json", o->json, "One JSON object of the counters");
  return [=]() -> std::optional<int> {
    if (*stats_cmd)
      return run_wallet_stats(o->stats_config, o->stats_wallet, o->json);
    if (*init_cmd)
      return run_wallet_init(o->init, o->json);
    if (*backup_cmd)
      return run_wallet_backup(o->backup);
    if (*restore_cmd)
      return run_wallet_restore(o->restore_file, o->restore_out, o->restore_passphrase);
    return std::nullopt;
  };
}

} // namespace acfts
