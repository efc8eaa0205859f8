// What every `acfts` node process shares: logging, an actor system with CAF's middleman, the
// cluster file and key loading with one-line errors, and waiting for SIGTERM/SIGINT.
#pragma once

#include <atomic>
#include <functional>
#include <vector>
#include <memory>
#include <optional>
#include <string>

#include <caf/actor.hpp>

#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>

#include "config/cluster_file.hpp"
#include "crypto/keys.hpp"

namespace acfts {

/// Logs to stderr: warnings and errors only, everything notable with `verbose`.
void init_logging(const std::string& node, bool verbose);

/// An actor system config with the middleman loaded and acfts' errors registered; with `tls`,
/// CAF's OpenSSL module too, set up for mutual TLS with those files.
std::unique_ptr<caf::actor_system_config>
node_config(const std::optional<tls_files>& tls = std::nullopt);

/// Publishes a node's public port (its gate) on host:port: over TLS when `tls` (the system's
/// config came from node_config with TLS files), else plain TCP. Returns the bound port.
caf::expected<uint16_t> publish_to_peers(caf::actor_system& sys, const caf::actor& gate,
                                         uint16_t port, const std::string& host, bool tls);

/// Connects to another node's public port, over TLS when `tls`.
caf::expected<caf::actor> connect_to_peer(caf::actor_system& sys, const std::string& host,
                                          uint16_t port, bool tls);

/// Reads the key file of a node or address and checks it holds `expected` (the public key the
/// cluster file names). Errors name the file.
caf::expected<key_pair_ptr> load_key(const std::string& key_file, const public_key& expected,
                                     const std::string& owner);

/// Blocks SIGINT and SIGTERM in this thread and every thread started after the call (so that
/// `wait_for_stop_signal` receives them). Call first thing in main.
void block_stop_signals();

/// Waits for SIGINT or SIGTERM; returns the signal's name. Calls `each_minute` (if given) once
/// a minute while it waits.
std::string wait_for_stop_signal(const std::function<void()>& each_minute = {});

/// Logs (warning level) what the gates of a node dropped since the last call, if anything: at
/// most one line per call, so that a hostile peer cannot flood the log.
class gate_report {
public:
  void add(std::string port, caf::actor gate);
  void log_new_drops();
  /// One line per gate with everything it saw (for the node's last words).
  void log_totals() const;

private:
  struct entry {
    std::string port;
    caf::actor gate;
    uint64_t dropped_before = 0;
  };
  std::vector<entry> gates_;
};

/// Tells a node's main thread that an actor it serves terminated on its own.
struct node_watch {
  /// Set by the node before it stops its actors, so that their end is not reported.
  std::atomic<bool> stopping{false};
  /// Set when a watched actor terminated while the node was serving.
  std::atomic<bool> died{false};
};

/// Watches `actor` (named `what` in the log): if it terminates before `watch->stopping` is set,
/// logs an error and ends wait_for_stop_signal as SIGTERM would, so that the process exits
/// instead of staying up and answering nothing.
void watch_actor(const caf::actor& actor, std::shared_ptr<node_watch> watch, std::string what);

/// What a command's exit status means (scripts read it).
enum exit_code : int {
  exit_ok = 0,
  /// The command failed; stderr says why.
  exit_failed = 1,
  /// The command line or its files are wrong (CLI11's own code for usage errors).
  exit_usage = 2,
  /// Not yet: a payment not final, a hand-off not acknowledged, too few validators up.
  exit_pending = 3,
  /// The wallet has no record of what was asked.
  exit_unknown = 4,
};

/// Prints "acfts: <what>" on stderr and returns exit_failed (for `return fail(...)` in
/// subcommands); with `json` (a command run with --json, whose output scripts read) also
/// {"error": {"code", "message"}} on stdout. The stable code is read from the text's "code: "
/// prefix, if any.
int fail(const std::string& what, bool json = false);

/// The same for an error value: its code is the error's own.
int fail(const caf::error& err, bool json = false);

} // namespace acfts
