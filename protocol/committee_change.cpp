#include "protocol/committee_change.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/hashing.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/merkle.hpp"
#include "protocol/policy_rules.hpp"

namespace acfts {

namespace {

caf::error invalid(const std::string& why) {
  return make_error(ec::invalid_change, why);
}

/// old id ‖ next id ‖ locks (u64 big endian) ‖ root: the payload a seal signs.
std::vector<uint8_t> seal_payload(const seal_statement& s) {
  std::vector<uint8_t> out;
  out.insert(out.end(), s.old_id.data(), s.old_id.data() + s.old_id.size);
  out.insert(out.end(), s.next_id.data(), s.next_id.data() + s.next_id.size);
  for (int i = 7; i >= 0; --i)
    out.push_back(static_cast<uint8_t>(s.locks >> (8 * i)));
  out.insert(out.end(), s.lock_root.data(), s.lock_root.data() + s.lock_root.size);
  return out;
}

} // namespace

hash32 change_hash(const committee_change& c) {
  static constexpr char tag[] = "acfts.change.v1";
  bytes preimage(tag, tag + sizeof(tag) - 1);
  encode_into(preimage, c);
  return blake2b_256(preimage.data(), preimage.size());
}

caf::expected<network> next_network(const network& net, const committee_change& c) {
  auto next = make_network(c.next, net.gen);
  if (!next)
    return invalid("the next committee is not a valid one: " + describe(next.error()));
  if (next->id == net.id)
    return invalid("the next committee has the same keys and f: it changes nothing");
  next->epoch = c.next_epoch;
  next->governance = net.governance;
  next->past = net.past;
  auto before = net;
  before.past.clear();
  before.governance.reset();
  next->past.push_back(std::move(before));
  return next;
}

caf::error verify_change(const network& net, const change_request& req) {
  if (!net.governance)
    return invalid("this network's committee file names no governance policy: its committee "
                   "cannot change");
  const auto& c = req.change;
  if (c.old_id != net.id)
    return invalid("a change of committee " + c.old_id.short_hex() + ", not of this one ("
                   + net.id.short_hex() + ")");
  if (c.next_epoch != net.epoch + 1)
    return invalid("a change to epoch " + std::to_string(c.next_epoch)
                   + "; this committee is epoch " + std::to_string(net.epoch));
  if (auto next = next_network(net, c); !next)
    return next.error();
  if (!(req.approval.spend_policy == *net.governance))
    return invalid("approved under another policy than this network's governance");
  // The governance policy judged as an owner's: its keys sign the change's hash.
  transaction none;
  spend_context ctx{&none, change_hash(c), policy_address(*net.governance), 0};
  if (auto err = check_policy_presence(req.approval, ctx))
    return err;
  check_budget budget;
  return check_policy_signatures(req.approval, ctx, budget);
}

hash32 lock_set_root(std::vector<std::pair<output_ref, hash32>> locks) {
  if (locks.empty())
    return hash32{};
  std::sort(locks.begin(), locks.end());
  std::vector<hash32> leaves;
  leaves.reserve(locks.size());
  for (const auto& [in, tx] : locks) {
    auto raw = encode(in);
    raw.insert(raw.end(), tx.data(), tx.data() + tx.size);
    leaves.push_back(blake2b_256(raw.data(), raw.size()));
  }
  return build_merkle_tree(leaves).root;
}

seal_statement make_seal(const network& net, uint16_t index, const key_pair& key,
                         const hash32& next_id,
                         const std::vector<std::pair<output_ref, hash32>>& locks) {
  seal_statement s;
  s.validator_index = index;
  s.old_id = net.id;
  s.next_id = next_id;
  s.locks = locks.size();
  s.lock_root = lock_set_root(locks);
  auto payload = seal_payload(s);
  s.sig = key.sign(domain::seal, payload.data(), payload.size());
  return s;
}

bool verify_seal(const network& net, const seal_statement& s) {
  if (s.validator_index >= net.size() || s.old_id != net.id)
    return false;
  auto payload = seal_payload(s);
  return verify(net.members.members[s.validator_index].key, s.sig, domain::seal, payload.data(),
                payload.size());
}

} // namespace acfts
