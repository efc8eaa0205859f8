// The validator's state machine (doc/protocol.md rules 1–4) without actors or I/O threads.
//
// `handle` applies the rules cheapest first and decides: reply now (a rejection, or the signature
// given before), or commit a lock record and reply once it is durable. Locks decided but not yet
// durable are held in memory, so a conflicting request arriving in between is refused too, and a
// retry of the same transaction waits for the same write. The caller (validator actor) performs
// the commit and calls `committed`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "crypto/keys.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/lock_table.hpp"
#include "protocol/network.hpp"

namespace acfts {

/// How a validator signs (doc/protocol.md, version 2): one signature per transaction (`single`), or
/// one per group-commit batch over the root of a Merkle tree of the batch's transactions, each
/// transaction's share carrying its path (`pooled`). Verifiers accept both.
enum class share_mode { single, pooled };

/// "single" or "pooled".
const char* to_string(share_mode m);
std::optional<share_mode> share_mode_named(std::string_view name);

/// A rejection reply of validator `index` for `tx`, its detail cut to limits::max_detail_chars.
sign_reply make_rejection(uint16_t index, const hash32& tx, const caf::error& err);

/// Rules 1–3 of a sign request, which need no lock state: well-formed, parents certified,
/// witnesses valid. On success it also makes the validator's single share (signing is
/// deterministic and harmless until the lock step releases it); a pooled share is made with its
/// batch. Several checkers may run in parallel (verifier actors); each keeps its own cache of
/// verified parents. Store reads are thread-safe.
class request_checker {
public:
  struct counters {
    uint64_t parent_cache_hits = 0;
    uint64_t own_shares_from_store = 0;
  };

  /// A share of its own not yet durable (the validator's pending write), if any.
  using pending_share_fn = std::function<std::optional<share>(const hash32&)>;

  /// The validator's clock in Unix seconds (policies' after/before conditions).
  using clock_fn = std::function<uint64_t()>;

  request_checker(network net, uint16_t index, key_pair_ptr key,
                  std::shared_ptr<const lock_table> store, share_mode mode = share_mode::single);

  /// Replaces the system clock (tests of time conditions).
  void set_clock(clock_fn clock) { clock_ = std::move(clock); }

  /// If rules 1–3 hold for `req` (whose transaction hashes to `tx`; committee id included): the
  /// validator's single share, or nullopt when pooled (its batch makes it).
  caf::expected<std::optional<signature>> check(const sign_request& req, const hash32& tx,
                                                const pending_share_fn& pending = {});

  /// Rules 1–3 as a verifier in a process of its own checks them, without the validator's store
  /// or key (its checker has neither): every share is verified, and the parents certified by a
  /// past committee are returned (indices into `req.parents`) for the validator to finish.
  caf::expected<std::vector<uint32_t>> check_detached(const sign_request& req, const hash32& tx);

  /// The validator's part of a detached check: the hand-over carried each of `past_parents`; then
  /// the single share, as `check` gives it.
  caf::expected<std::optional<signature>>
  finish_detached(const sign_request& req, const hash32& tx,
                  const std::vector<uint32_t>& past_parents);

  /// A rejection reply of this validator for `tx`.
  sign_reply reject(const hash32& tx, const caf::error& err) const;

  const counters& stats() const { return stats_; }

private:
  /// Rule 2. With `past_parents` (a detached check), a parent certified by a past committee is
  /// listed there (and not cached) instead of checked against the hand-over.
  caf::error check_parents(const sign_request& req, const pending_share_fn& pending,
                           std::vector<uint32_t>* past_parents = nullptr);
  /// Rules 1–3 but the single share.
  caf::error check_rules(const sign_request& req, const hash32& tx, const pending_share_fn& pending,
                         std::vector<uint32_t>* past_parents);
  std::optional<signature> single_share(const hash32& tx) const;
  /// Whether the hand-over carried `parent` (hash `h`), certified by a past committee.
  caf::error handed_over(const transaction& parent, const hash32& h) const;

  network net_;
  uint16_t index_;
  key_pair_ptr key_;
  std::shared_ptr<const lock_table> store_;
  share_mode mode_;
  clock_fn clock_;
  counters stats_;
  /// Parent transactions whose certificates verified (bounded; cleared when full).
  std::unordered_set<hash32> verified_parents_;
};

class validator_core {
public:
  struct outcome {
    enum kind_t { reply, commit, await, reserve } kind = reply;
    /// `reply`: send now. `commit` / `await`: send once `tx_hash` is durable. `reserve` (lock
    /// shards): let the shards reserve the inputs, then call `reserved` or `refused_by_shards`.
    sign_reply answer;
    hash32 tx_hash;
    /// `commit` only: what to write.
    lock_record record;
  };

  struct counters {
    uint64_t requests = 0;
    uint64_t signed_new = 0;
    uint64_t signed_again = 0;
    uint64_t rejected = 0;
    uint64_t parent_cache_hits = 0;
    uint64_t own_shares_from_store = 0;
    /// Rejections by their code (messages/error.hpp).
    std::map<ec, uint64_t> rejected_by_code;
  };

  validator_core(network net, uint16_t index, key_pair_ptr key,
                 std::shared_ptr<const lock_table> store, share_mode mode = share_mode::single);

  /// Decodes and handles one request. Malformed bytes are rejected (ec::malformed_message, ...).
  outcome handle(const char* data, size_t size);

