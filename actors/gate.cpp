#include "actors/gate.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/make_actor.hpp>
#include <caf/monitorable_actor.hpp>
#include <caf/system_messages.hpp>

#include "actors/atoms.hpp"
#include "crypto/keys.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

bool is_system_message(const caf::type_erased_tuple& x) {
  if (x.match_elements<caf::exit_msg>() || x.match_elements<caf::down_msg>()
      || x.match_elements<caf::error>() || x.match_elements<caf::group_down_msg>()
      || x.match_elements<caf::timeout_msg>())
    return true;
  // Links, monitors and other runtime requests start with one of CAF's own atoms.
  return !x.empty()
         && (x.match_element<caf::sys_atom>(0) || x.match_element<caf::link_atom>(0)
             || x.match_element<caf::unlink_atom>(0));
}

class gate final : public caf::monitorable_actor {
public:
  gate(caf::actor_config& cfg, caf::strong_actor_ptr inner, gate_rules rules, size_t max_open)
    : caf::monitorable_actor(cfg), inner_(std::move(inner)), rules_(std::move(rules)),
      max_open_(max_open) {}

  const char* name() const override { return "acfts.gate"; }

  void enqueue(caf::mailbox_element_ptr what, caf::execution_unit* host) override {
    if (what->mid.is_response())
      relay_answer(std::move(what), host);
    else
      pass_on(std::move(what), host);
  }

  gate_counters stats() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return counters_;
  }

  void close() { cleanup(caf::exit_reason::user_shutdown, nullptr); }

protected:
  void on_cleanup(const caf::error&) override {
    std::vector<open_request> left;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      inner_.reset();
      left.reserve(open_.size());
      for (auto& [raw, req] : open_)
        left.push_back(std::move(req));
      open_.clear();
      order_.clear();
    }
    for (const auto& req : left)
      give_up(req, rules_.name + ": closed before the answer came", nullptr);
  }

private:
  /// A request passed on whose answer goes back to `asker`.
  struct open_request {
    caf::actor_addr asker;
    caf::message_id mid;
    uint64_t seq;
  };

  /// Answers `req` with a timeout error, so that an asker that waits without a timeout of its
  /// own (a wallet's requests) lets go of its handler: every open request gets one answer.
  void give_up(const open_request& req, const std::string& why, caf::execution_unit* host) {
    if (!req.mid.is_request()) // a one-way message: an error would reach its sender's handler
      return;
    if (auto asker = caf::actor_cast<caf::strong_actor_ptr>(req.asker))
      asker->enqueue(caf::make_mailbox_element(caf::strong_actor_ptr{ctrl()}, req.mid.response_id(),
                                               {}, caf::make_message(make_error(ec::timeout, why))),
                     host);
  }

  void pass_on(caf::mailbox_element_ptr what, caf::execution_unit* host) {
    const auto& content = what->content();
    bool allowed = what->mid.category() == caf::message_id::normal_message_category
                   && rules_.request && rules_.request(content);
    caf::strong_actor_ptr inner;
    std::optional<open_request> evicted;
    auto id = caf::make_message_id(); // one-way: nobody to answer
    // Drawn before the lock: libsodium's generator may make a system call.
    uint64_t raw = allowed && what->sender ? random_u64() & caf::message_id::request_id_mask : 0;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (!inner_) {
        ++counters_.after_close;
        return;
      }
      if (!allowed) {
        ++(is_system_message(content) ? counters_.dropped_system : counters_.dropped_other);
        return;
      }
      inner = inner_;
      ++counters_.passed;
      if (what->sender) {
        // A random id: answers with any other id are dropped, and no peer learns the ids.
        while (raw == 0 || open_.count(raw) != 0) // a repeat: practically never
          raw = random_u64() & caf::message_id::request_id_mask;
        id = caf::make_message_id(raw);
        open_.emplace(
          raw, open_request{caf::actor_cast<caf::actor_addr>(what->sender), what->mid, next_seq_});
        order_.emplace(next_seq_++, raw);
        if (open_.size() > max_open_) {
          auto oldest = open_.find(order_.begin()->second);
          evicted = std::move(oldest->second);
          open_.erase(oldest);
          order_.erase(order_.begin());
          ++counters_.evicted;
        }
      }
    }
    if (evicted)
      give_up(*evicted, rules_.name + ": too many requests wait for an answer", host);
    auto me = id.is_async() ? caf::strong_actor_ptr{} : caf::strong_actor_ptr{ctrl()};
    inner->enqueue(
      caf::make_mailbox_element(std::move(me), id, {}, what->move_content_to_message()), host);
  }

  void relay_answer(caf::mailbox_element_ptr what, caf::execution_unit* host) {
    open_request req;
    bool expected_shape = !rules_.answer || rules_.answer(what->content());
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (!inner_) {
        ++counters_.after_close;
        return;
      }
      auto i = open_.find(what->mid.request_id().integer_value());
      if (i == open_.end()) {
        ++counters_.dropped_answers;
        return;
      }
      req = i->second;
      order_.erase(req.seq);
      open_.erase(i);
      ++(expected_shape ? counters_.answered : counters_.bad_answers);
    }
    auto asker = caf::actor_cast<caf::strong_actor_ptr>(req.asker);
    if (!asker)
      return;
    caf::message answer;
    if (!expected_shape)
      answer = caf::make_message(
        make_error(ec::malformed_message, rules_.name + ": answer of an unexpected shape"));
    else
      answer = what->move_content_to_message();
    asker->enqueue(caf::make_mailbox_element(caf::strong_actor_ptr{ctrl()}, req.mid.response_id(),
                                             {}, std::move(answer)),
                   host);
  }

  mutable std::mutex mtx_;
  caf::strong_actor_ptr inner_;
  const gate_rules rules_;
  const size_t max_open_;
  std::unordered_map<uint64_t, open_request> open_;
  /// Open requests by age, for eviction.
  std::map<uint64_t, uint64_t> order_;
  uint64_t next_seq_ = 0;
  gate_counters counters_;
};

