#include "protocol/lock_handover.hpp"

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "protocol/committee_change.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/rules.hpp"

namespace acfts {

namespace {

/// Rules 1–3 of `req` under the old committee: the proof that its owners asked for its locks.
/// Time conditions are taken as met: a validator judged them when it gave the lock.
caf::error proves_its_locks(const network& old_net, const sign_request& req, const hash32& tx) {
  // A request carried over from an earlier hand-over names the committee it was made for.
  if (old_net.committee_of(req.committee_id) == nullptr)
    return make_error(ec::wrong_committee, "a request of another committee");
  if (auto err = check_transaction(req.tx))
    return err;
  auto spent = resolve_inputs(old_net, req.tx, req.parents);
  if (!spent)
    return spent.error();
  for (const auto& parent : req.parents)
    if (auto err = verify_certified(old_net, parent))
      return err;
  return verify_witnesses(tx, req, *spent, any_time);
}

} // namespace

hash32 unspendable_tx() {
  hash32 h;
  h.bytes.fill(0xff);
  return h;
}

caf::expected<merged_locks> merge_lock_sets(const network& old_net, const hash32& next_id,
                                            const std::vector<lock_export>& sets) {
  merged_locks out;
  std::set<uint16_t> seen;
  std::map<output_ref, std::set<hash32>> locked_to;
  for (const auto& set : sets) {
    const auto& s = set.seal;
    auto who = s.validator_index < old_net.size() ? old_net.members.members[s.validator_index].name
                                                  : std::to_string(s.validator_index);
    if (!verify_seal(old_net, s) || s.next_id != next_id) {
      out.refused.push_back(who + ": its seal is not one of this committee's for the next one");
      continue;
    }
    if (!seen.insert(s.validator_index).second)
      return make_error(ec::invalid_change, "the lock set of " + who + " is given twice");
    out.validators.push_back(s.validator_index);
    std::vector<std::pair<output_ref, hash32>> proven;
    for (const auto& req : set.requests) {
      auto tx = tx_hash(req.tx);
      if (auto err = proves_its_locks(old_net, req, tx)) {
        out.refused.push_back(who + ": a lock of " + tx.short_hex()
                              + " without a valid owner request: " + describe(err));
        continue;
      }
      out.requests.emplace(tx, req);
      for (const auto& in : req.tx.inputs) {
        locked_to[in].insert(tx);
        proven.emplace_back(in, tx);
      }
    }
    if (proven.size() != s.locks || lock_set_root(proven) != s.lock_root)
      out.refused.push_back(who + ": its proven locks (" + std::to_string(proven.size())
                            + ") are not the set it sealed (" + std::to_string(s.locks) + ")");
  }
  if (out.validators.size() < old_net.quorum())
    return make_error(ec::invalid_change,
                      std::to_string(out.validators.size()) + " sealed lock sets, "
                        + std::to_string(old_net.quorum())
                        + " needed (2f+1): the change waits until enough old validators seal");
  for (const auto& [in, txs] : locked_to) {
    if (txs.size() == 1)
      out.locks.emplace(in, *txs.begin());
    else
      out.unspendable.insert(in);
  }
  return out;
}

} // namespace acfts
