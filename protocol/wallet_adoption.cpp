// The addresses a wallet holds: those its file names when it starts, and those it adopts while
// it runs (`acfts address new`), each held once its registration is durable.
#include <algorithm>
#include <set>
#include <unordered_set>

#include "protocol/wallet_core.hpp"

namespace acfts {

std::optional<wallet_change> adopt_addresses(const network& net,
                                             const std::vector<address_record>& known,
                                             const std::vector<address_record>& mine) {
  std::unordered_set<address> registered;
  for (const auto& rec : known)
    registered.insert(rec.addr);
  wallet_change change;
  const auto& g = net.gen.tx;
  for (const auto& rec : mine) {
    if (!registered.insert(rec.addr).second)
      continue;
    change.new_addresses.push_back(rec);
    for (uint32_t j = 0; j < g.outputs.size(); ++j)
      if (g.outputs[j].owner == rec.addr)
        change.added.push_back(utxo{output_ref{net.genesis_hash, j}, rec.addr, g.outputs[j].value});
  }
  if (change.new_addresses.empty())
    return std::nullopt;
  return change;
}

void wallet_core::adopt(const wallet_change& change) {
  for (const auto& rec : change.new_addresses)
    if (owned_.insert(rec.addr).second) {
      owners_.push_back(rec.addr);
      ledger_.add_address(rec.addr);
    }
  ledger_.add(change.added);
}

wallet_effects wallet_core::adopt_new(caller_id caller,
                                      const std::vector<address_record>& records) {
  wallet_effects fx;
  std::vector<address_record> fresh;
  for (const auto& rec : records)
    if (!owns(rec.addr) && adopting_.insert(rec.addr).second)
      fresh.push_back(rec);
  auto known = records_->addresses();
  if (!known) {
    for (const auto& rec : fresh)
      adopting_.erase(rec.addr);
    fx.answers.push_back({caller, known.error(), {}});
    return fx;
  }
  // Registered by an earlier run (the file named them, then not, then again): held at once,
  // with what the store keeps for them.
  wallet_change at_once;
  std::set<address> registered;
  for (const auto& k : *known)
    registered.insert(k.addr);
  for (const auto& rec : fresh)
    if (registered.count(rec.addr) != 0) {
      auto outputs = records_->unspent(rec.addr);
      if (!outputs) {
        for (const auto& r : fresh)
          adopting_.erase(r.addr);
        fx.answers.push_back({caller, outputs.error(), {}});
        return fx;
      }
      at_once.new_addresses.push_back(rec);
      at_once.added.insert(at_once.added.end(), outputs->begin(), outputs->end());
      adopting_.erase(rec.addr);
    }
  adopt(at_once);
  auto change = adopt_addresses(net_, *known, fresh);
  if (!change) {
    fx.answers.push_back({caller, caf::error{}, {}, fresh.size()});
    return fx;
  }
  write_follow_up then;
  then.kind = write_follow_up::adopt;
  then.caller = caller;
  then.addresses = change->new_addresses;
  then.added = change->added;
  then.new_count = fresh.size();
  write(fx, std::move(*change), std::move(then));
  return fx;
}

} // namespace acfts
