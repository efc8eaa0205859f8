// What a wallet keeps durably, as its state machine (protocol/wallet_core) sees it: the changes it
// asks to make durable, what it reads back (the certificates it knows), and what a restart starts
// from. persistence/wallet_store implements it on LevelDB; tests keep it in memory.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <caf/expected.hpp>

#include "messages/equivocation.hpp"
#include "messages/requests.hpp"
#include "messages/transaction.hpp"

namespace acfts {

struct address_record {
  address addr;
  public_key key;
  /// Where the private half lives (a key file path), or empty when held only in memory.
  std::string key_ref;
};

/// A certified payment still to be handed to the wallet that holds `payee` (a transaction with
/// outputs to several other wallets has one entry per payee).
struct outbox_entry {
  hash32 tx;
  address payee;

  friend bool operator<(const outbox_entry& x, const outbox_entry& y) {
    return std::tie(x.tx, x.payee) < std::tie(y.tx, y.payee);
  }
  friend bool operator==(const outbox_entry& x, const outbox_entry& y) {
    return x.tx == y.tx && x.payee == y.payee;
  }
};

/// Where the certificate of one payment goes for one payee: the public endpoint ("host:port") of
/// the payee's wallet that the payer was given for that payment (a payment URI's node, or the
/// file that names the payee). It belongs to that payment alone: another payment to the same
/// address, with another endpoint, changes nothing here. An empty endpoint in a change deletes it.
struct handoff_route {
  hash32 tx;
  address payee;
  std::string endpoint;
};

/// One line of a wallet's history: a payment it sent (or submitted) or received.
struct history_entry {
  hash32 tx;
  bool sent = true;
  /// Sent from one of the wallet's addresses to another of its own (counterparty: the first one
  /// paid; value: what they got).
  bool internal = false;
  /// Sent: the first payee that is not this wallet's; received: the first other owner among the
  /// outputs (usually the payer's change); zero when there is none.
  address counterparty;
  /// What left the wallet (sent) or reached it (received).
  amount value = 0;
  /// Unix time in milliseconds when first recorded; 0 in a change: the store stamps it.
  uint64_t seen_ms = 0;
};

/// One atomic change of the wallet's state: all of it becomes durable, or none of it.
struct wallet_change {
  /// A certificate to keep (the transaction that created `added`); may be null.
  std::shared_ptr<const certified_transaction> certified;
  /// Outputs no longer unspent.
  std::vector<utxo> spent;
  /// New unspent outputs owned by this wallet.
  std::vector<utxo> added;
  /// A pending payment that ends with this change (final or failed).
  std::optional<hash32> finished_payment;
  /// Certified transactions to hand to other wallets (kept until each acknowledges).
  std::vector<outbox_entry> outbox_add;
  /// Hand-offs the payees acknowledged (or refused for good).
  std::vector<outbox_entry> outbox_done;
  /// Addresses to register (with `added` holding, e.g., their genesis outputs).
  std::vector<address_record> new_addresses;
  /// A payment to record before its first request leaves (resumed after a restart), under the
  /// hash of its transaction; may be null.
  std::shared_ptr<const sign_request> new_pending;
  hash32 new_pending_tx;
  /// A request held for co-signers (a transaction file): its inputs stay reserved, across
  /// restarts, until it is submitted, certified or abandoned; may be null.
  std::shared_ptr<const sign_request> new_held;
  hash32 new_held_tx;
  /// Held requests that end with this change.
  std::vector<hash32> held_done;
  /// History lines to add (a line already there is kept, with its first time).
  std::vector<history_entry> history_add;
  /// Routes of hand-offs to set (or, with an empty endpoint, to delete); those of `outbox_done`
  /// go with their entries.
  std::vector<handoff_route> routes;
  /// Equivocation proofs to keep.
  std::vector<equivocation_proof> proofs;
};

/// Whether `c` must reach the disk before the wallet acts on it (a synced write), or may ride
/// with the next synced write. Unsynced writes survive a killed process (they are in the
/// operating system's cache), not a power loss; what such a loss could take must be something
/// the wallet finds again: the end of its own payment (the request, stored synced, is resumed
/// and the validators answer it as before), an acknowledged hand-off (offered again, taken
/// again), history. A request before it leaves, a payment received (acknowledged after the
/// write, so the payer forgets it), addresses, held requests, routes and proofs are synced.
inline bool needs_sync(const wallet_change& c) {
  if (c.new_pending || c.new_held || !c.new_addresses.empty() || !c.held_done.empty()
      || !c.routes.empty() || !c.proofs.empty())
    return true;
  // Outputs that are not the end of one of its own payments were received.
  return (c.certified || !c.added.empty()) && !c.finished_payment;
}

/// A certified transaction not yet acknowledged by the wallet of `payee`.
struct unacknowledged_handoff {
  address payee;
  certified_transaction certified;
};

/// What a wallet's store holds when the wallet starts: the core resumes from it.
struct wallet_snapshot {
  /// The unspent outputs of the wallet's addresses.
  std::vector<utxo> unspent;
  /// Payments recorded and not yet final or failed.
  std::vector<sign_request> pending;
  /// Hand-offs not yet acknowledged.
  std::vector<unacknowledged_handoff> outbox;
  /// Requests held for co-signers.
  std::vector<sign_request> held;
  /// The routes of pending payments and of unacknowledged hand-offs.
  std::vector<handoff_route> routes;
  /// Unix milliseconds when the store was restored from a backup; 0 when it never was.
  uint64_t restored_at_ms = 0;
  /// The equivocation proofs the wallet made.
  std::vector<equivocation_proof> proofs;
};

/// What the wallet's state machine reads from its store while it runs.
class wallet_records {
public:
  virtual ~wallet_records() = default;

  /// The certified transaction `tx`, if the wallet keeps it. An error (a damaged store) is never
  /// "none".
  virtual caf::expected<std::optional<certified_transaction>> certified(const hash32& tx) const = 0;
  /// The addresses registered in the store.
  virtual caf::expected<std::vector<address_record>> addresses() const = 0;
  /// The unspent outputs of `owner` the store holds.
  virtual caf::expected<std::vector<utxo>> unspent(const address& owner) const = 0;
};

} // namespace acfts
