#include "actors/detail/wallet_metrics.hpp"

#include "actors/metrics_text.hpp"

namespace acfts {

std::string wallet_metrics(const wallet_core& core, const std::string& name,
                           size_t validators_connected, bool storage_faulted) {
  const auto& c = core.stats();
  metrics_text m;
  metrics_text::labels me{{"wallet", name}};
  auto with = [&](std::string k, std::string v) {
    auto ls = me;
    ls.emplace_back(std::move(k), std::move(v));
    return ls;
  };
  m.metric("acfts_wallet_payments_total", "counter", "Payments that ended, final or failed.");
  m.sample("acfts_wallet_payments_total", static_cast<double>(c.final), with("state", "final"));
  m.sample("acfts_wallet_payments_total", static_cast<double>(c.failed), with("state", "failed"));
  m.metric("acfts_wallet_payments_pending", "gauge", "Payments sent and not yet final or failed.");
  m.sample("acfts_wallet_payments_pending", static_cast<double>(core.pending()), me);
  m.metric("acfts_wallet_requests_held", "gauge", "Requests held for co-signers.");
  m.sample("acfts_wallet_requests_held", static_cast<double>(core.held_count()), me);
  m.metric("acfts_wallet_handoffs_unacknowledged", "gauge",
           "Certified payments not yet acknowledged by the payee's wallet.");
  m.sample("acfts_wallet_handoffs_unacknowledged", static_cast<double>(core.undelivered_count()),
           me);
  m.metric("acfts_wallet_received_total", "counter", "Certified payments received and stored.");
  m.sample("acfts_wallet_received_total", static_cast<double>(c.received), me);
  m.metric("acfts_wallet_deliveries_refused_total", "counter",
           "Deliveries refused (malformed, not certified, nothing for this wallet).");
  m.sample("acfts_wallet_deliveries_refused_total", static_cast<double>(c.refused), me);
  m.metric("acfts_wallet_equivocations_total", "counter",
           "Validators caught signing two transactions that spend a common input (proofs made).");
  m.sample("acfts_wallet_equivocations_total", static_cast<double>(c.equivocations), me);
  m.metric("acfts_wallet_replies_dropped_total", "counter",
           "Validator replies that did not count (malformed, a bad share, a duplicate signer).");
  m.sample("acfts_wallet_replies_dropped_total", static_cast<double>(c.dropped), me);
  m.metric("acfts_wallet_validators_connected", "gauge",
           "Committee members the wallet has reached (a lost one counts until it is replaced).");
  m.sample("acfts_wallet_validators_connected", static_cast<double>(validators_connected), me);
  m.metric("acfts_wallet_balance_units", "gauge", "What the wallet holds in all.");
  auto total = core.total();
  m.sample("acfts_wallet_balance_units", total ? static_cast<double>(total->units()) : 0, me);
  m.metric("acfts_wallet_storage_faulted", "gauge", "1 once a write of the wallet's store failed.");
  m.sample("acfts_wallet_storage_faulted", storage_faulted ? 1 : 0, me);
  return m.text();
}

} // namespace acfts
