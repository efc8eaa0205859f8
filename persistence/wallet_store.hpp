// A wallet's durable memory: its addresses, its unspent outputs indexed by address, the certified
// transactions it knows (its proofs, and the parents it must show when it spends), and its pending
// payments. Backed by LevelDB; every write is synced before the call returns.
//
// Key layout (binary, integers big-endian):
//   "M"                                  → committee_id(32)                 binding of the store
//   "a" || address(32)                   → public_key(32) || key_ref        one address
//   "u" || owner(32) || tx(32) || idx(4) → amount(8)                        one unspent output
//   "t" || tx_hash(32)                   → certified_transaction (msgpack)  a known certificate
//   "p" || tx_hash(32)                   → sign_request (msgpack)           a pending payment
//   "h" || tx_hash(32)                   → sign_request (msgpack)           a request held for
//                                                                            co-signers
//   "y" || tx_hash(32)                   → kind(1) || counterparty(32) || amount(8) || seen_ms(8)
//                                                                            a history line
//   "o" || tx_hash(32) || payee(32)      → (empty)                          a hand-off not yet
//                                                                            acknowledged
//   "r" || tx_hash(32) || payee(32)      → endpoint ("host:port")           where that payment's
//                                                                            hand-off goes
//   "R"                                  → unix_ms(8)                       restored from a
//                                                                            backup then
// (Stores written before a transaction could have several payees hold "o" || tx_hash → payee;
// both forms are read.)
// Outputs of one address share a key prefix, so paying or reading a balance never scans others.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/requests.hpp"
#include "messages/transaction.hpp"
#include "persistence/storage_faults.hpp"
#include "protocol/wallet_records.hpp"

namespace leveldb {
class DB;
class Env;
} // namespace leveldb

namespace acfts {

/// The key layout above as constants: one-byte tags, and sizes in bytes.
namespace wallet_keys {
constexpr char address_record_tag = 'a';
constexpr char utxo_tag = 'u';
constexpr char certified_tag = 't';
constexpr char pending_tag = 'p';
constexpr char held_tag = 'h';
constexpr char history_tag = 'y';
constexpr char outbox_tag = 'o';
constexpr char route_tag = 'r';
constexpr char restored_tag = 'R';
/// "q" || BLAKE2b-256 of the proof's encoding → the encoded equivocation proof.
constexpr char proof_tag = 'q';
/// A tag and one 32-byte value: "a" || address, "t"/"p"/"h" || tx_hash, and the "u" || owner
/// prefix of one address's outputs.
constexpr size_t tagged_hash_size = 1 + 32;
/// "o" || tx(32) || payee(32), and "r" || tx(32) || payee(32)
constexpr size_t outbox_key_size = 1 + 32 + 32;
/// "u" || owner(32) || tx(32) || idx(4)
constexpr size_t utxo_key_size = 1 + 32 + 32 + 4;
} // namespace wallet_keys

class wallet_store : public wallet_records {
public:
  /// Opens or creates the store in `dir`, bound to one committee (another is refused). A store
  /// of one of `earlier_committees` (the chain of past committees: the wallet follows a change)
  /// is bound to `committee_id` from now on. `faults` (tests, drills) injects failures below
  /// the store.
  static caf::expected<std::unique_ptr<wallet_store>>
  open(const std::string& dir, const hash32& committee_id, storage_faults_ptr faults = nullptr,
       const std::vector<hash32>& earlier_committees = {});
  ~wallet_store() override;

  caf::error put_address(const address_record& rec);
  caf::expected<std::vector<address_record>> addresses() const override;

  /// The unspent outputs of one address (a prefix scan of that address only).
  caf::expected<std::vector<utxo>> unspent(const address& owner) const override;

  caf::expected<std::optional<certified_transaction>> certified(const hash32& tx) const override;

  /// What the wallet resumes from: the unspent outputs of `owners`, its pending payments and its
  /// unacknowledged hand-offs (with their certificates).
  caf::expected<wallet_snapshot> snapshot(const std::vector<address>& owners) const;

  /// The equivocation proofs the wallet made.
  caf::expected<std::vector<equivocation_proof>> proofs() const;

  /// Every route of a pending payment or an unacknowledged hand-off.
  caf::expected<std::vector<handoff_route>> routes() const;

  /// Records a payment before its first request leaves. Repeating it changes nothing.
  caf::error record_pending(const hash32& tx, const sign_request& req);

  /// Every payment recorded and not yet finished, oldest key first.
  caf::expected<std::vector<sign_request>> pending() const;

  /// Every request held for co-signers.
  caf::expected<std::vector<sign_request>> held() const;

  /// The history, oldest first.
  caf::expected<std::vector<history_entry>> history() const;

  /// Every certified transaction the wallet keeps (offline audits).
  caf::error for_each_certified(const std::function<void(const certified_transaction&)>& f) const;

  /// Every unspent output of every address (offline audits; a full scan).
  caf::expected<std::vector<utxo>> all_unspent() const;

  /// Every hand-off not yet acknowledged.
  caf::expected<std::vector<outbox_entry>> outbox() const;

  /// Every record of the store, key and value, as of one moment (a LevelDB snapshot): what a
  /// backup holds. The wallet's actor, its only writer, calls it between group commits.
  caf::expected<std::vector<std::pair<std::string, std::string>>> records() const;

  /// Makes a new store in `dir` (which must not exist) for `committee_id` and writes `records`
  /// into it in one synced batch: a backup restored. Errors: storage_error (`dir` exists, or the
  /// write failed), and those of `open` (records of another committee).
  static caf::error restore(const std::string& dir, const hash32& committee_id,
                            const std::vector<std::pair<std::string, std::string>>& records);

  /// Applies `change` in one synced batch: all of it or none of it.
  caf::error apply(const wallet_change& change);

  /// Applies `changes`, in order, in one synced batch (group commit): all of them or none.
  caf::error apply_all(const std::vector<const wallet_change*>& changes);
  /// As apply_all, synced only when one of `changes` needs it (needs_sync): otherwise the
  /// batch reaches the disk with the next synced write.
  caf::error apply_grouped(const std::vector<const wallet_change*>& changes);

  const std::string& dir() const { return dir_; }

private:
  /// The requests under `tag` ("p" or "h"); `what` names one in errors.
  caf::expected<std::vector<sign_request>> requests(char tag, const char* what) const;

  wallet_store(std::string dir, std::unique_ptr<leveldb::Env> env, std::unique_ptr<leveldb::DB> db);
  std::string dir_;
  std::unique_ptr<leveldb::Env> env_; // outlives db_
  std::unique_ptr<leveldb::DB> db_;
};

} // namespace acfts
