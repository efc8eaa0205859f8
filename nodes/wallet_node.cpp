#include "nodes/wallet_node.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <map>
#include <thread>
#include <type_traits>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/atoms.hpp"
#include "actors/gate.hpp"
#include "actors/local_types.hpp"
#include "actors/wallet_actor.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/codec.hpp"
#include "config/payment_uri.hpp"
#include "config/wallet_backup.hpp"
#include "messages/error.hpp"
#include "nodes/client.hpp"
#include "nodes/metrics_server.hpp"
#include "nodes/node_runtime.hpp"
#include "nodes/reconnect_backoff.hpp"
#include "nodes/wallet_connector.hpp"
#include "protocol/equivocation.hpp"

namespace acfts {

namespace {

const caf::duration local_timeout{std::chrono::seconds(30)};

/// Asks `wallet` and passes its answer (a T) or its error back through `rp`.
template <class T, class... Ts>
void relay(caf::event_based_actor* self, caf::response_promise rp, const caf::actor& wallet,
           const caf::duration& timeout, const Ts&... xs) {
  self->request(wallet, timeout, xs...)
    .then([=](T& answer) mutable { rp.deliver(std::move(answer)); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

/// The addresses of `w` with their keys, read from their key files.
caf::expected<wallet_addresses> load_addresses(const wallet_entry& w) {
  wallet_addresses out;
  for (const auto& a : w.addresses) {
    if (a.spend_policy) {
      wallet_options::policy_address_options pa{*a.spend_policy, {}};
      for (const auto& file : a.key_files) {
        auto key = read_owner_key_file(file);
        if (!key)
          return make_error(ec::invalid_key_file, a.name + ": " + describe(key.error()));
        pa.keys.push_back(std::make_shared<const owner_key>(std::move(*key)));
      }
      out.policies.push_back(std::move(pa));
      continue;
    }
    auto key = load_key(a.key_file, a.key, a.name);
    if (!key)
      return key.error();
    out.keys.push_back(*key);
    out.key_refs.push_back(a.key_file);
  }
  return out;
}

/// Reads the wallet's addresses from its configuration file again (after `acfts address new`).
using reload_fn = std::function<caf::expected<wallet_addresses>()>;

/// A hand-off not yet acknowledged, as the control port answers it.
nlohmann::ordered_json delivery_json(const delivery& d) {
  return {{"payee", d.payee.hex()},
          {"endpoint", d.endpoint},
          {"tries", d.tries},
          {"last_error", d.last_error},
          {"refused", d.refused}};
}

/// The control interface on 127.0.0.1:control_port: every request carries the token from the
/// wallet's data directory, so only local users who may read that file can pay or read balances.
caf::behavior control(caf::event_based_actor* self, caf::actor wallet, std::string token,
                      reload_fn reload) {
  // Runs `f(rp)` for a request with the right token; refuses the others.
  auto authorized = [=](const std::string& tok, auto f) {
    auto rp = self->make_response_promise();
    if (!secrets_equal(tok, token)) {
      spdlog::warn("refused a control request without the right token");
      rp.deliver(make_error(ec::unauthorized, "wrong control token"));
      return;
    }
    f(rp);
  };
  // The wallet answers with a hash: the client reads hex.
  auto hash_to_hex = [=](caf::response_promise rp, caf::duration timeout, auto... xs) {
    self->request(wallet, timeout, xs...)
      .then([=](const hash32& tx) mutable { rp.deliver(tx.hex()); },
            [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  };
  // Addresses and hashes arrive as hex: what does not parse is answered here.
  auto parse = [](auto& rp, const std::string& hex, auto* out) {
    using value_type = std::remove_pointer_t<decltype(out)>;
    if (auto x = value_type::from_hex(hex)) {
      *out = *x;
      return true;
    }
    constexpr bool is_address = std::is_same_v<value_type, address>;
    rp.deliver(
      make_error(is_address ? ec::unknown_address : ec::malformed_message,
                 std::string{is_address ? "not an address: " : "not a transaction hash: "} + hex));
    return false;
  };
  // An amount the wallet knows of one address (balance, spendable), as units.
  auto units_of = [=](auto atom, const std::string& tok, const std::string& addr_hex) {
    authorized(tok, [=](caf::response_promise& rp) {
      address owner;
      if (!parse(rp, addr_hex, &owner))
        return;
      self->request(wallet, local_timeout, atom, owner)
        .then([=](amount value) mutable { rp.deliver(value.units()); },
              [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
    });
  };
  auto payment = [=](auto atom, const std::string& tok, const std::string& from_hex,
                     const std::string& to_hex, uint64_t value, caf::duration timeout) {
    authorized(tok, [=](caf::response_promise& rp) {
      address from, to;
      if (parse(rp, from_hex, &from) && parse(rp, to_hex, &to))
        hash_to_hex(rp, timeout, atom, from, to, amount{value});
    });
  };
  return {
    [=](pay_atom atom, const std::string& tok, const std::string& from, const std::string& to,
        uint64_t value) { payment(atom, tok, from, to, value, caf::infinite); },
    [=](submit_atom atom, const std::string& tok, const std::string& from, const std::string& to,
        uint64_t value) { payment(atom, tok, from, to, value, local_timeout); },
    [=](submit_atom, const std::string& tok, const std::string& from_hex, const std::string& to_hex,
        uint64_t value, const std::string& route) {
      authorized(tok, [=](caf::response_promise& rp) {
        address from, to;
        if (!parse(rp, from_hex, &from) || !parse(rp, to_hex, &to))
          return;
        if (!route.empty())
          if (auto where = parse_endpoint(route); !where) {
            rp.deliver(where.error());
            return;
          }
        hash_to_hex(rp, local_timeout, submit_atom::value, from, to, amount{value}, route);
      });
    },
    [=](hold_atom, const std::string& tok, const std::string& from_hex, const std::string& to_hex,
        uint64_t value) {
      authorized(tok, [=](caf::response_promise& rp) {
        address from, to;
        if (!parse(rp, from_hex, &from) || !parse(rp, to_hex, &to))
          return;
        self->request(wallet, local_timeout, hold_atom::value, from, to, amount{value})
          .then([=](const sign_request& req) mutable { rp.deliver(encode(req)); },
                [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      });
    },
    [=](submit_atom atom, const std::string& tok, const bytes& raw) {
      authorized(tok, [=](caf::response_promise& rp) {
        auto req = decode<sign_request>(raw);
        if (!req) {
          rp.deliver(req.error());
          return;
        }
        hash_to_hex(rp, caf::infinite, atom, *req);
      });
    },
    [=](submit_atom atom, const std::string& tok, const bytes& raw, const std::string& creator) {
      authorized(tok, [=](caf::response_promise& rp) {
        auto req = decode<sign_request>(raw);
        if (!req) {
          rp.deliver(req.error());
          return;
        }
        if (auto where = parse_endpoint(creator); !creator.empty() && !where) {
          rp.deliver(where.error());
          return;
        }
        hash_to_hex(rp, caf::infinite, atom, *req, creator);
      });
    },
    [=](export_atom atom, const std::string& tok, const std::string& tx_hex) {
      authorized(tok, [=](caf::response_promise& rp) {
        hash32 tx;
        if (parse(rp, tx_hex, &tx))
          relay<bytes>(self, rp, wallet, local_timeout, atom, tx);
      });
    },
    [=](export_atom atom, const std::string& tok) {
      authorized(tok, [=](caf::response_promise& rp) {
        relay<std::vector<std::string>>(self, rp, wallet, local_timeout, atom);
      });
    },
    [=](proofs_atom atom, const std::string& tok) {
      authorized(tok, [=](caf::response_promise& rp) {
        relay<std::vector<std::string>>(self, rp, wallet, local_timeout, atom);
      });
    },
    [=](import_atom, const std::string& tok, const bytes& raw) {
      authorized(tok, [=](caf::response_promise& rp) {
        auto ct = decode<certified_transaction>(raw);
        if (!ct) {
          rp.deliver(ct.error());
          return;
        }
        auto tx = ct->cert.tx_hash.hex();
        // Verified, stored and acknowledged as a delivery from the payer's wallet would be.
        self->request(wallet, local_timeout, deliver_atom::value, raw)
          .then([=](ack_atom) mutable { rp.deliver(tx); },
                [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      });
    },
    [=](abandon_atom atom, const std::string& tok, const std::string& tx_hex) {
      authorized(tok, [=](caf::response_promise& rp) {
        hash32 tx;
        if (parse(rp, tx_hex, &tx))
          hash_to_hex(rp, local_timeout, atom, tx);
      });
    },
    [=](split_atom atom, const std::string& tok, const std::string& owner_hex, uint64_t parts) {
      authorized(tok, [=](caf::response_promise& rp) {
        address owner;
        if (parse(rp, owner_hex, &owner))
          hash_to_hex(rp, caf::infinite, atom, owner, parts);
      });
    },
    [=](await_atom atom, const std::string& tok, const std::string& tx_hex) {
      authorized(tok, [=](caf::response_promise& rp) {
        hash32 tx;
        if (parse(rp, tx_hex, &tx))
          hash_to_hex(rp, caf::infinite, atom, tx);
      });
    },
    [=](status_atom, const std::string& tok, const std::string& tx_hex) {
      authorized(tok, [=](caf::response_promise& rp) {
        hash32 tx;
        if (!parse(rp, tx_hex, &tx))
          return;
        self->request(wallet, local_timeout, status_atom::value, tx)
          .then(
            [=](std::string& state, std::vector<std::string>& who, std::string& detail,
                const std::vector<delivery>& undelivered) mutable {
              auto list = nlohmann::ordered_json::array();
              for (const auto& d : undelivered)
                list.push_back(delivery_json(d));
              rp.deliver(state, who, detail, list.dump());
            },
            [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      });
    },
    [=](backup_atom atom, const std::string& tok) {
      authorized(tok, [=](caf::response_promise& rp) {
        self->request(wallet, local_timeout, atom)
          .then(
            [=](const record_list& records) mutable { rp.deliver(encode_store_records(records)); },
            [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      });
    },
    [=](handoffs_atom atom, const std::string& tok) {
      authorized(tok, [=](caf::response_promise& rp) {
        self->request(wallet, local_timeout, atom)
          .then(
            [=](const undelivered_list& rows) mutable {
              auto out = nlohmann::ordered_json::array();
              for (const auto& [tx, d] : rows) {
                nlohmann::ordered_json line{{"tx", tx.hex()}};
                line.update(delivery_json(d));
                out.push_back(std::move(line));
              }
              rp.deliver(out.dump());
            },
            [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      });
    },
    [=](resend_atom atom, const std::string& tok, const std::string& tx_hex,
        const std::string& payee_hex, const std::string& route) {
      authorized(tok, [=](caf::response_promise& rp) {
        hash32 tx;
        address payee;
        if (!parse(rp, tx_hex, &tx))
          return;
        if (!route.empty()) {
          if (!parse(rp, payee_hex, &payee))
            return;
          if (auto where = parse_endpoint(route); !where) {
            rp.deliver(where.error());
            return;
          }
        }
        hash_to_hex(rp, local_timeout, atom, tx, payee, route);
      });
    },
    [=](history_atom atom, const std::string& tok, uint64_t limit) {
      authorized(tok, [=](caf::response_promise& rp) {
        self->request(wallet, local_timeout, atom, limit)
          .then(
            [=](const std::vector<history_row>& rows) mutable {
              auto out = nlohmann::ordered_json::array();
              for (const auto& r : rows) {
                nlohmann::ordered_json line;
                line["tx"] = r.entry.tx.hex();
                line["direction"] = r.entry.internal ? "moved" : r.entry.sent ? "sent" : "received";
                line["counterparty"] =
                  r.entry.counterparty.is_zero() ? std::string{} : r.entry.counterparty.hex();
                line["amount"] = r.entry.value.units();
                line["state"] = r.state;
                line["delivery"] = r.delivery;
                line["seen"] = r.entry.seen_ms / 1000; // Unix seconds
                out.push_back(std::move(line));
              }
              rp.deliver(out.dump());
            },
            [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      });
    },
    [=](addresses_atom atom, const std::string& tok) {
      authorized(tok, [=](caf::response_promise& rp) {
        auto xs = reload();
        if (!xs) {
          rp.deliver(xs.error());
          return;
        }
        relay<uint64_t>(self, rp, wallet, local_timeout, atom, std::move(*xs));
      });
    },
    [=](unsettled_atom, const std::string& tok) {
      authorized(tok, [=](caf::response_promise& rp) {
        relay<uint64_t>(self, rp, wallet, local_timeout, unsettled_atom::value);
      });
    },
    [=](balance_atom atom, const std::string& tok, const std::string& addr_hex) {
      units_of(atom, tok, addr_hex);
    },
    [=](spendable_atom atom, const std::string& tok, const std::string& addr_hex) {
      units_of(atom, tok, addr_hex);
    },
  };
}

} // namespace

int run_wallet_node(const std::string& config, const std::string& wallet_name, bool verbose) {
  block_stop_signals(); // before any thread starts, so that only sigwait sees them
  auto found = find_wallet(config, wallet_name);
  if (!found)
    return fail(found.error());
  auto cluster = &found->cluster;
  auto entry = &found->entry();
  auto name = entry->name;
  init_logging(name, verbose);
  wallet_options opts;
  opts.net = cluster->net;
  opts.name = name;
  opts.data_dir = entry->data_dir;
  auto addresses = load_addresses(*entry);
  if (!addresses)
    return fail(addresses.error());
  opts.keys = std::move(addresses->keys);
  opts.key_refs = std::move(addresses->key_refs);
  opts.policies = std::move(addresses->policies);
  opts.retry_interval = std::chrono::milliseconds(500);
  opts.on_fault = [](const caf::error& cause) {
    spdlog::error("storage fault: {}; payments and receipts that needed the write are not done: "
                  "restart required (a restart resumes what reached the disk)",
                  describe(cause));
  };
  opts.on_equivocation = [net = cluster->net](const equivocation_proof& p) {
    auto e = verify_equivocation(net, p);
    spdlog::error("equivocation: {}; the proof is kept (acfts proof list --out DIR writes it)",
                  e ? describe(net, *e) : describe(e.error()));
  };
  auto tls = cluster->tls_of(name);
  if (!tls)
    return fail(tls.error());
  auto cfg = node_config(*tls);
  caf::actor_system sys{*cfg};
  auto wallet = spawn_wallet(sys, std::move(opts));
  if (!wallet)
    return fail(wallet.error());
  auto token = load_or_create_token(entry->data_dir + "/control.token");
  if (!token) {
    caf::anon_send_exit(*wallet, caf::exit_reason::user_shutdown);
    return fail(token.error());
  }
  // Peers reach only gates: the public port passes on certified payments, the control port
  // the token-carrying commands; neither the wallet nor the control actor is ever addressable.
  auto links = std::make_shared<connector>(sys, *cluster, *entry, *wallet);
  auto ctl = sys.spawn(control, *wallet, *token,
                       reload_fn{[config, wallet_name = name]() -> caf::expected<wallet_addresses> {
                         auto again = find_wallet(config, wallet_name);
                         if (!again)
                           return again.error();
                         return load_addresses(again->entry());
                       }});
  auto front = make_gate(sys, *wallet, wallet_port_rules());
  auto ctl_gate = make_gate(sys, ctl, control_port_rules());
  auto watch = std::make_shared<node_watch>();
  watch_actor(*wallet, watch, "wallet " + name);
  watch_actor(ctl, watch, "control interface of " + name);
  auto stop_actors = [&] {
    watch->stopping = true;
    close_gate(front);
    close_gate(ctl_gate);
    caf::anon_send_exit(ctl, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(*wallet, caf::exit_reason::user_shutdown);
  };
  auto port = publish_to_peers(sys, front, entry->port, entry->host, tls->has_value());
  if (!port) {
    stop_actors();
    return fail(name + ": cannot listen on " + entry->host + ":" + std::to_string(entry->port)
                + " (" + sys.render(port.error()) + ")");
  }
  auto control_port = sys.middleman().publish(ctl_gate, entry->control_port, "127.0.0.1", true);
  if (!control_port) {
    stop_actors();
    return fail(name + ": cannot listen on 127.0.0.1:" + std::to_string(entry->control_port) + " ("
                + sys.render(control_port.error()) + ")");
  }
  std::unique_ptr<metrics_server> metrics;
  if (entry->metrics_port != 0) {
    auto started = metrics_server::start(entry->metrics_port, [&sys, w = *wallet, entry, name] {
      return node_metrics(sys, w, entry->data_dir, name);
    });
    if (!started) {
      stop_actors();
      return fail(name + ": " + describe(started.error()));
    }
    metrics = std::move(*started);
  }
  links->start();
  std::cout << "acfts wallet " << name << " serving on " << entry->host << ":" << *port
            << (tls->has_value() ? " (TLS)" : "") << ", control on 127.0.0.1:" << *control_port
            << " (store " << entry->data_dir << ")" << std::endl;
  gate_report gates;
  gates.add("public port", front);
  gates.add("control port", ctl_gate);
  auto sig = wait_for_stop_signal([&] { gates.log_new_drops(); });
  spdlog::info("{}: shutting down", sig);
  metrics.reset();
  links->stop();
  gates.log_totals();
  stop_actors();
  return watch->died ? 1 : 0;
}

} // namespace acfts
