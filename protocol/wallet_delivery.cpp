// The wallet core's deliveries (doc/protocol.md, A payment, step 4), both sides: a payee taking
// a certified payment, and a payer handing its certificates to payees until they acknowledge,
// with the retries of the timer.
#include <algorithm>

#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "protocol/rules.hpp"
#include "protocol/wallet_core.hpp"

namespace acfts {

namespace {

/// A payee that refuses a certificate will refuse it again; a timeout or its full disk will not.
bool refused_for_good(const caf::error& err) {
  auto code = code_of(err);
  return code != ec::none && code != ec::timeout && code != ec::storage_error;
}

/// Ticks to wait after the `tries`-th failed offer: 0, 1, 3, 7, ... 63 (about half a minute at
/// the nodes' tick), so a wrong or dead route costs a few messages a minute, not thousands.
uint32_t backoff_ticks(uint64_t tries) {
  return (1u << std::min<uint64_t>(tries == 0 ? 0 : tries - 1, 6)) - 1;
}

caf::error not_the_payees(const address& payee) {
  return make_error(ec::unknown_address,
                    "this wallet is not the payee's: it holds no address " + payee.hex());
}

} // namespace

void wallet_core::refuse_delivery(wallet_effects& fx, caller_id caller, caf::error err) {
  ++stats_.refused;
  fx.answers.push_back({caller, std::move(err), {}});
}

wallet_effects wallet_core::delivered(caller_id caller, const bytes& raw,
                                      std::optional<address> for_payee) {
  wallet_effects fx;
  // The payee is checked first: a wallet that is not the payee's says so, whatever it was sent.
  if (for_payee && !owns(*for_payee)) {
    refuse_delivery(fx, caller, not_the_payees(*for_payee));
    return fx;
  }
  auto ct = decode<certified_transaction>(raw);
  if (!ct) {
    refuse_delivery(fx, caller, ct.error());
    return fx;
  }
  return delivered(caller, std::move(*ct));
}

wallet_effects wallet_core::delivered(caller_id caller, certified_transaction received,
                                      std::optional<address> for_payee) {
  wallet_effects fx;
  auto refuse = [&](caf::error err) {
    refuse_delivery(fx, caller, std::move(err));
    return std::move(fx);
  };
  if (for_payee && !owns(*for_payee))
    return refuse(not_the_payees(*for_payee));
  auto ct = &received;
  if (auto err = verify_certified(net_, *ct))
    return refuse(err);
  publish(fx, watch_.saw_certified(*ct));
  auto tx = ct->cert.tx_hash;
  if (auto r = receiving_.find(tx); r != receiving_.end()) {
    r->second.callers.push_back(caller); // acknowledged once the first delivery is durable
    return fx;
  }
  auto known = records_->certified(tx);
  if (!known) {
    fx.answers.push_back({caller, known.error(), {}});
    return fx;
  }
  if (*known) {
    fx.answers.push_back({caller, caf::error{}, tx}); // a repeated delivery changes nothing
    return fx;
  }
  auto added = own_outputs(tx, ct->tx);
  // A transaction that spends this wallet's outputs may come from elsewhere too (co-signers
  // submitting from another node): its outputs are gone, whoever asked.
  std::vector<utxo> spent;
  for (const auto& in : ct->tx.inputs)
    if (auto u = ledger_.find(in))
      spent.push_back(*u);
  if (added.empty() && spent.empty())
    return refuse(
      make_error(ec::unknown_address, "no output of this payment belongs to this wallet"));
  // Held requests that spend any of these outputs can never be certified now.
  std::set<output_ref> gone;
  for (const auto& u : spent)
    gone.insert(u.ref);
  std::vector<hash32> held_done;
  for (const auto& [h, held] : held_)
    for (const auto& u : held.inputs)
      if (gone.count(u.ref) != 0) {
        held_done.push_back(h);
        break;
      }
  wallet_change change;
  change.history_add.push_back(history_line(tx, ct->tx, !spent.empty()));
  change.certified = std::make_shared<const certified_transaction>(std::move(*ct));
  change.added = added;
  change.spent = spent;
  change.held_done = held_done;
  receiving_.emplace(tx,
                     receipt{std::move(added), std::move(spent), std::move(held_done), {caller}});
  write_follow_up then;
  then.kind = write_follow_up::receive;
  then.tx = tx;
  write(fx, std::move(change), std::move(then));
  return fx;
}

void wallet_core::publish(wallet_effects& fx, std::vector<equivocation_proof> found) {
  if (found.empty())
    return;
  stats_.equivocations += found.size();
  wallet_change change;
  change.proofs = found;
  proofs_.insert(proofs_.end(), found.begin(), found.end());
  fx.proofs.insert(fx.proofs.end(), found.begin(), found.end());
  write(fx, std::move(change), write_follow_up{}); // kept; nothing waits on it
}

void wallet_core::offer_handoff(wallet_effects& fx, const outbox_entry& e,
                                std::shared_ptr<const bytes> certified, std::string endpoint) {
  auto& entry = outbox_[e];
  entry.encoded = std::move(certified);
  entry.state.payee = e.payee;
  entry.state.endpoint = std::move(endpoint);
  send_handoff(fx, e);
}

std::pair<wallet_core::outbox_iterator, wallet_core::outbox_iterator>
wallet_core::handoffs_of(const hash32& tx) {
  auto first = outbox_.lower_bound(outbox_entry{tx, address{}});
  auto last = first;
  while (last != outbox_.end() && last->first.tx == tx)
    ++last;
  return {first, last};
}

void wallet_core::send_handoff(wallet_effects& fx, const outbox_entry& e, bool again) {
  auto i = outbox_.find(e);
  if (i == outbox_.end() || (i->second.in_flight != 0 && !again))
    return;
  i->second.in_flight = 1;
  auto offer = ++i->second.state.tries;
  fx.handoffs.push_back({e.tx, e.payee, i->second.encoded, i->second.state.endpoint, offer});
}

wallet_effects wallet_core::acknowledged(const hash32& tx, const address& payee) {
  wallet_effects fx;
  outbox_entry e{tx, payee};
  if (outbox_.erase(e) == 0)
    return fx;
  wallet_change change;
  change.outbox_done.push_back(e);
  write(fx, std::move(change), write_follow_up{});
  return fx;
}

wallet_effects wallet_core::handoff_failed(const hash32& tx, const address& payee, uint64_t offer,
                                           const caf::error& err) {
  wallet_effects fx;
  outbox_entry e{tx, payee};
  auto i = outbox_.find(e);
  if (i == outbox_.end() || offer != i->second.state.tries)
    return fx;
  auto& h = i->second;
  h.in_flight = 0;
  h.state.last_error = err ? describe(err) : "no connection to the payee's wallet";
  // A node that refuses it will refuse it again: the payer is told (status, `tx undelivered`)
  // and may redirect it (`tx resend --to`); the entry stays, so nothing is lost.
  h.state.refused = refused_for_good(err);
  h.wait = backoff_ticks(h.state.tries);
  return fx;
}

wallet_effects wallet_core::resend_requests() {
  wallet_effects fx;
  for (const auto& [tx, p] : payments_)
    send_requests(fx, tx);
  return fx;
}

wallet_effects wallet_core::tick() {
  wallet_effects fx;
  for (const auto& [tx, p] : payments_)
    send_requests(fx, tx, true);
  for (auto& [e, h] : outbox_) {
    if (h.state.refused)
      continue;
    if (h.in_flight != 0) {
      if (++h.in_flight <= ticks_to_answer)
        continue;
      // No answer, not even a gate's: as a timeout (a late acknowledgement still counts).
      h.in_flight = 0;
      h.state.last_error = "no answer from the payee's wallet";
      h.wait = backoff_ticks(h.state.tries);
    }
    if (h.wait > 0) {
      --h.wait;
      continue;
    }
    send_handoff(fx, e);
  }
  return fx;
}

wallet_effects wallet_core::resend_handoffs(const address& payee) {
  wallet_effects fx;
  for (const auto& [e, h] : outbox_)
    if (e.payee == payee && h.state.endpoint.empty() && !h.state.refused)
      send_handoff(fx, e);
  return fx;
}

wallet_effects wallet_core::resend_handoffs_to(const std::string& endpoint) {
  wallet_effects fx;
  for (const auto& [e, h] : outbox_)
    if (h.state.endpoint == endpoint && !h.state.refused)
      send_handoff(fx, e);
  return fx;
}

wallet_effects wallet_core::resend(caller_id caller, const hash32& tx,
                                   std::optional<handoff_route> redirect) {
  wallet_effects fx;
  auto [first, last] = handoffs_of(tx);
  if (first == last) {
    fx.answers.push_back({caller,
                          make_error(ec::unknown_transaction,
                                     "no hand-off of " + tx.hex()
                                       + " waits for a payee (delivered, not final, or unknown)"),
                          {}});
    return fx;
  }
  if (redirect) {
    auto i = outbox_.find(outbox_entry{tx, redirect->payee});
    if (i == outbox_.end()) {
      fx.answers.push_back(
        {caller,
         make_error(ec::unknown_address,
                    "payment " + tx.hex() + " has no hand-off to " + redirect->payee.hex()),
         {}});
      return fx;
    }
    redirect->tx = tx;
    i->second.state.endpoint = redirect->endpoint;
    wallet_change change;
    change.routes.push_back(*redirect);
    write(fx, std::move(change), write_follow_up{});
  }
  // Offered now, even where an earlier offer still waits (perhaps at a dead route, for its
  // timeout): the user asked for it, and its late failure must not mark this one.
  for (auto i = first; i != last; ++i) {
    i->second.state.refused = false;
    i->second.wait = 0;
    send_handoff(fx, i->first, true);
  }
  fx.answers.push_back({caller, caf::error{}, tx});
  return fx;
}

} // namespace acfts
