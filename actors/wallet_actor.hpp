// The wallet actor: holds address actors, its unspent outputs and pending payments, and drives
// the payment flow of PROTOCOL.md:
//   pick outputs → witnesses from the address actors → record the payment durably → send the
//   request to all N validators at once → final at 2f+1 verified `Signed` (without waiting for
//   the rest) → persist the certificate → hand the certified transaction to the payee's wallet,
//   again until it acknowledges.
// Unanswered requests are resent every `retry_interval` (validators answer retries with the
// same signature). A payment recorded in the store survives a restart and is resumed.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "crypto/keys.hpp"
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
};

/// Opens the wallet's store and spawns it (with one address actor per key). Errors:
/// ec::storage_error (store cannot be opened or belongs to another committee).
///
/// Messages:
///  (pay, hex from, hex to, amount)  → hex tx_hash once final; errors: unknown_address,
///       zero_payment, insufficient_funds, payment_conflict, payment_rejected, storage_error
///  (split, hex address, uint64 parts) → hex tx_hash once final: the address's spendable outputs
///       (up to 256) become `parts` ≤ 256 outputs to itself; errors as for pay
///  (balance) → amount (total); (balance, hex address) → amount
///  (deliver, bytes certified_transaction) → ack; refuses (invalid_certificate, ...) what does
///       not verify; a repeated delivery changes nothing
///  (peer, hex address, actor) → registers the wallet that receives payments to `address`
///  (validator, uint16 index, actor) → (re)connects a committee member
///  (pending) → uint64 number of payments not yet final
///  (unsettled) → uint64 payments not yet final plus hand-offs not yet acknowledged
///  (addresses) → std::vector<std::string> its hex addresses, in key order
///  (stats) → std::vector<uint64_t>{final, failed, dropped_replies, received, refused}
caf::expected<caf::actor> spawn_wallet(caf::actor_system& sys, wallet_options opts);

} // namespace acfts
