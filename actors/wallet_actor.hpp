// The wallet actor: a shell around the wallet's state machine (protocol/wallet_core, which holds
// the payment flow and its rules). It unpacks messages, calls the core and performs its effects:
// witnesses from its address actors (one per key), requests to the committee and hand-offs to
// payee wallets through gates of its own, the store's writes in group commits, answers to
// callers, and a timer that resends what is unanswered every `retry_interval`.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/wallet_api.hpp"
#include "crypto/keys.hpp"
#include "messages/equivocation.hpp"
#include "persistence/storage_faults.hpp"
#include "protocol/network.hpp"

namespace acfts {

struct wallet_options {
  network net;
  std::string name;
  /// The LevelDB directory (created if missing; bound to this committee).
  std::string data_dir;
  /// The wallet's addresses. On first sight of an address, its genesis outputs are imported.
  std::vector<key_pair_ptr> keys;
  /// Where each key lives (key file path), parallel to `keys`; may be empty.
  std::vector<std::string> key_refs;
  /// Addresses owned by spending policies, after the single-key ones.
  using policy_address_options = policy_address_keys;
  std::vector<policy_address_options> policies;
  /// Committee members by index; a default-constructed handle means "not connected (yet)".
  std::vector<caf::actor> validators;
  /// The tick: what failed is asked again on the next, what got no answer after two.
  std::chrono::milliseconds retry_interval{1000};
  /// Injects storage faults below the store (tests and drills); null in production.
  storage_faults_ptr faults;
  /// Called once, on the first failed write of the wallet's store (the payments and receipts
  /// that needed it are not done; a restart resumes what reached the disk). The node logs it at
  /// error level.
  std::function<void(const caf::error& cause)> on_fault;
  /// Called once per validator caught signing two transactions that spend a common input, with
  /// the proof (kept in the store; `acfts proof list` writes it out). The node logs it.
  std::function<void(const equivocation_proof& proof)> on_equivocation;
  /// Reads the wallet's addresses from its configuration file again (control::reload_addresses,
  /// after `acfts address new`); null: the wallet has no file, and refuses the request.
  std::function<caf::expected<wallet_addresses>()> reload;
};

/// Opens the wallet's store and spawns it (with one address actor per key); its messages are
/// those of actors/wallet_api.hpp. Errors: ec::storage_error (store cannot be opened or belongs
/// to another committee).
caf::expected<wallet_api> spawn_wallet(caf::actor_system& sys, wallet_options opts);

} // namespace acfts
