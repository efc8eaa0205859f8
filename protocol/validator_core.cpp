#include "protocol/validator_core.hpp"

#include <chrono>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "messages/limits.hpp"
#include "protocol/lock_handover.hpp"
#include "protocol/rules.hpp"

namespace acfts {

namespace {
/// Siblings are spent soon after each other, so a few thousand recent parents catch the repeats;
/// 65,536 cost each checker about 5 MiB once full, for no measured gain.
constexpr size_t max_cached_parents = 1 << 12;
} // namespace

const char* to_string(share_mode m) {
  return m == share_mode::single ? "single" : "pooled";
}

std::optional<share_mode> share_mode_named(std::string_view name) {
  if (name == "single")
    return share_mode::single;
  if (name == "pooled")
    return share_mode::pooled;
  return std::nullopt;
}

request_checker::request_checker(network net, uint16_t index, key_pair_ptr key,
                                 std::shared_ptr<const lock_table> store, share_mode mode)
  : net_(std::move(net)), index_(index), key_(std::move(key)), store_(std::move(store)),
    mode_(mode), clock_([] {
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
    }) {}

caf::error request_checker::check_parents(const sign_request& req, const pending_share_fn& pending,
                                          std::vector<uint32_t>* past_parents) {
  for (uint32_t i = 0; i < req.parents.size(); ++i) {
    const auto& p = req.parents[i];
    auto h = tx_hash(p.tx);
    if (verified_parents_.count(h) != 0) {
      ++stats_.parent_cache_hits;
      continue;
    }
    // A share of its own it can check against its store instead of verifying it (Ed25519 is
    // deterministic, so the share it gave is the only valid one).
    std::optional<validator_signature> own;
    for (const auto& s : p.cert.sigs)
      if (s.validator_index == index_) {
        if (auto given = pending ? pending(h) : std::nullopt) {
          own = validator_signature{index_, given->sig, given->path};
        } else if (store_) { // a detached checker has none: it verifies its own share too
          if (auto stored = store_->share_of(h); stored && *stored)
            own = validator_signature{index_, (*stored)->sig, (*stored)->path};
        }
        break;
      }
    if (own)
      ++stats_.own_shares_from_store;
    auto by = certifying_committee(net_, p.cert, h, own);
    if (!by)
      return std::move(by.error());
    if (*by != &net_ && past_parents) {
      past_parents->push_back(i); // the validator's to check, each time: never cached here
      continue;
    }
    if (*by != &net_)
      if (auto err = handed_over(p.tx, h))
        return err;
    if (verified_parents_.size() >= max_cached_parents)
      verified_parents_.clear();
    verified_parents_.insert(h);
  }
  return caf::none;
}

caf::error request_checker::handed_over(const transaction& parent, const hash32& h) const {
  // A past committee's certificate counts only for a spend the hand-over carried: every input
  // locked to it (or to none, when its owner equivocated). Keys of a past committee, leaked or
  // sold after the change, so mint nothing.
  for (const auto& in : parent.inputs) {
    auto locked = store_->lock_of(in);
    if (!locked)
      return locked.error();
    if (!*locked || (**locked != h && **locked != unspendable_tx()))
      return make_error(ec::invalid_certificate,
                        "a certificate of a past committee for a spend that the hand-over to "
                        "this one did not carry (input "
                          + short_text(in) + ")");
  }
  return caf::none;
}

sign_reply make_rejection(uint16_t index, const hash32& tx, const caf::error& err) {
  rejected_reply r;
  r.validator_index = index;
  r.tx_hash = tx;
  r.code = static_cast<uint16_t>(code_of(err));
  r.detail = describe(err);
  if (r.detail.size() > limits::max_detail_chars)
    r.detail.resize(limits::max_detail_chars);
  return r;
}

sign_reply request_checker::reject(const hash32& tx, const caf::error& err) const {
  return make_rejection(index_, tx, err);
}

caf::expected<std::optional<signature>>
request_checker::check(const sign_request& req, const hash32& tx, const pending_share_fn& pending) {
  if (auto err = check_rules(req, tx, pending, nullptr))
    return err;
  return single_share(tx);
}

caf::expected<std::vector<uint32_t>> request_checker::check_detached(const sign_request& req,
                                                                     const hash32& tx) {
  std::vector<uint32_t> past;
  if (auto err = check_rules(req, tx, {}, &past))
    return err;
  return past;
}

caf::expected<std::optional<signature>>
request_checker::finish_detached(const sign_request& req, const hash32& tx,
                                 const std::vector<uint32_t>& past_parents) {
  for (auto i : past_parents) {
    if (i >= req.parents.size())
      return make_error(ec::malformed_message, "a verifier named parent " + std::to_string(i)
                                                 + " of a request with "
                                                 + std::to_string(req.parents.size()));
    const auto& parent = req.parents[i].tx;
    if (auto err = handed_over(parent, tx_hash(parent)))
      return err;
  }
  return single_share(tx);
}

std::optional<signature> request_checker::single_share(const hash32& tx) const {
  if (mode_ == share_mode::pooled)
    return std::nullopt;
  return sign_certificate_share(*key_, net_, tx);
}

caf::error request_checker::check_rules(const sign_request& req, const hash32& tx,
                                        const pending_share_fn& pending,
                                        std::vector<uint32_t>* past_parents) {
  if (req.committee_id != net_.id)
    return make_error(ec::wrong_committee, "request for committee " + req.committee_id.short_hex());
  // Rule 1: well-formed, and matching its parents.
  if (auto err = check_transaction(req.tx))
    return err;
  auto spent = resolve_inputs(net_, req.tx, req.parents);
  if (!spent)
    return std::move(spent.error());
  // Rule 2: the parents' certificates.
  if (auto err = check_parents(req, pending, past_parents))
    return err;
  // Rule 3: the owners' witnesses.
  return verify_witnesses(tx, req, *spent, clock_());
}

validator_core::validator_core(network net, uint16_t index, key_pair_ptr key,
                               std::shared_ptr<const lock_table> store, share_mode mode)
  : net_(net), index_(index), key_(key), store_(store), mode_(mode),
    checker_(net, index, key, store, mode) {
  // A seal is made offline (`acfts validator seal`), so it is read once, when the validator starts.
  if (auto sealed = store_->sealed_for()) {
    sealed_for_ = *sealed;
  } else {
    faulted_ = true;
    fault_cause_ = sealed.error();
  }
}

validator_core::counters validator_core::stats() const {
  auto out = stats_;
  out.parent_cache_hits = checker_.stats().parent_cache_hits;
  out.own_shares_from_store = checker_.stats().own_shares_from_store;
  return out;
}

std::optional<share> validator_core::pending_share(const hash32& tx) const {
  auto i = pending_sigs_.find(tx);
  if (i == pending_sigs_.end() || !i->second.first)
    return std::nullopt;
  return share{*i->second.first};
}

sign_reply validator_core::reject(const hash32& tx, const caf::error& err) const {
  return make_rejection(index_, tx, err);
}

validator_core::outcome validator_core::handle(const char* data, size_t size) {
  auto req = decode<sign_request>(data, size);
  if (!req) {
    ++stats_.requests;
    count_rejection(code_of(req.error()));
    outcome out;
    out.answer = reject(hash32{}, req.error());
    return out;
  }
  // The bytes as they came are what the store keeps with the locks (decoding is canonical).
  return handle(*req, std::make_shared<const bytes>(data, data + size));
}

validator_core::outcome validator_core::handle(const sign_request& req,
                                               std::shared_ptr<const bytes> raw) {
  auto tx = tx_hash(req.tx);
  if (faulted_) // refused by the lock step; no signature is worth checking
    return lock_step(req, tx, nullptr, make_error(ec::storage_fault));
  auto pending = [this](const hash32& h) { return pending_share(h); };
  return lock_step(req, tx, std::move(raw), checker_.check(req, tx, pending));
}

validator_core::outcome validator_core::handle_checked(const sign_request& req, const hash32& tx,
                                                       const std::optional<signature>& single,
                                                       std::shared_ptr<const bytes> raw) {
  return lock_step(req, tx, std::move(raw), single);
}

validator_core::outcome
validator_core::lock_step(const sign_request& req, const hash32& tx,
                          std::shared_ptr<const bytes> raw,
                          const caf::expected<std::optional<signature>>& single) {
  ++stats_.requests;
  outcome out;
  out.tx_hash = tx;
  auto refuse = [&](caf::error err) {
    count_rejection(code_of(err));
    out.kind = outcome::reply;
    out.answer = reject(tx, err);
    return out;
  };
  if (faulted_)
    return refuse(make_error(ec::storage_fault, "validator store failed; restart required"));
  if (!single)
    return refuse(single.error());
  // Rule 4: the locks.
  auto scan = scan_locks(*store_, pending_locks_, tx, req.tx.inputs);
  if (!scan) { // a lock it cannot read may be a lock it lost: sign nothing more until restarted
    faulted_ = true;
    fault_cause_ = scan.error();
    return refuse(make_error(ec::storage_fault, describe(scan.error())));
  }
  auto& conflicts = scan->conflicts;
  auto locked_to_this = scan->locked_to_tx;
  if (!conflicts.empty()) {
    auto first = conflicts.front().other_tx.hex();
    out = refuse(make_error(ec::conflict, "input already locked to " + first));
    std::get<rejected_reply>(out.answer).conflicts = std::move(conflicts);
    return out;
  }
  // Locks without a signature cannot come from this code (one batch writes both): signed anew.
  if (locked_to_this == req.tx.inputs.size() && locked_to_this > 0)
    if (auto before = answered_before(tx))
      return *before;
  if (sealed_for_)
    return refuse(sealed_refusal());
  for (const auto& in : req.tx.inputs)
    pending_locks_[in] = tx;
  return commit_record(req, tx, req.tx.inputs, *single, std::move(raw));
}

std::optional<validator_core::outcome> validator_core::answered_before(const hash32& tx) {
  outcome out;
  out.tx_hash = tx;
  if (pending_sigs_.count(tx) != 0) {
    out.kind = outcome::await;
    return out;
  }
  auto given = store_->share_of(tx);
  if (!given) {
    faulted_ = true;
    fault_cause_ = given.error();
    count_rejection(ec::storage_fault);
    out.answer = reject(tx, make_error(ec::storage_fault, describe(given.error())));
    return out;
  }
  if (!*given)
    return std::nullopt;
  ++stats_.signed_again;
  out.answer = signed_reply{index_, tx, (*given)->sig, (*given)->path};
  return out;
}

caf::error validator_core::sealed_refusal() const {
  return make_error(ec::sealed, "this validator sealed its locks for committee "
                                  + sealed_for_->short_hex()
                                  + ": it locks no new input (a change of committee)");
}

validator_core::outcome validator_core::commit_record(const sign_request& req, const hash32& tx,
                                                      std::vector<output_ref> locks,
                                                      const std::optional<signature>& single,
                                                      std::shared_ptr<const bytes> raw) {
  outcome out;
  out.tx_hash = tx;
  pending_sigs_[tx] = {single, locks};
  out.kind = outcome::commit;
  out.record.tx = tx;
  out.record.inputs = std::move(locks);
  out.record.request = raw ? std::move(raw) : std::make_shared<const bytes>(encode(req));
  if (single)
    out.record.given = share{*single};
  else
    out.record.pooled = true;
  return out;
}

validator_core::outcome
validator_core::handle_checked_sharded(const hash32& tx, const std::vector<output_ref>& inputs) {
  ++stats_.requests;
  outcome out;
  out.tx_hash = tx;
  auto refuse = [&](caf::error err) {
    count_rejection(code_of(err));
    out.answer = reject(tx, err);
    return out;
  };
  if (faulted_)
    return refuse(make_error(ec::storage_fault, "validator store failed; restart required"));
  // A share in the signer's store was given only once every shard held the inputs.
  if (auto before = answered_before(tx))
    return *before;
  // The own store's locks are the coordinator's to check (a shard in another process cannot
  // read them); no one writes them while the validator serves.
  static const std::unordered_map<output_ref, hash32> none;
  auto scan = scan_locks(*store_, none, tx, inputs);
  if (!scan) {
    faulted_ = true;
    fault_cause_ = scan.error();
    return refuse(make_error(ec::storage_fault, describe(scan.error())));
  }
  if (!scan->conflicts.empty()) {
    out.answer = refused_by_shards(tx, std::move(scan->conflicts), {});
    return out;
  }
  if (sealed_for_)
    return refuse(sealed_refusal());
  out.kind = outcome::reserve;
  return out;
}

validator_core::outcome validator_core::reserved(const sign_request& req, const hash32& tx,
                                                 const std::optional<signature>& single,
                                                 std::shared_ptr<const bytes> raw) {
  outcome out;
  out.tx_hash = tx;
  if (faulted_) {
    count_rejection(ec::storage_fault);
    out.answer =
      reject(tx, make_error(ec::storage_fault, "validator store failed; restart required"));
    return out;
  }
  return commit_record(req, tx, {}, single, std::move(raw));
}

sign_reply validator_core::refused_by_shards(const hash32& tx,
                                             std::vector<conflict_entry> conflicts,
                                             const caf::error& err) {
  if (conflicts.empty()) {
    count_rejection(ec::storage_fault);
    return reject(tx, make_error(ec::storage_fault, "a lock shard failed: " + describe(err)));
  }
  count_rejection(ec::conflict);
  auto r = reject(
    tx, make_error(ec::conflict, "input already locked to " + conflicts.front().other_tx.hex()));
  std::get<rejected_reply>(r).conflicts = std::move(conflicts);
  return r;
}

sign_reply validator_core::committed(const hash32& tx, const caf::error& err) {
  auto i = pending_sigs_.find(tx);
  if (i != pending_sigs_.end() && !i->second.first && !err)
    return reject(tx, make_error(ec::storage_fault, "a pooled record committed without its share"));
  share given;
  if (i != pending_sigs_.end() && i->second.first)
    given.sig = *i->second.first;
  return committed(tx, err, given);
}

sign_reply validator_core::committed(const hash32& tx, const caf::error& err, const share& given) {
  auto i = pending_sigs_.find(tx);
  if (i == pending_sigs_.end())
    return reject(tx, make_error(ec::storage_fault, "commit of an unknown transaction"));
  if (err) {
    // Whether the batch reached the disk is unknown: keep its locks, sign nothing more.
    faulted_ = true;
    if (!fault_cause_)
      fault_cause_ = err;
    count_rejection(ec::storage_fault);
    return reject(tx, make_error(ec::storage_fault, describe(err)));
  }
  for (const auto& in : i->second.second) {
    auto l = pending_locks_.find(in);
    if (l != pending_locks_.end() && l->second == tx)
      pending_locks_.erase(l);
  }
  pending_sigs_.erase(i);
  ++stats_.signed_new;
  return signed_reply{index_, tx, given.sig, given.path};
}

} // namespace acfts
