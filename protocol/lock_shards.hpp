// Rule 4 split across lock shards (doc/protocol.md, rule 4; issue 25): each shard holds the locks
// of the inputs whose hash falls in its range, in a store of its own, so that one validator's
// locks can be written by several disks and processes. All shards of a validator are one trust
// domain: there is no consensus between them, only a coordinator that asks and decides.
//
// A transaction is signed only once every shard that holds one of its inputs has locked all of
// them to it durably. A shard that finds one of its inputs locked to another transaction refuses
// with the conflict; the coordinator then releases the reservations the other shards made for
// the transaction. That is safe because of three rules kept here:
//  - the coordinator runs one round per transaction at a time (a retry waits for the round);
//  - a round signs only when every shard holds, and a round that signs releases nothing;
//  - a round releases only on a conflict, never on a fault: an input locked to another
//    transaction proves the transaction was never signed (signing needs that input locked to
//    it, and locks of a signed transaction are never released), whereas a shard that failed to
//    read proves nothing (the transaction may have been signed in an earlier round).
// A shard killed between reserving and signing keeps its durable reservations; the retry of the
// transaction finds them held and completes. A release that never became durable leaves an input
// locked to a transaction that will never be signed: its owner's loss (it equivocated), never a
// second signature.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "messages/error.hpp"
#include "protocol/lock_table.hpp"

namespace acfts {

/// The shard, of `shards`, that holds the lock of `input`: the hash of the output reference
/// falls into one of `shards` equal ranges.
uint32_t shard_of(const output_ref& input, uint32_t shards);

/// The inputs of a transaction by the shard that holds their locks (only shards with inputs).
std::map<uint32_t, std::vector<output_ref>> inputs_by_shard(const std::vector<output_ref>& inputs,
                                                            uint32_t shards);

/// A shard's answer to one reservation.
struct reservation_answer {
  enum kind_t { held, conflict, fault } kind = held;
  /// `conflict`: which inputs are locked to which other transactions.
  std::vector<conflict_entry> conflicts;
  /// `fault`: why the shard could not decide (a damaged or failed store).
  caf::error err;

  /// A shard that could not decide, for `err`.
  static reservation_answer failed(caf::error err) {
    reservation_answer a;
    a.kind = fault;
    a.err = std::move(err);
    return a;
  }
};

/// One lock shard: rule 4 for the inputs in its range. Reservations decided but not yet durable
/// are held in memory, so a conflicting one arriving in between is refused too.
class lock_shard_core {
public:
  struct outcome {
    enum kind_t { reply, commit, await } kind = reply;
    /// `reply`: the answer, now. `commit` / `await`: once the reservation of the transaction
    /// is durable (`committed`).
    reservation_answer answer;
    /// `commit`: what to write (locks only).
    lock_record record;
  };

  explicit lock_shard_core(std::shared_ptr<const lock_table> store);

  /// Reserves `inputs` (all in this shard's range) for `tx`.
  outcome reserve(const hash32& tx, const std::vector<output_ref>& inputs);

  /// The write of `tx`'s reservation finished: `held`, or (err) `fault` — and the shard is
  /// faulted: it keeps the undecided locks and reserves nothing more until restarted.
  reservation_answer committed(const hash32& tx, const caf::error& err);

  /// Whether `tx`'s reservations may be released (its round was refused by a conflict in
  /// another shard): not while its reservation is still being written, nor when the shard is
  /// faulted. The store's release then deletes only the locks held for `tx`.
  caf::error may_release(const hash32& tx) const;

  bool faulted() const { return faulted_; }

private:
  reservation_answer fail(caf::error err);

  std::shared_ptr<const lock_table> store_;
  bool faulted_ = false;
  /// Reservations decided but not yet durable.
  std::unordered_map<output_ref, hash32> pending_locks_;
  std::unordered_map<hash32, std::vector<output_ref>> pending_;
};

/// The coordinator's rounds: one per transaction at a time, asking every shard that holds one
/// of its inputs, and deciding to sign (all hold) or to refuse (then releasing on a conflict).
class reservation_rounds {
public:
  struct step {
    enum kind_t {
      /// A round of this transaction is under way: wait for its outcome.
      await,
      /// Ask each shard of `asks` to reserve its inputs.
      reserve,
      /// Some shards have not answered yet.
      waiting,
      /// Every shard holds: sign, then call `finished`.
      sign,
      /// Refused (`answer` says why); release `asks` (a conflict), then call `finished` once
      /// each release is written. Empty `asks`: nothing to release, the round is over.
      refuse,
    } kind = waiting;
    std::map<uint32_t, std::vector<output_ref>> asks;
    reservation_answer answer;
  };

  explicit reservation_rounds(uint32_t shards) : shards_(shards) {}

  /// Starts the round of `tx`, unless one is under way.
  step begin(const hash32& tx, const std::vector<output_ref>& inputs);

  /// Shard `shard` answered `tx`'s reservation.
  step answered(const hash32& tx, uint32_t shard, const reservation_answer& a);

  /// `tx`'s round is over (signed, or its releases written): a retry starts a new one.
  void finished(const hash32& tx) { rounds_.erase(tx); }

  bool under_way(const hash32& tx) const { return rounds_.count(tx) != 0; }
  uint32_t shards() const { return shards_; }

private:
  struct round {
    std::map<uint32_t, std::vector<output_ref>> parts;
    std::map<uint32_t, reservation_answer> answers;
  };

  uint32_t shards_;
  std::unordered_map<hash32, round> rounds_;
};

} // namespace acfts
