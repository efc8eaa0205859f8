#include "cli/client.hpp"
#include "cli/number_option.hpp"

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <cstdio>
#include <iostream>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "crypto/hashing.hpp"
#include "config/payment_uri.hpp"
#include "cli/delivery.hpp"
#include "cli/qr_text.hpp"
#include "crypto/key_file.hpp"
#include "messages/error.hpp"
#include "nodes/node_runtime.hpp"

namespace acfts {

namespace {

/// How long `pay` waits, after final, for the payee's wallet to acknowledge the payment.
constexpr std::chrono::milliseconds delivery_wait{2000};

} // namespace

caf::expected<address> resolve_address(const cluster_file& c, const std::string& text) {
  if (auto found = c.find_address(text))
    return found->second->addr();
  if (auto a = address::from_hex(text))
    return *a;
  return make_error(ec::unknown_address, "no address named '" + text + "'");
}

caf::expected<std::unique_ptr<control_session>> open_session(const wallet_in_cluster& found) {
  auto s = std::make_unique<control_session>();
  auto session = open_control(s->sys, found.entry());
  if (!session)
    return session.error();
  s->wallet = std::move(*session);
  return s;
}

caf::expected<std::unique_ptr<control_session>> open_session(const std::string& config,
                                                             const std::string& wallet) {
  auto found = find_wallet(config, wallet);
  if (!found)
    return found.error();
  return open_session(*found);
}

namespace {

using clock = std::chrono::steady_clock;

caf::timespan span(clock::duration d) {
  return std::chrono::duration_cast<caf::timespan>(d);
}

/// The outcome of one payment as `acfts pay` reports it.
struct pay_outcome {
  int rc = 1;
  std::string tx; // known once the wallet recorded the payment
};

/// Submits one payment and waits for its outcome until `deadline`. The wait is a series of short
/// `await`s, so that a wallet node that stops meanwhile is noticed at once: the client then
/// reconnects and asks the restarted node, which resumes the recorded payment.
pay_outcome pay_once(caf::actor_system& sys, const wallet_entry& wallet, wallet_endpoint& session,
                     const address& from, const address& to, uint64_t value,
                     const std::string& route, clock::time_point deadline, bool json) {
  pay_outcome out;
  auto left = [&] { return span(std::max(deadline - clock::now(), clock::duration::zero())); };
  auto tx = ask(sys, session, left(), control::pay{from, to, amount{value}, route});
  if (!tx) {
    if (code_of(tx.error()) == ec::timeout) {
      std::cerr << "acfts: pending: wallet " << wallet.name << " did not record the payment in time"
                << std::endl;
      out.rc = exit_pending;
    } else {
      out.rc = fail(tx.error(), json);
    }
    return out;
  }
  out.tx = tx->hex();
  bool lost_node = false;
  while (clock::now() < deadline) {
    auto slice = std::min<clock::duration>(deadline - clock::now(), std::chrono::seconds(2));
    auto done = ask(sys, session, span(slice), control::await{*tx});
    if (done) {
      out.rc = 0;
      return out;
    }
    auto code = code_of(done.error());
    if (code != ec::none && code != ec::timeout) { // the wallet's own answer: it failed
      out.rc = fail(done.error(), json);
      return out;
    }
    // No answer in time, or the wallet node went away (a request to a node that died may time
    // out rather than fail): connect again, which reaches a restarted node, and ask it.
    if (code != ec::timeout)
      lost_node = true;
    while (clock::now() < deadline) {
      if (auto again = open_control(sys, wallet)) {
        lost_node = lost_node || again->port != session.port;
        session = std::move(*again);
        break;
      }
      lost_node = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  // Why it waits, when the wallet knows (validators sealed for a change of committee).
  std::string why;
  if (auto st = ask(sys, session, std::chrono::seconds(2), control::status{*tx}))
    why = st->detail;
  if (why.empty())
    why = lost_node ? "wallet node " + wallet.name + " stopped while it waited"
                    : "too few validators answer";
  std::cerr << "acfts: pending: payment " << out.tx << " is not final (" << why << ")"
            << "; wallet " << wallet.name << " keeps retrying it; ask `acfts tx status --wallet "
            << wallet.name << " " << out.tx << "`" << std::endl;
  out.rc = exit_pending;
  return out;
}

} // namespace

int run_pay(const pay_options& given) {
  auto opts = given;
  const bool json = opts.json;
  auto found = find_wallet(opts.config, opts.wallet);
  if (!found)
    return fail(found.error(), json);
  const auto* cluster = &found->cluster;
  const auto* wallet = &found->entry();
  if (opts.from.empty()) // the wallet's first address
    opts.from = wallet->addresses.front().name;
  auto from = cluster->find_address(opts.from);
  if (!from || from->first != wallet)
    return fail("unknown_address: wallet " + found->entry().name + " holds no address '" + opts.from
                  + "'",
                json);
  std::optional<payment_uri> uri;
  caf::expected<address> to = address{};
  // Where this payment's certificate goes: the URI's node, or the payee's wallet as the file
  // names it. It is this payment's alone (a later URI for the same address changes nothing).
  std::string route;
  if (looks_like_payment_uri(opts.to)) {
    auto parsed = parse_payment_uri(opts.to);
    if (!parsed)
      return fail(parsed.error(), json);
    uri = *parsed;
    to = uri->payee;
    if (uri->value && opts.amount != 0 && uri->value->units() != opts.amount)
      return fail("malformed_message: --amount " + std::to_string(opts.amount)
                    + " differs from the payment URI's amount " + to_string(*uri->value),
                  json);
    if (uri->value)
      opts.amount = uri->value->units();
    if (uri->host)
      route = endpoint{*uri->host, uri->port}.text();
  } else {
    to = resolve_address(*cluster, opts.to);
  }
  if (!to)
    return fail(to.error(), json);
  if (route.empty())
    for (const auto& w : cluster->wallets)
      for (const auto& a : w.addresses)
        if (a.addr() == *to && &w != wallet)
          route = endpoint{w.host, w.port}.text();
  if (opts.amount == 0)
    return fail("zero_payment: give --amount (or a payment URI with an amount)", json);
  auto cfg = node_config();
  caf::actor_system sys{*cfg};
  auto session = open_control(sys, *wallet);
  if (!session)
    return fail(session.error(), json);
  auto timeout = std::chrono::duration_cast<clock::duration>(
    std::chrono::duration<double>(opts.timeout_seconds));
  std::vector<double> latencies_ms;
  auto started = clock::now();
  for (uint64_t i = 0; i < opts.count; ++i) {
    auto t0 = clock::now();
    auto out = pay_once(sys, *wallet, *session, from->second->addr(), *to, opts.amount, route,
                        t0 + timeout, json);
    if (out.rc == 0)
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
    // Final is not yet received: say whether the payee's wallet acknowledged it (a short wait).
    std::optional<delivery_report> delivered;
    if (out.rc == 0 && opts.count == 1) {
      auto r = await_delivery(sys, *session, out.tx, delivery_wait);
      if (r)
        delivered = std::move(*r);
    }
    // The hash names the payment, final or pending.
    if (!out.tx.empty() && (opts.count == 1 || out.rc != 0)) {
      if (opts.json) {
        nlohmann::ordered_json line{
          {"tx", out.tx}, {"status", out.rc == 0 ? "final" : "pending"}, {"amount", opts.amount}};
        if (delivered) {
          line["delivery"] = delivered->delivered ? "delivered" : "undelivered";
          line["undelivered"] = delivered->undelivered;
        }
        std::cout << line.dump() << std::endl;
      } else {
        std::cout << out.tx << std::endl;
        if (delivered)
          std::cerr << "acfts: final, "
                    << (delivered->delivered
                          ? std::string{"delivered: the payee's wallet acknowledged it"}
                          : undelivered_text(delivered->undelivered)
                              + "; the wallet keeps offering it (acfts tx undelivered)")
                    << std::endl;
      }
    }
    if (out.rc != 0)
      return out.rc;
  }
  if (opts.count > 1) {
    double seconds = std::chrono::duration<double>(clock::now() - started).count();
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto pct = [&](double q) {
      return latencies_ms[std::min(latencies_ms.size() - 1,
                                   static_cast<size_t>(q * latencies_ms.size()))];
    };
    std::printf("%llu payments in %.3f s: %.1f payments/s, latency p50 %.2f ms, p99 %.2f ms\n",
                static_cast<unsigned long long>(opts.count), seconds, opts.count / seconds,
                pct(0.5), pct(0.99));
  }
  return 0;
}

int run_tx_status(const std::string& config, const std::string& wallet_name, const std::string& tx,
                  bool json) {
  auto found = find_wallet(config, wallet_name);
  if (!found)
    return fail(found.error(), json);
  if (!hash32::from_hex(tx))
    return fail("malformed_message: not a transaction hash: " + tx, json);
  auto cfg = node_config();
  caf::actor_system sys{*cfg};
  auto session = open_control(sys, found->entry());
  if (!session)
    return fail(session.error(), json);
  auto status =
    ask(sys, *session, std::chrono::seconds(10), control::status{*hash32::from_hex(tx)});
  if (!status)
    return fail(status.error(), json);
  const auto& state = status->state;
  const auto& names = status->validators;
  const auto& detail = status->detail;
  auto undelivered = handoffs_json(status->undelivered, false);
  if (json) {
    nlohmann::ordered_json out;
    out["tx"] = tx;
    out["wallet"] = found->entry().name;
    out["status"] = state;
    if (state == "final") {
      out["signers"] = names;
      out["delivery"] = undelivered.empty() ? "delivered" : "undelivered";
      out["undelivered"] = undelivered;
    }
    if (state == "pending")
      out["signed_by"] = names;
    if (state == "pending" && !detail.empty())
      out["waiting"] = detail;
    if (state == "failed")
      out["reason"] = detail;
    std::cout << out.dump() << std::endl;
  } else {
    std::string list;
    for (const auto& n : names)
      list += (list.empty() ? "" : ", ") + n;
    if (state == "final")
      std::cout << "final: certified by " << list << "; "
                << (undelivered.empty() ? std::string{"delivered"} : undelivered_text(undelivered))
                << std::endl;
    else if (state == "pending")
      std::cout << "pending: signed so far by " << (list.empty() ? "none" : list)
                << (detail.empty() ? "" : "; " + detail) << std::endl;
    else if (state == "failed")
      std::cout << "failed: " << detail << std::endl;
    else if (state == "held")
      std::cout << "held: waiting for co-signers (a transaction file); `acfts tx submit` sends it, "
                   "`acfts tx abandon` lets it go"
                << std::endl;
    else
      std::cout << "unknown: wallet " << wallet_name << " has no record of " << tx << std::endl;
  }
  if (state == "final")
    return 0;
  if (state == "pending" || state == "held")
    return exit_pending;
  return state == "failed" ? exit_failed : exit_unknown;
}

int run_receive(const std::string& config, const std::string& wallet_name,
                const std::string& address_name, uint64_t value, bool qr, bool json) {
  auto found = find_wallet(config, wallet_name);
  if (!found)
    return fail(found.error(), json);
  const auto& w = found->entry();
  const address_entry* a = &w.addresses.front();
  if (!address_name.empty()) {
    auto named = found->cluster.find_address(address_name);
    if (!named || named->first != &w)
      return fail("unknown_address: wallet " + wallet_name + " holds no address '" + address_name
                    + "'",
                  json);
    a = named->second;
  }
  payment_uri uri;
  uri.payee = a->addr();
  uri.host = w.host;
  uri.port = w.port;
  if (value != 0)
    uri.value = amount{value};
  if (json) {
    nlohmann::ordered_json out{{"uri", uri.text()},
                               {"address", uri.payee.hex()},
                               {"name", a->name},
                               {"node", w.host + ":" + std::to_string(w.port)}};
    if (value != 0)
      out["amount"] = value;
    std::cout << out.dump() << std::endl;
  } else {
    std::cout << uri.text() << std::endl;
  }
  if (qr)
    print_qr(uri.text(), std::cout);
  return 0;
}

int run_history(const std::string& config, const std::string& wallet_name, uint64_t limit,
                bool json) {
  auto found = find_wallet(config, wallet_name);
  if (!found)
    return fail(found.error(), json);
  auto cfg = node_config();
  caf::actor_system sys{*cfg};
  auto session = open_control(sys, found->entry());
  if (!session)
    return fail(session.error(), json);
  auto rows = ask(sys, *session, std::chrono::seconds(10), control::history{limit});
  if (!rows)
    return fail(rows.error(), json);
  auto lines = nlohmann::ordered_json::array();
  for (const auto& r : *rows)
    lines.push_back(
      {{"tx", r.tx.hex()},
       {"direction", r.direction},
       {"counterparty", r.counterparty.is_zero() ? std::string{} : r.counterparty.hex()},
       {"amount", r.value.units()},
       {"state", r.state},
       {"delivery", r.delivery},
       {"seen", r.seen}});
  if (json) {
    std::cout << nlohmann::ordered_json{{"wallet", found->entry().name}, {"payments", lines}}.dump()
              << std::endl;
    return 0;
  }
  // Counterparties by name where the cluster file knows them.
  auto name_of = [&](const std::string& hex) -> std::string {
    for (const auto& w : found->cluster.wallets)
      for (const auto& a : w.addresses)
        if (a.addr().hex() == hex)
          return a.name + " (" + w.name + ")";
    return hex.empty() ? "-" : hex.substr(0, 16);
  };
  for (const auto& l : lines) {
    auto seen = static_cast<std::time_t>(l["seen"].get<uint64_t>());
    char when[32];
    std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&seen));
    std::cout << when << "  " << l["tx"].get<std::string>().substr(0, 16) << "  "
              << (l["direction"] == "sent"    ? "sent    "
                  : l["direction"] == "moved" ? "moved   "
                                              : "received")
              << "  " << std::setw(12) << l["amount"].get<uint64_t>() << "  "
              << name_of(l["counterparty"].get<std::string>()) << "  "
              << l["state"].get<std::string>()
              << (l.value("delivery", "") == "undelivered" ? ", undelivered" : "") << "\n";
  }
  std::cout << std::flush;
  return 0;
}

int run_balance(const std::string& config, const std::string& wallet_name, bool json) {
  auto found = find_wallet(config, wallet_name);
  if (!found)
    return fail(found.error(), json);
  const auto* wallet = &found->entry();
  auto cfg = node_config();
  caf::actor_system sys{*cfg};
  auto session = open_control(sys, *wallet);
  if (!session)
    return fail(session.error(), json);
  nlohmann::ordered_json out;
  out["wallet"] = found->entry().name;
  amount total = 0;
  for (const auto& a : wallet->addresses) {
    auto held = ask(sys, *session, std::chrono::seconds(10), control::balance{a.addr()});
    if (!held)
      return fail(held.error(), json);
    out["addresses"][a.name] = held->units();
    auto sum = checked_add(total, *held);
    if (!sum)
      return fail(make_error(ec::amount_overflow, "the wallet's balance"), json);
    total = *sum;
  }
  out["total"] = total.units();
  if (json) {
    std::cout << out.dump() << std::endl;
  } else {
    for (const auto& a : wallet->addresses)
      std::cout << a.name << " " << out["addresses"][a.name].get<uint64_t>() << "\n";
    std::cout << "total " << total << std::endl;
  }
  return 0;
}

command_runner add_payment_commands(CLI::App& app) {
  struct options {
    pay_options pay;
    std::string config, wallet, address;
    uint64_t amount = 0, limit = 20;
    bool qr = false, json = false;
  };
  auto o = std::make_shared<options>();
  auto pay_cmd =
    app.add_subcommand("pay", "Ask a running wallet node to pay, and wait until final");
  pay_cmd->add_option("--config", o->pay.config, "A wallet file, or cluster.toml")->required();
  pay_cmd->add_option("--wallet", o->pay.wallet,
                      "Paying wallet (w0, ...; default: the file's only wallet)");
  pay_cmd->add_option("--from", o->pay.from,
                      "Paying address (a0, ...; default: the wallet's first)");
  pay_cmd
    ->add_option("--to", o->pay.to,
                 "Payee: an address name, 64 hex digits, or a payment URI (acfts:...)")
    ->required();
  add_amount(pay_cmd, "--amount", o->pay.amount, "Units to pay (default: the payment URI's)");
  pay_cmd->add_option("--timeout", o->pay.timeout_seconds,
                      "Seconds to wait before reporting pending");
  add_number(pay_cmd, "--count", o->pay.count, "Pay N times in a row; print payments/s and latency",
             1, 10000000);
  pay_cmd->add_flag("--json", o->pay.json, "One JSON object: {\"tx\", \"status\", \"amount\"}");

  auto receive_cmd = app.add_subcommand(
    "receive", "Print a payment URI (acfts:ADDRESS?node=HOST:PORT&amount=N) for a wallet");
  receive_cmd->add_option("--config", o->config, "A wallet file, or cluster.toml")->required();
  receive_cmd->add_option("--wallet", o->wallet,
                          "The receiving wallet (w0, ...; default: the file's only wallet)");
  receive_cmd->add_option("--address", o->address, "Which address (default: the first)");
  add_amount(receive_cmd, "--amount", o->amount, "Units to ask for");
  receive_cmd->add_flag("--qr", o->qr, "Also draw the URI as a QR code");
  receive_cmd->add_flag("--json", o->json, "One JSON object: uri, address, name, node, amount");

  auto balance_cmd = app.add_subcommand("balance", "Print a running wallet node's balances");
  balance_cmd->add_option("--config", o->config, "A wallet file, or cluster.toml")->required();
  balance_cmd->add_option("--wallet", o->wallet,
                          "Wallet (w0, ...; default: the file's only wallet)");
  balance_cmd->add_flag("--json", o->json, "One JSON object; its `total` is the wallet's total");

  auto history_cmd =
    app.add_subcommand("history", "Payments a running wallet node sent and received, newest first");
  history_cmd->add_option("--config", o->config, "A wallet file, or cluster.toml")->required();
  history_cmd->add_option("--wallet", o->wallet,
                          "Wallet (w0, ...; default: the file's only wallet)");
  add_number(history_cmd, "--limit", o->limit, "At most this many (0: all; default 20)");
  history_cmd->add_flag("--json", o->json,
                        "One JSON object: payments [{tx, direction, counterparty, amount, state, "
                        "seen}]");
  return [=]() -> std::optional<int> {
    if (*pay_cmd)
      return run_pay(o->pay);
    if (*receive_cmd)
      return run_receive(o->config, o->wallet, o->address, o->amount, o->qr, o->json);
    if (*balance_cmd)
      return run_balance(o->config, o->wallet, o->json);
    if (*history_cmd)
      return run_history(o->config, o->wallet, o->limit, o->json);
    return std::nullopt;
  };
}

} // namespace acfts
