#include "protocol/wallet_ledger.hpp"

#include <set>

#include "messages/error.hpp"

namespace acfts {

void wallet_ledger::add_address(const address& owner) {
  unspent_[owner];
}

void wallet_ledger::add(const std::vector<utxo>& outs) {
  for (const auto& u : outs)
    unspent_[u.owner][u.ref] = u.value;
}

void wallet_ledger::remove(const std::vector<utxo>& outs) {
  for (const auto& u : outs) {
    if (auto i = unspent_.find(u.owner); i != unspent_.end())
      i->second.erase(u.ref);
    reserved_.erase(u.ref);
  }
}

void wallet_ledger::reserve(const std::vector<utxo>& outs) {
  for (const auto& u : outs)
    reserved_.insert(u.ref);
}

void wallet_ledger::release(const std::vector<utxo>& outs) {
  for (const auto& u : outs)
    reserved_.erase(u.ref);
}

std::vector<utxo> wallet_ledger::spendable(const address& owner) const {
  std::vector<utxo> out;
  auto i = unspent_.find(owner);
  if (i == unspent_.end())
    return out;
  for (const auto& [ref, value] : i->second)
    if (reserved_.count(ref) == 0)
      out.push_back(utxo{ref, owner, value});
  return out;
}

std::optional<utxo> wallet_ledger::find(const output_ref& ref) const {
  for (const auto& [owner, outs] : unspent_)
    if (auto i = outs.find(ref); i != outs.end())
      return utxo{ref, owner, i->second};
  return std::nullopt;
}

caf::expected<amount> wallet_ledger::balance(const address& owner) const {
  amount sum = 0;
  auto i = unspent_.find(owner);
  if (i == unspent_.end())
    return sum;
  for (const auto& [ref, value] : i->second) {
    auto next = checked_add(sum, value);
    if (!next)
      return make_error(ec::amount_overflow, "balance of " + owner.short_hex());
    sum = *next;
  }
  return sum;
}

caf::expected<amount> wallet_ledger::total() const {
  amount sum = 0;
  for (const auto& [owner, outs] : unspent_) {
    auto b = balance(owner);
    if (!b)
      return b;
    auto next = checked_add(sum, *b);
    if (!next)
      return make_error(ec::amount_overflow, "the wallet's total");
    sum = *next;
  }
  return sum;
}

std::vector<hash32> wallet_ledger::sources() const {
  std::set<hash32> out;
  for (const auto& [owner, outs] : unspent_)
    for (const auto& [ref, value] : outs)
      out.insert(ref.tx);
  return {out.begin(), out.end()};
}

} // namespace acfts