gate* as_gate(const caf::actor& x) {
  if (!x)
    return nullptr;
  return dynamic_cast<gate*>(caf::actor_cast<caf::abstract_actor*>(x));
}

template <class... Ts>
gate_rules::rule shape() {
  return [](const caf::type_erased_tuple& x) { return x.match_elements<Ts...>(); };
}

bool is_error(const caf::type_erased_tuple& x) {
  return x.match_elements<caf::error>();
}

/// A reply of a validator or of one of its parts: (reply, bytes), or an error.
bool is_bytes_reply(const caf::type_erased_tuple& x) {
  return x.match_elements<reply_atom, bytes>() || x.match_elements<replies_atom, bytes>()
         || is_error(x);
}

/// A sign request, alone or in a batch (messages/sign_batch.hpp).
bool is_sign(const caf::type_erased_tuple& x) {
  return x.match_elements<sign_atom, bytes>() || x.match_elements<signs_atom, bytes>();
}

} // namespace

caf::actor make_gate(caf::actor_system& sys, caf::actor inner, gate_rules rules, size_t max_open) {
  caf::actor_config cfg;
  return caf::make_actor<gate, caf::actor>(sys.next_actor_id(), sys.node(), &sys, cfg,
                                           caf::actor_cast<caf::strong_actor_ptr>(inner),
                                           std::move(rules), max_open);
}

gate_counters gate_stats(const caf::actor& x) {
  auto g = as_gate(x);
  return g ? g->stats() : gate_counters{};
}

void close_gate(const caf::actor& x) {
  if (auto g = as_gate(x))
    g->close();
}

gate_rules validator_port_rules() {
  return {"validator port", is_sign, nullptr};
}

gate_rules shard_port_rules() {
  return {"lock shard port", shape<shard_atom, bytes>(), nullptr};
}

gate_rules courier_to_shard_rules(const std::string& name) {
  return {"courier to lock shard " + name, shape<shard_atom, bytes>(), is_bytes_reply};
}

gate_rules verifier_port_rules() {
  return {"verifier port", shape<verify_atom, bytes>(), nullptr};
}

gate_rules courier_to_verifier_rules(const std::string& name) {
  return {"courier to verifier " + name, shape<verify_atom, bytes>(), is_bytes_reply};
}

/// (deliver, certified transaction) from `tx import` and older payers; (deliver, certified
/// transaction, payee address) from a payer that names whom it means, so that a wallet that is
/// not the payee's refuses it instead of acknowledging it.
bool is_delivery(const caf::type_erased_tuple& x) {
  return x.match_elements<deliver_atom, bytes>() || x.match_elements<deliver_atom, bytes, bytes>();
}

gate_rules wallet_port_rules() {
  return {"wallet port", is_delivery, nullptr};
}

gate_rules control_port_rules() {
  return {"control port", shape<control_atom, std::string, bytes>(),
          [](const caf::type_erased_tuple& x) { return x.match_elements<bytes>() || is_error(x); }};
}

gate_rules courier_to_validator_rules(const std::string& name) {
  return {"courier to validator " + name, is_sign, is_bytes_reply};
}

gate_rules courier_to_wallet_rules(const std::string& name) {
  return {"courier to wallet " + name, is_delivery, [](const caf::type_erased_tuple& x) {
            return x.match_elements<ack_atom>() || is_error(x);
          }};
}

} // namespace acfts