  /// Handles one request (`raw`: its encoding, if at hand; else it is encoded for the store).
  /// Repeating a request returns the same signature and changes nothing.
  outcome handle(const sign_request& req, std::shared_ptr<const bytes> raw = nullptr);

  /// Handles a request (whose transaction hashes to `tx`) whose rules 1–3 a request_checker of
  /// this validator passed, making `single` (nullopt when pooled): only the lock step (rule 4) is
  /// left.
  outcome handle_checked(const sign_request& req, const hash32& tx,
                         const std::optional<signature>& single,
                         std::shared_ptr<const bytes> raw = nullptr);

  /// The same for a validator whose locks are kept by lock shards (protocol/lock_shards.hpp), for
  /// a request rules 1–3 passed: all of the lock step but the shards' locks — refusals, a
  /// share given before, a signature being written, a conflict with a lock in the validator's
  /// own store (a hand-over's, or from before it had shards) — or `reserve`.
  outcome handle_checked_sharded(const hash32& tx, const std::vector<output_ref>& inputs);

  /// Every shard holds `req`'s inputs durably for it: the record to write (its share and
  /// request; the locks are the shards'), as a `commit` outcome.
  outcome reserved(const sign_request& req, const hash32& tx,
                   const std::optional<signature>& single, std::shared_ptr<const bytes> raw);

  /// The shards refused `tx` (`conflicts`, or else `err`, a shard's fault): the rejection.
  sign_reply refused_by_shards(const hash32& tx, std::vector<conflict_entry> conflicts,
                               const caf::error& err);

  /// Counts a request that a request_checker refused (its reply went out without the core).
  void count_refused_elsewhere(ec code) {
    ++stats_.requests;
    count_rejection(code);
  }

  /// Reports the fate of a `commit` outcome's record, written with share `given` (the record's
  /// own, or the one its pooled batch gave it). On success returns the share for its waiters; on
  /// failure the validator is faulted (it signs nothing more until restarted, and keeps the
  /// undecided locks so it never signs a conflicting transaction either) and the waiters get
  /// ec::storage_fault.
  sign_reply committed(const hash32& tx, const caf::error& err, const share& given);

  /// As above, for a single share (the record's own).
  sign_reply committed(const hash32& tx, const caf::error& err);

  /// Replaces the system clock of its request checker (tests of time conditions).
  void set_clock(request_checker::clock_fn clock) { checker_.set_clock(std::move(clock)); }

  bool faulted() const { return faulted_; }
  /// Why the validator is faulted (a failed write, or a store read that failed: a damaged
  /// table may have lost locks, so it stops serving rather than sign without them).
  const caf::error& fault_cause() const { return fault_cause_; }
  uint16_t index() const { return index_; }
  const network& net() const { return net_; }
  counters stats() const;

  /// Rules 1–3 as a verifier in a process of its own checks them, without the validator's store
  /// or key (its checker has neither): every share is verified, and the parents certified by a
  /// past committee are returned (indices into `req.parents`) for the validator to finish.
  caf::expected<std::vector<uint32_t>> check_detached(const sign_request& req, const hash32& tx);

  /// The validator's part of a detached check: the hand-over carried each of `past_parents`; then
  /// the single share, as `check` gives it.
  caf::expected<std::optional<signature>>
  finish_detached(const sign_request& req, const hash32& tx,
                  const std::vector<uint32_t>& past_parents);

  /// A rejection reply of this validator for `tx`.
  sign_reply reject(const hash32& tx, const caf::error& err) const;

  /// Locks and signatures decided but not yet durable: a single share of its own for `tx`, if
  /// any (a pooled one is made when its batch is written).
  std::optional<share> pending_share(const hash32& tx) const;

  share_mode mode() const { return mode_; }

private:
  void count_rejection(ec code) {
    ++stats_.rejected;
    ++stats_.rejected_by_code[code];
  }

  /// A request for `tx` answered without new locks: its signature being written (`await`), or
  /// the share given before; a store read that fails faults the validator (and is the answer).
  std::optional<outcome> answered_before(const hash32& tx);
  caf::error sealed_refusal() const;
  /// The `commit` outcome that writes `tx`'s record: the locks of `locks` (none when lock shards
  /// hold them), its share or (pooled) a place in the batch's tree, and its request.
  outcome commit_record(const sign_request& req, const hash32& tx, std::vector<output_ref> locks,
                        const std::optional<signature>& single, std::shared_ptr<const bytes> raw);

  /// Rule 4, after rules 1–3 gave `share` (or refused: then the refusal is the reply).
  outcome lock_step(const sign_request& req, const hash32& tx, std::shared_ptr<const bytes> raw,
                    const caf::expected<std::optional<signature>>& single);

  network net_;
  uint16_t index_;
  key_pair_ptr key_;
  std::shared_ptr<const lock_table> store_;
  share_mode mode_;
  bool faulted_ = false;
  caf::error fault_cause_;
  /// The next committee this validator sealed for (doc/protocol.md, Committee changes).
  std::optional<hash32> sealed_for_;
  counters stats_;
  /// Locks and signatures decided but not yet durable.
  std::unordered_map<output_ref, hash32> pending_locks_;
  std::unordered_map<hash32, std::pair<std::optional<signature>, std::vector<output_ref>>>
    pending_sigs_;
  request_checker checker_;
};

} // namespace acfts
