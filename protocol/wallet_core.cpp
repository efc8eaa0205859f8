#include "protocol/wallet_core.hpp"

#include <algorithm>
#include <set>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "protocol/rules.hpp"

namespace acfts {

namespace {

constexpr size_t max_remembered_failures = 4096;

/// The owners of the inputs of `req`, from its parents and the genesis of `net`.
std::vector<address> input_owners(const network& net, const sign_request& req) {
  std::vector<address> out;
  auto add = [&](const transaction& parent, uint32_t index) {
    if (index < parent.outputs.size()
        && std::find(out.begin(), out.end(), parent.outputs[index].owner) == out.end())
      out.push_back(parent.outputs[index].owner);
  };
  for (const auto& in : req.tx.inputs) {
    if (in.tx == net.genesis_hash)
      add(net.gen.tx, in.index);
    for (const auto& p : req.parents)
      if (p.cert.tx_hash == in.tx)
        add(p.tx, in.index);
  }
  return out;
}

} // namespace

wallet_core::wallet_core(network net, std::vector<address> owners,
                         std::shared_ptr<const wallet_records> records)
  : net_(std::move(net)), owners_(std::move(owners)), records_(std::move(records)) {
  for (const auto& a : owners_) {
    owned_.insert(a);
    ledger_.add_address(a);
  }
}

wallet_effects wallet_core::restore(wallet_snapshot snap) {
  wallet_effects fx;
  restored_at_ms_ = snap.restored_at_ms;
  for (const auto& p : snap.proofs)
    watch_.proven(p);
  proofs_ = std::move(snap.proofs);
  ledger_.add(snap.unspent);
  // Requests made for a past committee go to this one: the owners signed the transaction, not
  // the committee, and the hand-over carried their locks (doc/protocol.md, Committee changes).
  for (auto* list : {&snap.pending, &snap.held})
    for (auto& req : *list)
      if (net_.committee_of(req.committee_id) != nullptr)
        req.committee_id = net_.id;
  for (auto& req : snap.pending) {
    std::vector<utxo> inputs;
    for (const auto& in : req.tx.inputs)
      if (auto u = ledger_.find(in))
        inputs.push_back(*u);
    ledger_.reserve(inputs);
    launch(fx, std::make_shared<const sign_request>(std::move(req)), std::move(inputs),
           std::nullopt);
  }
  for (auto& req : snap.held) {
    held_request h;
    for (const auto& in : req.tx.inputs)
      if (auto u = ledger_.find(in))
        h.inputs.push_back(*u);
    ledger_.reserve(h.inputs);
    auto tx = tx_hash(req.tx);
    h.req = std::make_shared<const sign_request>(std::move(req));
    held_.emplace(tx, std::move(h));
  }
  std::map<outbox_entry, std::string> routes;
  for (auto& r : snap.routes)
    routes[outbox_entry{r.tx, r.payee}] = std::move(r.endpoint);
  for (auto& [tx, p] : payments_)
    for (auto i = routes.lower_bound(outbox_entry{tx, address{}});
         i != routes.end() && i->first.tx == tx; ++i)
      p.routes[i->first.payee] = i->second;
  for (auto& h : snap.outbox) {
    outbox_entry e{h.certified.cert.tx_hash, h.payee};
    auto r = routes.find(e);
    offer_handoff(fx, e, std::make_shared<const bytes>(encode(h.certified)),
                  r == routes.end() ? std::string{} : r->second);
  }
  return fx;
}

wallet_effects wallet_core::pay(caller_id caller, const address& from, const address& to,
                                amount value, answer_when when, std::string endpoint) {
  auto plan = owns(from) ? plan_payment(ledger_.spendable(from), from, to, value)
                         : caf::expected<payment_plan>{not_held(from)};
  if (!plan)
    plan = explain_reserved(plan.error(), from);
  std::map<address, std::string> routes;
  if (!owns(to) && !endpoint.empty()) // a payment to itself has nothing to hand off
    routes[to] = std::move(endpoint);
  return submit(caller, from, std::move(plan), when, false, std::move(routes));
}

wallet_effects wallet_core::hold(caller_id caller, const address& from, const address& to,
                                 amount value) {
  auto plan = owns(from) ? plan_payment(ledger_.spendable(from), from, to, value)
                         : caf::expected<payment_plan>{not_held(from)};
  if (!plan)
    plan = explain_reserved(plan.error(), from);
  return submit(caller, from, std::move(plan), answer_when::recorded, true);
}

const sign_request* wallet_core::held(const hash32& tx) const {
  auto i = held_.find(tx);
  return i == held_.end() ? nullptr : i->second.req.get();
}

wallet_effects wallet_core::abandon(caller_id caller, const hash32& tx) {
  wallet_effects fx;
  auto i = held_.find(tx);
  if (i == held_.end()) {
    fx.answers.push_back(
      {caller,
       make_error(ec::unknown_transaction, "this wallet holds no request " + tx.hex()),
       {}});
    return fx;
  }
  wallet_change change;
  change.held_done.push_back(tx);
  write_follow_up then;
  then.kind = write_follow_up::abandon;
  then.tx = tx;
  then.released = std::move(i->second);
  then.caller = caller;
  held_.erase(i);
  write(fx, std::move(change), std::move(then));
  return fx;
}

wallet_effects wallet_core::split(caller_id caller, const address& owner, uint64_t parts) {
  auto plan = owns(owner) ? plan_split(ledger_.spendable(owner), owner, parts)
                          : caf::expected<payment_plan>{not_held(owner)};
  return submit(caller, owner, std::move(plan), answer_when::final);
}

wallet_effects wallet_core::submit(caller_id caller, const address& owner,
                                   caf::expected<payment_plan> plan, answer_when when, bool hold,
                                   std::map<address, std::string> routes) {
  wallet_effects fx;
  if (!plan) {
    fx.answers.push_back({caller, plan.error(), {}});
    return fx;
  }
  auto tx = tx_hash(plan->tx);
  if (drafts_.count(tx) != 0 || payments_.count(tx) != 0 || held_.count(tx) != 0) {
    fx.answers.push_back(
      {caller, make_error(ec::payment_conflict, "payment " + tx.hex() + " is under way"), {}});
    return fx;
  }
  // Reserved until the payment ends: no concurrent payment may pick these outputs.
  ledger_.reserve(plan->inputs);
  drafts_.emplace(tx, draft{std::move(*plan), owner, caller, when, hold, std::move(routes)});
  fx.witnesses.push_back({owner, tx});
  return fx;
}

wallet_effects wallet_core::submit_request(caller_id caller, sign_request req,
                                           std::string creator) {
  wallet_effects fx;
  auto answer = [&](caf::error err, hash32 tx = {}) {
    fx.answers.push_back({caller, std::move(err), tx});
    return std::move(fx);
  };
  if (net_.committee_of(req.committee_id) == nullptr)
    return answer(make_error(ec::wrong_committee, "a request for another network"));
  req.committee_id = net_.id; // one of a past committee is this one's now
  auto tx = tx_hash(req.tx);
  if (auto p = payments_.find(tx); p != payments_.end()) {
    p->second.waiters.push_back(caller); // submitted twice: one payment, two waiters
    return fx;
  }
  if (drafts_.count(tx) != 0)
    return answer(make_error(ec::payment_conflict, "payment " + tx.hex() + " is under way"));
  auto known = records_->certified(tx);
  if (!known)
    return answer(known.error());
  if (*known)
    return answer(caf::error{}, tx); // final already
  std::vector<utxo> own;
  auto h = held_.find(tx);
  if (h != held_.end()) {
    own = h->second.inputs; // reserved for it already; the held record ends with this write
  } else {
    for (const auto& in : req.tx.inputs)
      if (auto u = ledger_.find(in)) {
        if (ledger_.reserved(in))
          return answer(make_error(ec::payment_conflict, "input " + short_text(in)
                                                           + " is spent by a payment under way "
                                                           + "or held for another request"));
        own.push_back(*u);
      }
    ledger_.reserve(own);
  }
  // The creator of the transaction file learns the outcome at its endpoint: a hand-off to each
  // owner of an input that is not this wallet's (with or without an output to it).
  std::map<address, std::string> routes;
  if (!creator.empty())
    for (const auto& owner : input_owners(net_, req))
      if (!owns(owner))
        routes[owner] = creator;
  auto shared = std::make_shared<const sign_request>(std::move(req));
  wallet_change change;
  change.new_pending = shared;
  change.new_pending_tx = tx;
  for (const auto& [payee, endpoint] : routes)
    change.routes.push_back(handoff_route{tx, payee, endpoint});
  // Its own side only: a wallet that submits for others, with no input and no output of its
  // own, paid nothing and received nothing.
  auto line = history_line(tx, shared->tx, !own.empty());
  if (!own.empty() || !own_outputs(tx, shared->tx).empty())
    change.history_add.push_back(line);
  if (h != held_.end())
    change.held_done.push_back(tx);
  write_follow_up then;
  then.kind = write_follow_up::record;
  then.tx = tx;
  then.req = shared;
  then.recorded = draft{payment_plan{shared->tx, std::move(own)},
                        address{},
                        caller,
                        answer_when::final,
                        false,
                        std::move(routes)};
  write(fx, std::move(change), std::move(then));
  return fx;
}

wallet_effects wallet_core::witnessed(const hash32& tx, const caf::expected<owner_proof>& w) {
  wallet_effects fx;
  auto i = drafts_.find(tx);
  if (i == drafts_.end())
    return fx;
  auto d = std::move(i->second);
  drafts_.erase(i);
  auto give_up = [&](caf::error err) {
    ledger_.release(d.plan.inputs);
    fx.answers.push_back({d.caller, std::move(err), {}});
    return std::move(fx);
  };
  if (!w)
    return give_up(w.error());
  auto req = std::make_shared<sign_request>();
  req->committee_id = net_.id;
  req->tx = d.plan.tx;
  if (auto key = std::get_if<witness>(&*w))
    req->witnesses.push_back(*key);
  else
    req->policy_witnesses.push_back(std::get<policy_witness>(*w));
  std::set<hash32> parents;
  for (const auto& in : req->tx.inputs)
    if (in.tx != net_.genesis_hash)
      parents.insert(in.tx);
  for (const auto& h : parents) {
    auto ct = records_->certified(h);
    if (!ct)
      return give_up(ct.error());
    if (!*ct)
      return give_up(make_error(ec::storage_error, "no certificate for parent " + h.hex()));
    req->parents.push_back(std::move(**ct));
  }
  // Durable before the first request leaves: a restart resumes it.
  wallet_change change;
  write_follow_up then;
  if (d.hold) {
    change.new_held = req;
    change.new_held_tx = tx;
    then.kind = write_follow_up::hold;
  } else {
    change.new_pending = req;
    change.new_pending_tx = tx;
    for (const auto& [payee, endpoint] : d.routes)
      change.routes.push_back(handoff_route{tx, payee, endpoint});
    then.kind = write_follow_up::record;
    auto line = history_line(tx, req->tx, true);
    if (line.value == 0) // nothing left the wallet: a move between its own addresses, or a split
      line = internal_line(tx, req->tx, d.owner);
    if (line.value > 0) // a split to itself is no payment
      change.history_add.push_back(line);
  }
  then.tx = tx;
  then.req = req;
  then.recorded = std::move(d);
  write(fx, std::move(change), std::move(then));
  return fx;
}

void wallet_core::write(wallet_effects& fx, wallet_change change, write_follow_up then) {
  auto id = next_write_++;
  writes_.emplace(id, std::move(then));
  fx.writes.push_back({id, std::move(change)});
}

wallet_effects wallet_core::written(uint64_t id, const caf::error& err) {
  wallet_effects fx;
  auto i = writes_.find(id);
  if (i == writes_.end())
    return fx;
  auto then = std::move(i->second);
  writes_.erase(i);
  switch (then.kind) {
    case write_follow_up::record: {
      auto& d = *then.recorded;
      auto h = held_.find(then.tx);
      if (err) {
        // Nothing was sent. But a failed sync does not mean the record missed the disk: if it
        // got there, a restart resumes the payment. Say so rather than "failed". (A held
        // request's inputs stay reserved for it.)
        if (h == held_.end())
          ledger_.release(d.plan.inputs);
        fx.answers.push_back(
          {d.caller,
           make_error(ec::storage_error, "payment " + then.tx.hex()
                                           + " was not sent: recording it failed (" + describe(err)
                                           + "); if the record reached the disk, a restart "
                                             "resumes it"),
           {}});
        break;
      }
      if (h != held_.end())
        held_.erase(h);
      std::optional<caller_id> waiter;
      if (d.when == answer_when::recorded)
        fx.answers.push_back({d.caller, caf::error{}, then.tx});
      else
        waiter = d.caller;
      launch(fx, then.req, std::move(d.plan.inputs), waiter, std::move(d.routes));
      break;
    }
    case write_follow_up::finish:
    case write_follow_up::fail: {
      auto p = payments_.find(then.tx);
      if (p == payments_.end())
        break;
      if (err) {
        // The outcome is known but not on disk: the payment stays pending (a later reply or a
        // restart tries again; validators answer a retry with the same signatures) and its
        // callers learn of the failure.
        p->second.finishing = false;
        for (auto c : p->second.waiters)
          fx.answers.push_back({c, err, {}});
        p->second.waiters.clear();
        break;
      }
      settle(fx, then);
      break;
    }
    case write_follow_up::receive: {
      auto r = receiving_.find(then.tx);
      if (r == receiving_.end())
        break;
      auto rec = std::move(r->second);
      receiving_.erase(r);
      if (!err) {
        ledger_.remove(rec.spent);
        ledger_.add(rec.added);
        for (const auto& h : rec.held_done)
          held_.erase(h);
        ++stats_.received;
      }
      for (auto c : rec.callers)
        fx.answers.push_back({c, err, then.tx});
      break;
    }
    case write_follow_up::hold: {
      auto& d = *then.recorded;
      if (err) {
        ledger_.release(d.plan.inputs);
        fx.answers.push_back({d.caller,
                              make_error(ec::storage_error, "holding request " + then.tx.hex()
                                                              + " failed (" + describe(err) + ")"),
                              {}});
        break;
      }
      held_.emplace(then.tx, held_request{then.req, std::move(d.plan.inputs)});
      fx.answers.push_back({d.caller, caf::error{}, then.tx});
      break;
    }
    case write_follow_up::abandon:
      if (err) { // still held on disk, so still reserved here
        held_.emplace(then.tx, std::move(*then.released));
        fx.answers.push_back({then.caller, err, {}});
        break;
      }
      ledger_.release(then.released->inputs);
      fx.answers.push_back({then.caller, caf::error{}, then.tx});
      break;
    case write_follow_up::adopt: {
      for (const auto& rec : then.addresses)
        adopting_.erase(rec.addr);
      if (err) {
        fx.answers.push_back({then.caller, err, {}});
        break;
      }
      wallet_change registered;
      registered.new_addresses = std::move(then.addresses);
      registered.added = std::move(then.added);
      adopt(registered);
      fx.answers.push_back({then.caller, caf::error{}, {}, then.new_count});
      break;
    }
    case write_follow_up::forget:
      break; // lost: at worst the payee sees the hand-off again, harmlessly
  }
  return fx;
}

void wallet_core::settle(wallet_effects& fx, const write_follow_up& then) {
  auto p = payments_.find(then.tx);
  auto& pay = p->second;
  if (then.kind == write_follow_up::finish) {
    ledger_.remove(pay.inputs);
    ledger_.add(then.added);
    failures_.erase(then.tx); // an earlier submission of it may have failed (too few signatures)
    ++stats_.final;
    for (auto c : pay.waiters)
      fx.answers.push_back({c, caf::error{}, then.tx});
    if (!then.payees.empty()) {
      auto encoded = std::make_shared<const bytes>(encode(*then.certified));
      for (const auto& payee : then.payees) {
        outbox_entry e{then.tx, payee};
        auto r = pay.routes.find(payee);
        offer_handoff(fx, e, encoded, r == pay.routes.end() ? std::string{} : r->second);
      }
    }
  } else {
    // With a conflict the inputs are locked to another transaction (an equivocation) and are
    // lost to this wallet; otherwise they are spendable again.
    auto reason = then.reason;
    if (code_of(reason) == ec::payment_conflict) {
      ledger_.remove(pay.inputs);
      // A wallet restored from a backup meets the coins it spent after the backup this way.
      if (restored_at_ms_ != 0)
        reason = make_error(ec::payment_conflict,
                            "spent since the backup: the validators locked these coins to "
                            "another transaction before this wallet was restored ("
                              + describe(reason) + ")");
    } else {
      ledger_.release(pay.inputs);
    }
    ++stats_.failed;
    remember_failure(then.tx, reason);
    for (auto c : pay.waiters)
      fx.answers.push_back({c, reason, {}});
  }
  payments_.erase(p);
}

void wallet_core::launch(wallet_effects& fx, std::shared_ptr<const sign_request> req,
                         std::vector<utxo> inputs, std::optional<caller_id> waiter,
                         std::map<address, std::string> routes) {
  auto tx = tx_hash(req->tx);
  watch_.know(tx, std::shared_ptr<const transaction>(req, &req->tx));
  payment p;
  p.encoded = std::make_shared<const bytes>(encode(*req));
  p.req = std::move(req);
  p.collector = std::make_unique<quorum_collector>(net_, tx);
  p.in_flight.assign(net_.size(), 0);
  p.inputs = std::move(inputs);
  p.routes = std::move(routes);
  if (waiter)
    p.waiters.push_back(*waiter);
  payments_.emplace(tx, std::move(p));
  send_requests(fx, tx);
}

void wallet_core::send_requests(wallet_effects& fx, const hash32& tx, bool on_tick) {
  auto i = payments_.find(tx);
  if (i == payments_.end() || i->second.finishing)
    return;
  auto& p = i->second;
  for (uint16_t v = 0; v < net_.size(); ++v) {
    if (p.collector->answered(v))
      continue;
    auto& waited = p.in_flight[v];
    if (waited != 0 && (!on_tick || ++waited <= ticks_to_answer))
      continue;
    waited = 1;
    fx.requests.push_back({v, tx, p.encoded});
  }
}

wallet_effects wallet_core::replied(const hash32& tx, uint16_t from, const bytes& raw) {
  wallet_effects fx;
  auto i = payments_.find(tx);
  if (i == payments_.end()) {
    // A late reply to a finished payment. Its share still counts against its validator: a
    // payment that failed on conflicts may have got it from one that signed the other spend too.
    if (auto body = watch_.known(tx); body && from < net_.size())
      if (auto reply = decode<sign_reply>(raw))
        if (auto s = std::get_if<signed_reply>(&*reply);
            s && s->validator_index == from && s->tx_hash == tx)
          publish(fx, watch_.saw(tx, body, {from, s->sig, s->path}, false));
    return fx;
  }
  if (from >= net_.size()) {
    ++stats_.dropped;
    return fx;
  }
  auto& p = i->second;
  p.in_flight[from] = 0;
  auto reply = decode<sign_reply>(raw);
  if (!reply) {
    ++stats_.dropped;
    return fx;
  }
  auto dropped_before = p.collector->dropped();
  bool answered_before = p.collector->answered(from);
  auto state = p.collector->add(from, *reply);
  stats_.dropped += p.collector->dropped() - dropped_before;
  if (auto s = std::get_if<signed_reply>(&*reply);
      s && s->validator_index == from && s->tx_hash == tx && !answered_before) {
    // Verified when the collector counted it; else checked only if it would make a proof.
    bool verified = p.collector->answered(from);
    publish(fx, watch_.saw(tx, std::shared_ptr<const transaction>(p.req, &p.req->tx),
                           {from, s->sig, s->path}, verified));
  }
  if (p.finishing)
    return fx;
  if (state == quorum_collector::state::certified)
    finish(fx, tx);
  else if (state == quorum_collector::state::failed)
    fail(fx, tx, p.collector->failure());
  return fx;
}

void wallet_core::unanswered(const hash32& tx, uint16_t from) {
  auto i = payments_.find(tx);
  if (i != payments_.end() && from < net_.size())
    i->second.in_flight[from] = 0;
}

void wallet_core::finish(wallet_effects& fx, const hash32& tx) {
  auto& p = payments_.at(tx);
  p.finishing = true;
  auto ct = std::make_shared<const certified_transaction>(
    certified_transaction{p.req->tx, p.collector->cert()});
  write_follow_up then;
  then.kind = write_follow_up::finish;
  then.tx = tx;
  then.added = own_outputs(tx, ct->tx);
  then.certified = ct;
  for (const auto& out : ct->tx.outputs)
    if (!owns(out.owner)
        && std::find(then.payees.begin(), then.payees.end(), out.owner) == then.payees.end())
      then.payees.push_back(out.owner);
  for (const auto& [owner, endpoint] : p.routes) // a co-signed spend's creator, told at its node
    if (!owns(owner)
        && std::find(then.payees.begin(), then.payees.end(), owner) == then.payees.end())
      then.payees.push_back(owner);
  wallet_change change;
  change.certified = ct;
  change.spent = p.inputs;
  change.added = then.added;
  change.finished_payment = tx;
  for (const auto& payee : then.payees)
    change.outbox_add.push_back(outbox_entry{tx, payee});
  write(fx, std::move(change), std::move(then));
}

void wallet_core::fail(wallet_effects& fx, const hash32& tx, const caf::error& reason) {
  auto& p = payments_.at(tx);
  p.finishing = true;
  wallet_change change;
  change.finished_payment = tx;
  if (code_of(reason) == ec::payment_conflict)
    change.spent = p.inputs;
  for (const auto& [payee, endpoint] : p.routes) // nothing to hand off: the routes go
    change.routes.push_back(handoff_route{tx, payee, {}});
  write_follow_up then;
  then.kind = write_follow_up::fail;
  then.tx = tx;
  then.reason = reason;
  write(fx, std::move(change), std::move(then));
}

void wallet_core::remember_failure(const hash32& tx, const caf::error& reason) {
  if (failures_.emplace(tx, reason).second)
    failure_order_.push_back(tx);
  if (failure_order_.size() > max_remembered_failures) {
    failures_.erase(failure_order_.front());
    failure_order_.pop_front();
  }
}

} // namespace acfts
