#include "protocol/lock_shards.hpp"

#include <array>

#include "crypto/hashing.hpp"

namespace acfts {

uint32_t shard_of(const output_ref& input, uint32_t shards) {
  if (shards <= 1)
    return 0;
  std::array<uint8_t, 36> raw{};
  std::copy(input.tx.bytes.begin(), input.tx.bytes.end(), raw.begin());
  for (int i = 0; i < 4; ++i)
    raw[32 + i] = static_cast<uint8_t>(input.index >> (24 - 8 * i));
  // Siblings of one transaction spread over the shards as well as outputs of different ones.
  auto h = blake2b_256(raw.data(), raw.size());
  uint64_t top = 0; // the hash's first 32 bits
  for (int i = 0; i < 4; ++i)
    top = (top << 8) | h.bytes[i];
  // The range `top` falls in: top * shards / 2^32 (fits in 64 bits).
  return static_cast<uint32_t>((top * shards) >> 32);
}

std::map<uint32_t, std::vector<output_ref>> inputs_by_shard(const std::vector<output_ref>& inputs,
                                                            uint32_t shards) {
  std::map<uint32_t, std::vector<output_ref>> out;
  for (const auto& in : inputs)
    out[shard_of(in, shards)].push_back(in);
  return out;
}

lock_shard_core::lock_shard_core(std::shared_ptr<const lock_table> store)
  : store_(std::move(store)) {}

reservation_answer lock_shard_core::fail(caf::error err) {
  faulted_ = true;
  return reservation_answer::failed(std::move(err));
}

lock_shard_core::outcome lock_shard_core::reserve(const hash32& tx,
                                                  const std::vector<output_ref>& inputs) {
  outcome out;
  if (faulted_) {
    out.answer = fail(make_error(ec::storage_fault, "lock shard store failed; restart required"));
    return out;
  }
  auto scan = scan_locks(*store_, pending_locks_, tx, inputs);
  if (!scan) { // a lock it cannot read may be a lock it lost
    out.answer = fail(make_error(ec::storage_fault, describe(scan.error())));
    return out;
  }
  if (!scan->conflicts.empty()) {
    out.answer.kind = reservation_answer::conflict;
    out.answer.conflicts = std::move(scan->conflicts);
    return out;
  }
  if (pending_.count(tx) != 0) {
    out.kind = outcome::await;
    return out;
  }
  if (scan->locked_to_tx == inputs.size())
    return out; // held already (an earlier round, or a retry)
  for (const auto& in : inputs)
    pending_locks_[in] = tx;
  pending_[tx] = inputs;
  out.kind = outcome::commit;
  out.record.tx = tx;
  out.record.inputs = inputs;
  out.record.locks_only = true;
  return out;
}

reservation_answer lock_shard_core::committed(const hash32& tx, const caf::error& err) {
  auto i = pending_.find(tx);
  if (i == pending_.end())
    return fail(make_error(ec::storage_fault, "commit of an unknown reservation"));
  if (err) // whether it reached the disk is unknown: keep its locks, reserve nothing more
    return fail(make_error(ec::storage_fault, describe(err)));
  for (const auto& in : i->second) {
    auto l = pending_locks_.find(in);
    if (l != pending_locks_.end() && l->second == tx)
      pending_locks_.erase(l);
  }
  pending_.erase(i);
  return reservation_answer{};
}

caf::error lock_shard_core::may_release(const hash32& tx) const {
  if (faulted_)
    return make_error(ec::storage_fault, "lock shard store failed; restart required");
  if (pending_.count(tx) != 0)
    return make_error(ec::storage_fault, "release of a reservation still being written");
  return {};
}

reservation_rounds::step reservation_rounds::begin(const hash32& tx,
                                                   const std::vector<output_ref>& inputs) {
  step s;
  if (rounds_.count(tx) != 0) {
    s.kind = step::await;
    return s;
  }
  if (inputs.empty()) { // rule 1 refuses it first; never sign what no shard checked
    s.kind = step::refuse;
    s.answer =
      reservation_answer::failed(make_error(ec::malformed_message, "a transaction without inputs"));
    return s;
  }
  auto& r = rounds_[tx];
  r.parts = inputs_by_shard(inputs, shards_);
  s.kind = step::reserve;
  s.asks = r.parts;
  return s;
}

reservation_rounds::step reservation_rounds::answered(const hash32& tx, uint32_t shard,
                                                      const reservation_answer& a) {
  step s;
  auto i = rounds_.find(tx);
  if (i == rounds_.end() || i->second.parts.count(shard) == 0)
    return s; // not asked: changes nothing
  auto& r = i->second;
  r.answers[shard] = a;
  if (r.answers.size() < r.parts.size())
    return s;
  bool conflict = false;
  for (const auto& [k, answer] : r.answers)
    if (answer.kind == reservation_answer::conflict) {
      conflict = true;
      s.answer.conflicts.insert(s.answer.conflicts.end(), answer.conflicts.begin(),
                                answer.conflicts.end());
    } else if (answer.kind == reservation_answer::fault && !s.answer.err) {
      s.answer.err = answer.err;
    }
  if (!conflict && !s.answer.err) {
    s.kind = step::sign;
    return s;
  }
  s.kind = step::refuse;
  if (!conflict) { // a fault proves nothing: the transaction may be signed already
    s.answer.kind = reservation_answer::fault;
    rounds_.erase(i);
    return s;
  }
  s.answer.kind = reservation_answer::conflict;
  s.answer.err = caf::error{};
  // An input locked to another transaction proves this one was never signed: every shard that
  // can read its locks releases those it holds for it.
  for (const auto& [k, answer] : r.answers)
    if (answer.kind != reservation_answer::fault)
      s.asks.emplace(k, r.parts[k]);
  return s;
}

} // namespace acfts
