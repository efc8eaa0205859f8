// What the wallet core says about itself without changing anything: balances, a payment's
// status, history lines, hand-offs not yet acknowledged, why coins are reserved.
#include <algorithm>
#include <unordered_set>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "protocol/rules.hpp"
#include "protocol/wallet_core.hpp"

namespace acfts {

const char* to_string(payment_state state) {
  switch (state) {
    case payment_state::pending:
      return "pending";
    case payment_state::failed:
      return "failed";
    case payment_state::final:
      return "final";
    case payment_state::held:
      return "held";
    case payment_state::unknown:
      break;
  }
  return "unknown";
}

caf::error wallet_core::not_held(const address& a) {
  return make_error(ec::unknown_address, "this wallet holds no address " + a.hex());
}

std::vector<utxo> wallet_core::own_outputs(const hash32& tx, const transaction& t) const {
  std::vector<utxo> out;
  for (uint32_t i = 0; i < t.outputs.size(); ++i)
    if (owns(t.outputs[i].owner))
      out.push_back(utxo{output_ref{tx, i}, t.outputs[i].owner, t.outputs[i].value});
  return out;
}

history_entry wallet_core::history_line(const hash32& tx, const transaction& t, bool sent) const {
  history_entry e;
  e.tx = tx;
  e.sent = sent;
  bool named = false;
  for (const auto& out : t.outputs) {
    bool mine = owns(out.owner);
    if (!mine && !named) {
      e.counterparty = out.owner;
      named = true;
    }
    if (mine != sent)
      if (auto sum = checked_add(e.value, out.value))
        e.value = *sum;
  }
  return e;
}

history_entry wallet_core::internal_line(const hash32& tx, const transaction& t,
                                         const address& payer) const {
  history_entry e;
  e.tx = tx;
  e.internal = true;
  for (const auto& out : t.outputs)
    if (out.owner != payer && owns(out.owner)) {
      if (e.counterparty.is_zero())
        e.counterparty = out.owner;
      e.value = checked_add(e.value, out.value).value_or(e.value);
    }
  return e;
}

caf::expected<std::vector<certified_transaction>> wallet_core::certified_sources() const {
  std::vector<certified_transaction> out;
  for (const auto& tx : ledger_.sources()) {
    if (tx == net_.genesis_hash)
      continue;
    auto ct = records_->certified(tx);
    if (!ct)
      return ct.error();
    if (!*ct)
      return make_error(ec::storage_error, "no certificate for " + tx.hex()
                                             + ", which created an output this wallet holds");
    out.push_back(std::move(**ct));
  }
  return out;
}

std::vector<std::pair<hash32, delivery>> wallet_core::undelivered() const {
  std::vector<std::pair<hash32, delivery>> out;
  for (const auto& [e, h] : outbox_)
    out.emplace_back(e.tx, h.state);
  return out;
}

namespace {

control::handoff handoff_of(const hash32& tx, const delivery& d) {
  return {tx, d.payee, d.endpoint, d.tries, d.last_error, d.refused};
}

} // namespace

std::vector<control::handoff> wallet_core::handoffs() const {
  std::vector<control::handoff> out;
  for (const auto& [e, h] : outbox_)
    out.push_back(handoff_of(e.tx, h.state));
  return out;
}

caf::expected<control::tx_status> wallet_core::status_reply(const hash32& tx) const {
  auto s = status(tx);
  if (!s)
    return s.error();
  control::tx_status out{
    to_string(s->state), s->signer_names, s->failure ? describe(s->failure) : "", {}};
  for (const auto& d : s->undelivered)
    out.undelivered.push_back(handoff_of(tx, d));
  return out;
}

caf::expected<certified_transaction> wallet_core::certified(const hash32& tx) const {
  auto ct = records_->certified(tx);
  if (!ct)
    return ct.error();
  if (!*ct)
    return make_error(ec::unknown_transaction, "this wallet holds no certificate for " + tx.hex());
  return std::move(**ct);
}

caf::expected<std::vector<control::history_line>>
wallet_core::history(const std::vector<history_entry>& oldest_first, uint64_t limit) const {
  std::vector<control::history_line> rows;
  for (auto i = oldest_first.rbegin(); i != oldest_first.rend(); ++i) {
    if (limit != 0 && rows.size() >= limit)
      break;
    std::string state = "final";
    std::string delivery;
    if (i->sent) {
      auto s = status(i->tx);
      if (!s)
        return s.error();
      if (s->state == payment_state::pending || s->state == payment_state::failed)
        state = to_string(s->state);
      else if (s->state == payment_state::unknown) // failed before a restart
        state = "failed";
      if (s->state == payment_state::final && !i->counterparty.is_zero() && !i->internal)
        delivery = s->undelivered.empty() ? "delivered" : "undelivered";
    }
    rows.push_back(control::history_line{i->tx,
                                         i->internal ? "moved"
                                         : i->sent   ? "sent"
                                                     : "received",
                                         i->counterparty, i->value, std::move(state),
                                         std::move(delivery), i->seen_ms / 1000});
  }
  return rows;
}

std::vector<std::string> wallet_core::endpoints() const {
  std::set<std::string> out;
  for (const auto& [e, h] : outbox_)
    if (!h.state.endpoint.empty())
      out.insert(h.state.endpoint);
  for (const auto& [tx, p] : payments_)
    for (const auto& [payee, endpoint] : p.routes)
      out.insert(endpoint);
  for (const auto& [tx, d] : drafts_)
    for (const auto& [payee, endpoint] : d.routes)
      out.insert(endpoint);
  return {out.begin(), out.end()};
}

size_t wallet_core::unsettled() const {
  size_t n = payments_.size();
  for (const auto& [e, h] : outbox_)
    n += h.state.refused ? 0 : 1;
  return n;
}

wallet_effects wallet_core::await(caller_id caller, const hash32& tx) {
  wallet_effects fx;
  if (auto p = payments_.find(tx); p != payments_.end()) {
    p->second.waiters.push_back(caller);
    return fx;
  }
  if (auto f = failures_.find(tx); f != failures_.end()) {
    fx.answers.push_back({caller, f->second, {}});
    return fx;
  }
  if (held_.count(tx) != 0) {
    fx.answers.push_back({caller,
                          make_error(ec::unknown_transaction,
                                     "request " + tx.hex() + " is held for co-signers, not sent"),
                          {}});
    return fx;
  }
  auto ct = records_->certified(tx);
  if (!ct)
    fx.answers.push_back({caller, ct.error(), {}});
  else if (*ct)
    fx.answers.push_back({caller, caf::error{}, tx});
  else
    fx.answers.push_back(
      {caller, make_error(ec::unknown_transaction, "wallet knows no transaction " + tx.hex()), {}});
  return fx;
}

caf::error wallet_core::explain_reserved(caf::error err, const address& from) const {
  if (code_of(err) != ec::insufficient_funds)
    return err;
  amount held_back = 0;
  std::string who;
  auto count = [&](const hash32& tx, const std::vector<utxo>& inputs, const char* what) {
    bool named = false;
    for (const auto& u : inputs)
      if (u.owner == from) {
        held_back = checked_add(held_back, u.value).value_or(held_back);
        if (!named)
          who += (who.empty() ? "" : ", ") + std::string{what} + " " + tx.short_hex();
        named = true;
      }
  };
  for (const auto& [tx, p] : payments_)
    count(tx, p.inputs, "pending payment");
  for (const auto& [tx, d] : drafts_)
    count(tx, d.plan.inputs, "payment being recorded");
  for (const auto& [tx, h] : held_)
    count(tx, h.inputs, "held request");
  if (who.empty())
    return err;
  return make_error(ec::insufficient_funds,
                    describe(err).substr(std::string{"insufficient_funds: "}.size()) + "; "
                      + to_string(held_back) + " more are reserved by " + who
                      + " (a pending payment frees its change once final; a held request "
                        "with `acfts tx abandon` or once submitted)");
}

caf::expected<amount> wallet_core::spendable(const address& owner) const {
  if (!owns(owner))
    return not_held(owner);
  amount sum = 0;
  for (const auto& u : ledger_.spendable(owner)) {
    auto next = checked_add(sum, u.value);
    if (!next)
      return make_error(ec::amount_overflow, "the spendable outputs of " + owner.hex());
    sum = *next;
  }
  return sum;
}

caf::expected<amount> wallet_core::balance(const address& owner) const {
  if (!owns(owner))
    return not_held(owner);
  return ledger_.balance(owner);
}

caf::expected<wallet_core::tx_status> wallet_core::status(const hash32& tx) const {
  auto out = status_of(tx);
  if (out)
    for (auto i : out->signers)
      out->signer_names.push_back(i < net_.size() ? net_.members.members[i].name
                                                  : "#" + std::to_string(i));
  return out;
}

caf::expected<wallet_core::tx_status> wallet_core::status_of(const hash32& tx) const {
  tx_status out;
  if (held_.count(tx) != 0) {
    out.state = tx_status::held;
    return out;
  }
  if (auto p = payments_.find(tx); p != payments_.end()) {
    out.state = tx_status::pending;
    const auto& c = *p->second.collector;
    for (const auto& s : c.cert().sigs)
      out.signers.push_back(s.validator_index);
    if (!c.sealed().empty()) {
      std::string who;
      for (auto i : c.sealed())
        who += (who.empty() ? "" : ", ") + net_.members.members[i].name;
      out.failure = make_error(ec::sealed, "it waits: " + who
                                             + " sealed for a change of committee; it completes "
                                               "under the next committee once this wallet "
                                               "follows the change (acfts committee follow)");
    }
    return out;
  }
  if (auto f = failures_.find(tx); f != failures_.end()) {
    out.state = tx_status::failed;
    out.failure = f->second;
    return out;
  }
  auto ct = records_->certified(tx);
  if (!ct)
    return ct.error();
  if (*ct) {
    out.state = tx_status::final;
    for (const auto& s : (*ct)->cert.sigs)
      out.signers.push_back(s.validator_index);
    for (auto i = outbox_.lower_bound(outbox_entry{tx, address{}});
         i != outbox_.end() && i->first.tx == tx; ++i)
      out.undelivered.push_back(i->second.state);
  }
  return out;
}

} // namespace acfts
