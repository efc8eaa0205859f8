#include "cli/delivery.hpp"

#include <iostream>
#include <thread>

#include "config/payment_uri.hpp"
#include "messages/error.hpp"
#include "messages/transaction.hpp"
#include "cli/client.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

/// One status question: the delivery of `tx`, or nullopt while it is not final.
caf::expected<std::optional<delivery_report>>
ask_delivery(caf::actor_system& sys, const wallet_endpoint& w, const hash32& tx) {
  auto status = ask(sys, w, std::chrono::seconds(10), control::status{tx});
  if (!status)
    return status.error();
  if (status->state != "final")
    return std::optional<delivery_report>{};
  delivery_report r;
  r.undelivered = handoffs_json(status->undelivered, false);
  r.delivered = r.undelivered.empty();
  return std::optional<delivery_report>{std::move(r)};
}

} // namespace

nlohmann::ordered_json handoffs_json(const std::vector<control::handoff>& xs, bool with_tx) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& d : xs) {
    nlohmann::ordered_json line;
    if (with_tx)
      line["tx"] = d.tx.hex();
    line["payee"] = d.payee.hex();
    line["endpoint"] = d.endpoint;
    line["tries"] = d.tries;
    line["last_error"] = d.last_error;
    line["refused"] = d.refused;
    out.push_back(std::move(line));
  }
  return out;
}

caf::expected<delivery_report> await_delivery(caf::actor_system& sys, const wallet_endpoint& w,
                                              const std::string& tx,
                                              std::chrono::milliseconds wait) {
  auto hash = hash32::from_hex(tx);
  if (!hash)
    return make_error(ec::malformed_message, "not a transaction hash: " + tx);
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto r = ask_delivery(sys, w, *hash);
    if (!r)
      return r.error();
    auto done = *r && (*r)->delivered;
    if (done || std::chrono::steady_clock::now() >= deadline) {
      if (*r)
        return std::move(**r);
      return make_error(ec::unknown_transaction, tx + " is not final");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

namespace {

/// "to 3f2a… at host:port: <last error> (N tries, ...)"
std::string handoff_text(const nlohmann::ordered_json& d) {
  auto endpoint = d["endpoint"].get<std::string>();
  auto last = d["last_error"].get<std::string>();
  return "to " + d["payee"].get<std::string>().substr(0, 16) + " at "
         + (endpoint.empty() ? "its wallet" : endpoint) + ": "
         + (last.empty() ? "no answer yet" : last) + " ("
         + std::to_string(d["tries"].get<uint64_t>()) + " tries"
         + (d["refused"].get<bool>() ? ", refused: `acfts tx resend --to URI` redirects it"
                                     : ", offered again")
         + ")";
}

} // namespace

std::string undelivered_text(const nlohmann::ordered_json& undelivered) {
  std::string out = "not yet delivered: ";
  for (size_t i = 0; i < undelivered.size(); ++i)
    out += (i == 0 ? "" : "; ") + handoff_text(undelivered[i]);
  return out;
}

int run_tx_undelivered(const std::string& config, const std::string& wallet, bool json) {
  auto list = ask_wallet(config, wallet, control::handoffs{});
  if (!list)
    return fail(list.error(), json);
  auto rows = handoffs_json(*list, true);
  if (json) {
    std::cout << nlohmann::ordered_json{{"undelivered", rows}}.dump() << std::endl;
  } else {
    for (const auto& r : rows)
      std::cout << r["tx"].get<std::string>() << "  " << handoff_text(r) << "\n";
    std::cout << std::flush;
  }
  return rows.empty() ? 0 : exit_pending;
}

int run_tx_resend(const std::string& config, const std::string& wallet, const std::string& tx,
                  const std::string& to, bool json) {
  if (!hash32::from_hex(tx))
    return fail("malformed_message: not a transaction hash: " + tx, json);
  address payee;
  std::string route;
  if (!to.empty()) {
    auto uri = parse_payment_uri(to);
    if (!uri)
      return fail(uri.error(), json);
    if (!uri->host)
      return fail("malformed_message: --to needs a payment URI with node=HOST:PORT", json);
    payee = uri->payee;
    route = endpoint{*uri->host, uri->port}.text();
  }
  auto s = open_session(config, wallet);
  if (!s)
    return fail(s.error(), json);
  auto resent =
    (*s)->ask(std::chrono::seconds(10), control::resend{*hash32::from_hex(tx), payee, route});
  if (!resent)
    return fail(resent.error(), json);
  auto r = await_delivery((*s)->sys, (*s)->wallet, tx, std::chrono::seconds(5));
  if (!r)
    return fail(r.error(), json);
  if (json)
    std::cout << nlohmann::ordered_json{{"tx", tx},
                                        {"delivery", r->delivered ? "delivered" : "undelivered"},
                                        {"undelivered", r->undelivered}}
                   .dump()
              << std::endl;
  else
    std::cout << (r->delivered ? std::string{"delivered"} : undelivered_text(r->undelivered))
              << std::endl;
  return r->delivered ? 0 : exit_pending;
}

} // namespace acfts
