#include "protocol/equivocation.hpp"

#include <algorithm>
#include <cstring>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "protocol/rules.hpp"

namespace acfts {

namespace {

caf::error invalid(const std::string& why) {
  return make_error(ec::invalid_proof, why);
}

std::tuple<uint16_t, hash32, hash32> pair_key(uint16_t v, const hash32& a, const hash32& b) {
  return a < b ? std::make_tuple(v, a, b) : std::make_tuple(v, b, a);
}

} // namespace

caf::expected<equivocation> verify_equivocation(const network& net,
                                                const equivocation_proof& proof) {
  if (proof.committee_id != net.id)
    return invalid("a proof about another network (committee " + proof.committee_id.short_hex()
                   + ", this one is " + net.id.short_hex() + ")");
  auto v = proof.first_share.validator_index;
  if (proof.second_share.validator_index != v)
    return invalid("the shares are of two validators (" + std::to_string(v) + " and "
                   + std::to_string(proof.second_share.validator_index) + ")");
  if (v >= net.size())
    return invalid("validator " + std::to_string(v) + " is not a member");
  equivocation e;
  e.validator = v;
  e.first_tx = tx_hash(proof.first);
  e.second_tx = tx_hash(proof.second);
  if (e.first_tx == e.second_tx)
    return invalid("both shares are over one transaction");
  for (const auto& in : proof.first.inputs)
    if (std::find(proof.second.inputs.begin(), proof.second.inputs.end(), in)
          != proof.second.inputs.end()
        && std::find(e.inputs.begin(), e.inputs.end(), in) == e.inputs.end())
      e.inputs.push_back(in);
  if (e.inputs.empty())
    return invalid("the transactions spend no common input");
  const auto& s1 = proof.first_share;
  const auto& s2 = proof.second_share;
  if (!verify_certificate_share(net, v, e.first_tx, s1.sig, s1.path))
    return invalid("the share over " + e.first_tx.short_hex() + " does not verify");
  if (!verify_certificate_share(net, v, e.second_tx, s2.sig, s2.path))
    return invalid("the share over " + e.second_tx.short_hex() + " does not verify");
  return e;
}

std::string describe(const network& net, const equivocation& e) {
  std::string inputs;
  for (const auto& in : e.inputs)
    inputs += (inputs.empty() ? "" : ", ") + short_text(in);
  auto name =
    e.validator < net.size() ? net.members.members[e.validator].name : std::to_string(e.validator);
  return "validator " + name + " signed two transactions spending " + inputs + ": "
         + e.first_tx.hex() + " and " + e.second_tx.hex();
}

equivocation_proof make_equivocation_proof(const network& net, const transaction& a,
                                           const validator_signature& sa, const transaction& b,
                                           const validator_signature& sb) {
  if (tx_hash(b) < tx_hash(a))
    return equivocation_proof{net.id, b, sb, a, sa};
  return equivocation_proof{net.id, a, sa, b, sb};
}

size_t equivocation_watch::slot_hash::operator()(const slot& s) const noexcept {
  unsigned char key[hash32::size + 4 + 2];
  std::memcpy(key, s.first.tx.data(), hash32::size);
  std::memcpy(key + hash32::size, &s.first.index, 4);
  std::memcpy(key + hash32::size + 4, &s.second, 2);
  return keyed_hash64(key, sizeof(key));
}

size_t equivocation_watch::tx_hash_key::operator()(const hash32& h) const noexcept {
  return keyed_hash64(h.data(), hash32::size);
}

equivocation_watch::equivocation_watch(const network& net, size_t capacity)
  : net_(&net), capacity_(std::max<size_t>(capacity, 1)) {}

void equivocation_watch::know(const hash32& h, std::shared_ptr<const transaction> tx) {
  if (!sent_.emplace(h, std::move(tx)).second)
    return;
  sent_order_.push_back(h);
  // A share arrives within seconds of its request; a few thousand payments cover that.
  while (sent_order_.size() > std::max<size_t>(capacity_ / 8, 1)) {
    sent_.erase(sent_order_.front());
    sent_order_.pop_front();
  }
}

std::shared_ptr<const transaction> equivocation_watch::known(const hash32& h) const {
  auto i = sent_.find(h);
  return i == sent_.end() ? nullptr : i->second;
}

std::vector<equivocation_proof>
equivocation_watch::saw(const hash32& h, const std::shared_ptr<const transaction>& tx,
                        const validator_signature& s, bool verified) {
  std::vector<equivocation_proof> out;
  std::set<hash32> compared;
  for (const auto& in : tx->inputs) {
    slot key{in, s.validator_index};
    auto [i, fresh] = seen_.try_emplace(key);
    if (fresh) {
      i->second = sighting{h, tx, s, verified};
      order_.push_back(key);
      continue;
    }
    auto& first = i->second;
    if (first.tx == h) {
      if (!first.verified && verified) // a checked share replaces an unchecked one
        first = sighting{h, tx, s, true};
      continue;
    }
    auto pk = pair_key(s.validator_index, first.tx, h);
    if (proven_.count(pk) != 0 || !compared.insert(first.tx).second)
      continue;
    auto proof = make_equivocation_proof(*net_, *first.body, first.share, *tx, s);
    if (verify_equivocation(*net_, proof)) {
      proven_.insert(pk);
      out.push_back(std::move(proof));
    } else if (!first.verified && verified) {
      first = sighting{h, tx, s, true}; // the earlier, unchecked share was junk
    }
  }
  while (order_.size() > capacity_) {
    seen_.erase(order_.front());
    order_.pop_front();
  }
  return out;
}

std::vector<equivocation_proof> equivocation_watch::saw_certified(const certified_transaction& ct) {
  std::vector<equivocation_proof> out;
  auto body = std::make_shared<const transaction>(ct.tx);
  for (const auto& s : ct.cert.sigs)
    for (auto& p : saw(ct.cert.tx_hash, body, s, true))
      out.push_back(std::move(p));
  return out;
}

void equivocation_watch::proven(const equivocation_proof& p) {
  proven_.insert(pair_key(p.first_share.validator_index, tx_hash(p.first), tx_hash(p.second)));
}

} // namespace acfts
