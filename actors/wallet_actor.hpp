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

#include "crypto/keys.hpp"
#include "crypto/schemes.hpp"
#include "messages/policy.hpp"
#include <caf/allowed_unsafe_message_type.hpp>

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
  /// Addresses owned by spending policies, after the single-key ones: each policy and the keys of
  /// it this wallet holds (payments from it need the policy satisfied by those keys).
  struct policy_address_options {
    policy spend_policy;
    std::vector<std::shared_ptr<const owner_key>> keys;
  };
  std::vector<policy_address_options> policies;
  /// Committee members by index; a default-constructed handle means "not connected (yet)".
  std::vector<caf::actor> validators;
  /// How long to wait for a reply before asking again.
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
};

/// Addresses for a running wallet to hold from now on, in the form of wallet_options.
struct wallet_addresses {
  std::vector<key_pair_ptr> keys;
  std::vector<std::string> key_refs;
  std::vector<wallet_options::policy_address_options> policies;
};

/// Opens the wallet's store and spawns it (with one address actor per key). Errors:
/// ec::storage_error (store cannot be opened or belongs to another committee).
///
/// Messages: the requests of messages/control.hpp, as typed values, each answered with its
/// `reply` type or an error (pay, await, status, hold, submit, abandon, split, export_tx,
/// export_all, import_tx, proofs, backup, handoffs, resend, history, unsettled, balance, spendable,
/// total; a wallet node's control port decodes them from bytes). In-process only, from the node
/// and tests (actors/atoms.hpp):
///  (deliver, bytes certified_transaction[, bytes payee]) → ack; refuses (invalid_certificate,
///       ...) what does not verify; a repeated delivery changes nothing
///  (peer, address, actor) → registers the wallet that receives payments to `address`
///  (route, endpoint, actor) → the wallet at `endpoint` is connected; (endpoints) → its routes
///  (validator, uint16 index, actor) → (re)connects a committee member
///  (pending) → uint64 number of payments not yet final
///  (addresses) → std::vector<address>, in key order
///  (addresses, wallet_addresses) → uint64 how many of them are new: registered durably (with
///       any genesis outputs they own) and usable at once
///  (stats) → wallet_core::counters; (metrics) → the Prometheus text
caf::expected<caf::actor> spawn_wallet(caf::actor_system& sys, wallet_options opts);

} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::wallet_addresses)
