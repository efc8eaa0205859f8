#include "audit/audit.hpp"

#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "persistence/validator_store.hpp"
#include "persistence/wallet_store.hpp"
#include "protocol/equivocation.hpp"
#include "protocol/lock_handover.hpp"
#include "protocol/rules.hpp"

namespace acfts {

caf::expected<audit_report> audit_stores(const network& net,
                                         const std::vector<audited_validator>& validators,
                                         const std::vector<audited_wallet>& wallets) {
  audit_report rep;
  auto breach = [&](std::string what) { rep.breaches.push_back(std::move(what)); };
  // Adds `x` to `total`, or reports that `what` overflows.
  auto add = [&](amount& total, amount x, const std::string& what) {
    if (auto sum = checked_add(total, x))
      total = *sum;
    else
      breach(what + " overflows");
  };
  for (const auto& out : net.gen.tx.outputs)
    add(rep.genesis_supply, out.value, "the genesis supply");

  // 1. Validators: what each one's store holds (kept for the share checks of step 2).
  struct validator_records {
    std::string name;
    std::map<output_ref, hash32> locks;
    std::unordered_map<hash32, share> sigs;
  };
  std::map<uint16_t, validator_records> by_index;
  for (const auto& v : validators) {
    auto store = validator_store::open(v.data_dir, net.id, v.index);
    if (!store)
      return store.error();
    ++rep.validators;
    auto& recs = by_index[v.index];
    recs.name = v.name;
    if (auto err = for_each_validator_lock(**store, net.id, v.index,
                                           [&](const output_ref& in, const hash32& tx) {
                                             ++rep.locks;
                                             recs.locks.emplace(in, tx);
                                           }))
      return err;
    // A lock in the validator's own store is written in one batch with its signature: one
    // without is a breach. A lock shard's reservation is durable before the signature is made
    // (rule 4 across shards), so a validator killed between the two leaves it unsigned — safe:
    // the shard still refuses every other spend of those inputs, and the same transaction is
    // signed when asked again. Those are not held against the signatures.
    std::set<hash32> locked;
    if (auto err =
          (*store)->for_each_lock([&](const output_ref&, const hash32& tx) { locked.insert(tx); }))
      return err;
    if (auto err = (*store)->for_each_share([&](const hash32& tx, const share& given) {
          ++rep.signatures;
          ++rep.checks.stored_signatures_verified;
          recs.sigs.emplace(tx, given);
          if (!verify_certificate_share(net, v.index, tx, given.sig, given.path))
            breach(v.name + ": stored signature for " + tx.short_hex() + " does not verify");
        }))
      return err;
    // Epoch rule: a lock the hand-over carried (its request made for a past committee) has no
    // signature of this committee until the same transaction is asked again.
    std::set<hash32> carried;
    if (!net.past.empty())
      if (auto err = (*store)->for_each_request([&](const hash32& tx, const sign_request& req) {
            if (req.committee_id != net.id && net.committee_of(req.committee_id) != nullptr)
              carried.insert(tx);
          }))
        return err;
    for (const auto& tx : locked)
      if (recs.sigs.count(tx) == 0 && carried.count(tx) == 0 && tx != unspendable_tx())
        breach(v.name + ": locks for " + tx.short_hex() + " without its signature");
  }

  // 2. Certified transactions known anywhere (every wallet's copy), and what the wallets hold.
  std::map<hash32, certified_transaction> certified;
  auto check_copy = [&](const std::string& wallet, const certified_transaction& ct) {
    ++rep.checks.certificate_copies_verified;
    auto h = tx_hash(ct.tx);
    auto by = certifying_committee(net, ct.cert, h);
    if (auto err = check_transaction(ct.tx))
      by = caf::expected<const network*>{std::move(err)};
    if (!by) {
      breach(wallet + ": its copy of the certificate of " + h.short_hex()
             + " is invalid: " + describe(by.error()));
      return;
    }
    certified.emplace(h, ct);
    if (*by != &net) {
      // Epoch rule: a past committee certified it, so every validator of this one must hold
      // its inputs locked to it (the hand-over carried it), or as unspendable.
      for (const auto& [index, recs] : by_index)
        for (const auto& in : ct.tx.inputs) {
          ++rep.checks.locks_held_against_shares;
          auto lock = recs.locks.find(in);
          if (lock == recs.locks.end() || (lock->second != h && lock->second != unspendable_tx()))
            breach("validator " + recs.name + " of epoch " + std::to_string(net.epoch)
                   + " does not hold input " + short_text(in) + " locked to " + h.short_hex()
                   + ", which a past committee certified (" + wallet
                   + " holds it): the hand-over lost a certified spend");
        }
      return;
    }
    // Each share against the store of the validator that gave it.
    for (const auto& s : ct.cert.sigs) {
      auto v = by_index.find(s.validator_index);
      if (v == by_index.end())
        continue; // that validator's store is not part of this audit
      auto& recs = v->second;
      ++rep.checks.shares_held_against_validators;
      auto given = recs.sigs.find(h);
      if (given == recs.sigs.end())
        breach("validator " + recs.name + " has no record of its signature on " + h.short_hex()
               + ", which " + wallet
               + " holds in a certificate (lost from its store, or made "
                 "outside it)");
      else if (given->second != s.given())
        breach("validator " + recs.name + " holds another share for " + h.short_hex() + " than "
               + wallet + "'s certificate"
               + (s.path ? " (its root is not the one the validator's store signed)" : ""));
      for (const auto& in : ct.tx.inputs) {
        ++rep.checks.locks_held_against_shares;
        auto lock = recs.locks.find(in);
        if (lock == recs.locks.end())
          breach("validator " + recs.name + " lost a lock it signed: input " + short_text(in)
                 + " of " + h.short_hex());
        else if (lock->second != h)
          breach("validator " + recs.name + " signed " + h.short_hex() + " but locked its input "
                 + short_text(in) + " to " + lock->second.short_hex());
      }
    }
  };
  // 7. Equivocation: each double-sign proven once, whoever found it.
  std::set<std::tuple<uint16_t, hash32, hash32>> proven;
  auto prove = [&](const equivocation_proof& p, const std::string& found_by) {
    auto e = verify_equivocation(net, p);
    if (!e) {
      breach(found_by + " keeps an equivocation proof that proves nothing: " + describe(e.error()));
      return;
    }
    if (!proven.emplace(e->validator, e->first_tx, e->second_tx).second)
      return;
    breach("equivocation: " + describe(net, *e) + " (found by " + found_by + ")");
    rep.proofs.push_back(p);
  };
  std::vector<std::vector<utxo>> held(wallets.size());
  std::set<hash32> undelivered;
  for (size_t w = 0; w < wallets.size(); ++w) {
    auto store = wallet_store::open(wallets[w].data_dir, net.id);
    if (!store)
      return store.error();
    ++rep.wallets;
    if (auto err = (*store)->for_each_certified([&](const certified_transaction& ct) {
          ++rep.checks.records_decoded;
          check_copy(wallets[w].name, ct);
        }))
      return err;
    auto kept = (*store)->proofs();
    if (!kept)
      return kept.error();
    for (const auto& p : *kept)
      prove(p, wallets[w].name);
    auto outs = (*store)->all_unspent();
    if (!outs)
      return outs.error();
    held[w] = std::move(*outs);
    auto pending = (*store)->pending();
    if (!pending)
      return pending.error();
    rep.pending += pending->size();
    rep.checks.records_decoded += pending->size();
    auto outbox = (*store)->outbox();
    if (!outbox)
      return outbox.error();
    for (const auto& e : *outbox)
      undelivered.insert(e.tx);
  }
  rep.certified = certified.size();
  rep.undelivered = undelivered.size();

  // 3–5. Double spends, conservation, supply.
  std::map<output_ref, output> created;
  for (uint32_t i = 0; i < net.gen.tx.outputs.size(); ++i)
    created.emplace(output_ref{net.genesis_hash, i}, net.gen.tx.outputs[i]);
  for (const auto& [h, ct] : certified)
    for (uint32_t i = 0; i < ct.tx.outputs.size(); ++i)
      created.emplace(output_ref{h, i}, ct.tx.outputs[i]);
  std::map<output_ref, hash32> spent_by;
  for (const auto& [h, ct] : certified) {
    amount in = 0, out = 0;
    bool known = true;
    for (const auto& input : ct.tx.inputs) {
      auto [pos, fresh] = spent_by.emplace(input, h);
      if (!fresh) {
        breach("double spend: " + short_text(input) + " is spent by certified "
               + pos->second.short_hex() + " and " + h.short_hex());
        // Every validator that signed both certificates equivocated.
        const auto& other = certified.at(pos->second);
        for (const auto& s1 : other.cert.sigs)
          for (const auto& s2 : ct.cert.sigs)
            if (s1.validator_index == s2.validator_index)
              prove(make_equivocation_proof(net, other.tx, s1, ct.tx, s2), "the audit");
      }
      auto src = created.find(input);
      if (src == created.end()) {
        known = false;
        continue;
      }
      auto sum = checked_add(in, src->second.value);
      if (!sum)
        breach("inputs of " + h.short_hex() + " overflow");
      else
        in = *sum;
    }
    for (const auto& o : ct.tx.outputs) {
      auto sum = checked_add(out, o.value);
      if (!sum)
        breach("outputs of " + h.short_hex() + " overflow");
      else
        out = *sum;
    }
    if (!known)
      breach("certified " + h.short_hex() + " spends an output no store knows");
    else if (in != out)
      breach("certified " + h.short_hex() + " does not conserve value: in " + to_string(in)
             + ", out " + to_string(out));
  }
  std::map<output_ref, output> unspent;
  for (const auto& [ref, out] : created)
    if (spent_by.count(ref) == 0) {
      unspent.emplace(ref, out);
      add(rep.unspent_supply, out.value, "the unspent supply");
    }
  if (rep.unspent_supply != rep.genesis_supply)
    breach("supply: unspent outputs sum to " + to_string(rep.unspent_supply)
           + ", the genesis created " + to_string(rep.genesis_supply));

  // 6. Wallet holdings.
  std::unordered_map<address, size_t> owner_wallet;
  for (size_t w = 0; w < wallets.size(); ++w)
    for (const auto& a : wallets[w].addresses)
      owner_wallet[a] = w;
  for (size_t w = 0; w < wallets.size(); ++w) {
    std::set<output_ref> has;
    for (const auto& u : held[w]) {
      has.insert(u.ref);
      add(rep.wallet_total, u.value, "the wallets' holdings");
      auto i = unspent.find(u.ref);
      if (i == unspent.end())
        breach(wallets[w].name + " holds " + short_text(u.ref)
               + (spent_by.count(u.ref) ? ", which a certified transaction spent"
                                        : ", which no certificate created"));
      else if (i->second.value != u.value || i->second.owner != u.owner)
        breach(wallets[w].name + " holds " + short_text(u.ref) + " with the wrong owner or amount");
    }
    for (const auto& [ref, out] : unspent) {
      auto o = owner_wallet.find(out.owner);
      if (o == owner_wallet.end() || o->second != w || has.count(ref) != 0)
        continue;
      if (undelivered.count(ref.tx) != 0)
        continue; // still on its way to this wallet
      breach(wallets[w].name + " lacks " + short_text(ref) + " (" + to_string(out.value)
             + " units) that a certificate gives it");
    }
  }
  return rep;
}

} // namespace acfts
