#include "protocol/payment.hpp"

#include <algorithm>

#include "messages/error.hpp"
#include "messages/limits.hpp"
#include "protocol/rules.hpp"

namespace acfts {

caf::expected<payment_plan> plan_payment(std::vector<utxo> spendable, const address& from,
                                         const address& to, amount value) {
  if (value == 0)
    return make_error(ec::zero_payment, "a payment must move at least one unit");
  payment_plan plan;
  // The smallest single output that covers the payment keeps the change small.
  const utxo* best = nullptr;
  for (const auto& u : spendable)
    if (u.value >= value && (best == nullptr || u.value < best->value))
      best = &u;
  if (best != nullptr) {
    plan.inputs.push_back(*best);
  } else {
    std::sort(spendable.begin(), spendable.end(),
              [](const utxo& x, const utxo& y) { return x.value > y.value; });
    amount sum = 0;
    for (const auto& u : spendable) {
      if (sum >= value || plan.inputs.size() == limits::max_inputs)
        break;
      auto next = checked_add(sum, u.value);
      if (!next)
        break; // cannot happen within one network's supply; stop short rather than wrap
      plan.inputs.push_back(u);
      sum = *next;
    }
    if (sum < value)
      return make_error(
        ec::insufficient_funds,
        "spendable " + to_string(sum) + " < " + to_string(value)
          + (plan.inputs.size() == limits::max_inputs ? " within the input limit" : ""));
  }
  amount sum = 0;
  for (const auto& u : plan.inputs) {
    plan.tx.inputs.push_back(u.ref);
    sum = *checked_add(sum, u.value); // the inputs picked above, summed without overflow there
  }
  plan.tx.outputs.push_back(output{to, value});
  if (sum > value)
    plan.tx.outputs.push_back(output{from, *checked_sub(sum, value)});
  return plan;
}

caf::expected<payment_plan> plan_split(std::vector<utxo> spendable, const address& owner,
                                       size_t parts) {
  if (parts == 0)
    return make_error(ec::no_outputs, "a split makes at least one output");
  if (parts > limits::max_outputs)
    return make_error(ec::too_many_outputs,
                      "a split makes at most " + std::to_string(limits::max_outputs) + " outputs");
  std::sort(spendable.begin(), spendable.end(),
            [](const utxo& x, const utxo& y) { return x.value > y.value; });
  if (spendable.size() > limits::max_inputs)
    spendable.resize(limits::max_inputs);
  payment_plan plan;
  amount sum = 0;
  for (const auto& u : spendable) {
    auto next = checked_add(sum, u.value);
    if (!next)
      break; // a wallet's outputs never sum past u64 in practice; stop short rather than wrap
    sum = *next;
    plan.inputs.push_back(u);
    plan.tx.inputs.push_back(u.ref);
  }
  if (sum < parts)
    return make_error(ec::insufficient_funds, "spendable " + to_string(sum) + " cannot make "
                                                + std::to_string(parts)
                                                + " outputs of at least one unit");
  for (size_t i = 0; i < parts; ++i)
    plan.tx.outputs.push_back(
      output{owner, sum.units() / parts + (i < sum.units() % parts ? 1 : 0)});
  return plan;
}

quorum_collector::quorum_collector(const network& net, hash32 tx)
  : net_(&net), tx_(tx), answered_(net.size(), false) {}

quorum_collector::state quorum_collector::add(uint16_t from, const sign_reply& reply) {
  if (state_ != state::collecting)
    return state_;
  if (from >= net_->size() || answered_[from]) {
    ++dropped_;
    return state_;
  }
  if (auto s = std::get_if<signed_reply>(&reply)) {
    if (s->validator_index != from || s->tx_hash != tx_
        || !verify_certificate_share(*net_, from, tx_, s->sig, s->path)) {
      ++dropped_;
      return state_;
    }
    answered_[from] = true;
    sigs_.push_back(validator_signature{from, s->sig, s->path});
    if (sigs_.size() >= net_->quorum())
      state_ = state::certified;
    return state_;
  }
  const auto& r = std::get<rejected_reply>(reply);
  if (r.validator_index != from || r.tx_hash != tx_) {
    ++dropped_;
    return state_;
  }
  // A storage fault is the validator's own trouble: it may sign after a restart, so ask again.
  if (r.code == static_cast<uint16_t>(ec::storage_fault))
    return state_;
  answered_[from] = true;
  // A sealed validator refuses nothing for good: its committee is handing over, and the same
  // request completes under the next one. The payment waits for that.
  if (r.code == static_cast<uint16_t>(ec::sealed)) {
    sealed_.push_back(from);
    return state_;
  }
  ++refusals_;
  if (r.code == static_cast<uint16_t>(ec::conflict))
    conflicts_.insert(conflicts_.end(), r.conflicts.begin(), r.conflicts.end());
  last_refusal_ = r.detail;
  // More than f refusals leave fewer than 2f+1 members who could still sign.
  if (refusals_ > net_->f()) {
    state_ = state::failed;
    if (!conflicts_.empty())
      failure_ = make_error(ec::payment_conflict, "input " + short_text(conflicts_.front().input)
                                                    + " is locked to transaction "
                                                    + conflicts_.front().other_tx.hex());
    else
      failure_ = make_error(ec::payment_rejected, last_refusal_);
  }
  return state_;
}

certificate quorum_collector::cert() const {
  certificate c;
  c.tx_hash = tx_;
  c.sigs = sigs_;
  std::sort(c.sigs.begin(), c.sigs.end(),
            [](const auto& x, const auto& y) { return x.validator_index < y.validator_index; });
  if (c.sigs.size() > net_->quorum())
    c.sigs.resize(net_->quorum());
  return c;
}

} // namespace acfts
