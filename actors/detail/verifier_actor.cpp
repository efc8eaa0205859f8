#include "actors/detail/verifiers.hpp"

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/detail/part_connection.hpp"
#include "actors/verifier_parts.hpp"
#include "crypto/hashing.hpp"
#include "messages/limits.hpp"

namespace acfts {

/// A verifier process's worker's share of one call: requests [begin, end). Like the validator's
/// checked_request, never on the wire.
struct verify_chunk {
  std::shared_ptr<const verify_call> call;
  size_t begin = 0;
  size_t end = 0;
};

/// A worker's verdicts on its chunk, in order.
struct chunk_verdicts {
  std::vector<verify_verdict> verdicts;
};

} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::verify_chunk)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::chunk_verdicts)

namespace acfts {

namespace {

/// The request decoded and hashed, or the rejection of one that does not decode.
checked_request decoded(const request_checker& checker, const bytes& request) {
  checked_request out;
  auto req = decode<sign_request>(request);
  if (!req) {
    out.rejection = encode(checker.reject(hash32{}, req.error()));
    out.code = code_of(req.error());
    return out;
  }
  out.tx = tx_hash(req->tx);
  out.req = std::make_shared<const sign_request>(std::move(*req));
  out.raw = std::make_shared<const bytes>(request);
  return out;
}

/// Refuses `out` with `err`, in the validator's name.
void refuse(const request_checker& checker, checked_request& out, const caf::error& err) {
  out.rejection = encode(checker.reject(out.tx, err));
  out.code = code_of(err);
}

} // namespace

caf::behavior verifier_behavior(caf::event_based_actor*, std::shared_ptr<request_checker> checker) {
  return {
    [=](check_atom, const bytes& request) -> checked_request {
      auto out = decoded(*checker, request);
      if (!out.req)
        return out;
      if (auto checked = checker->check(*out.req, out.tx))
        out.single = *checked;
      else
        refuse(*checker, out, checked.error());
      return out;
    },
  };
}

namespace {

/// A verifier process's verdict on one request of a call, without store or key
/// (request_checker::check_detached).
verify_verdict check_detached(request_checker& checker, const bytes& request) {
  verify_verdict verdict;
  caf::error err;
  auto req = decode<sign_request>(request);
  if (!req) {
    err = std::move(req.error());
  } else if (auto past = checker.check_detached(*req, tx_hash(req->tx)); !past) {
    err = std::move(past.error());
  } else {
    verdict.past_parents = std::move(*past);
  }
  if (err) {
    verdict.code = static_cast<uint16_t>(code_of(err));
    verdict.detail = describe(err);
    if (verdict.detail.size() > limits::max_detail_chars)
      verdict.detail.resize(limits::max_detail_chars);
  }
  return verdict;
}

/// One core's worth of a verifier process: checks its share of a call's requests.
caf::behavior verifier_worker(caf::event_based_actor*, std::shared_ptr<request_checker> checker) {
  return {
    [=](const verify_chunk& chunk) {
      chunk_verdicts out;
      for (size_t i = chunk.begin; i < chunk.end; ++i)
        out.verdicts.push_back(check_detached(*checker, chunk.call->requests[i]));
      return out;
    },
  };
}

struct verifier_port_state {
  std::vector<caf::actor> workers;
  size_t next = 0;
  static inline const char* name = "acfts.verifier_port";
};

/// A call's verdicts as its workers hand them back.
struct gathered_verdicts {
  verify_result result;
  size_t left = 0;
  bool failed = false;
};

caf::behavior verifier_port_behavior(caf::stateful_actor<verifier_port_state>* self, network net,
                                     part_key key, part_link_id link, size_t workers) {
  for (size_t i = 0; i < std::max<size_t>(workers, 1); ++i) {
    // Neither store nor the validator's key: of its secrets a verifier holds only its link's
    // key (with which no shard and no other verifier can be called).
    auto checker =
      std::make_shared<request_checker>(net, link.validator, nullptr, nullptr, share_mode::pooled);
    self->state.workers.push_back(self->spawn<caf::linked>(verifier_worker, std::move(checker)));
  }
  return {
    // Opens a call, spreads its requests over the workers (a batch uses every core) and seals
    // their verdicts in the call's order.
    [=](verify_atom, const bytes& wire) -> caf::result<reply_atom, bytes> {
      auto opened = open_verify_call(key, link, wire);
      if (!opened)
        return std::move(opened.error());
      auto& st = self->state;
      auto call = std::make_shared<const verify_call>(std::move(*opened));
      auto n = call->requests.size();
      auto parts = std::min(st.workers.size(), n);
      auto gathered = std::make_shared<gathered_verdicts>();
      gathered->result.counter = call->counter;
      gathered->result.verdicts.resize(n);
      gathered->left = parts;
      auto rp = self->make_response_promise<reply_atom, bytes>();
      for (size_t j = 0; j < parts; ++j) {
        auto begin = n * j / parts;
        auto end = n * (j + 1) / parts;
        self
          ->request(st.workers[st.next++ % st.workers.size()], caf::infinite,
                    verify_chunk{call, begin, end})
          .then(
            [=](chunk_verdicts& v) mutable {
              std::move(v.verdicts.begin(), v.verdicts.end(),
                        gathered->result.verdicts.begin() + static_cast<ptrdiff_t>(begin));
              if (--gathered->left == 0 && !gathered->failed)
                rp.deliver(reply_atom::value, seal_verify_result(key, link, gathered->result));
            },
            [=](caf::error& err) mutable {
              if (!std::exchange(gathered->failed, true))
                rp.deliver(std::move(err));
            });
      }
      return rp;
    },
  };
}

/// A request waiting for its verifier's verdict.
struct queued_check {
  checked_request out;
  caf::typed_response_promise<checked_request> rp;
};

/// Calls a link keeps under way at once. Requests that arrive meanwhile wait and go together in
/// the next call: batches grow with the load, and a lone request is sent at once.
constexpr size_t max_calls_in_flight = 4;

struct verifier_link_state {
  part_connection conn{nullptr, gate_rules{}, nullptr};
  call_counter counter;
  std::deque<queued_check> queue;
  size_t in_flight = 0;
  static inline const char* name = "acfts.verifier_link";
};

using verifier_link = caf::stateful_actor<verifier_link_state>;

/// Finishes `q` with verdict `i` of `result` (or the call's error) and answers it.
void finish(request_checker& finisher, const std::string& link_name, queued_check& q,
            const caf::expected<verify_result>& result, size_t i) {
  auto& out = q.out;
  caf::error err;
  if (!result && code_of(result.error()) == ec::storage_fault) {
    err = result.error(); // not reachable: it says which verifier
  } else if (!result) {
    // The validator's own trouble, like a store's: the wallet asks again.
    err = make_error(ec::storage_fault, "verifier " + link_name + ": " + describe(result.error()));
  } else if (const auto& verdict = result->verdicts[i]; verdict.code != 0) {
    err = make_error(static_cast<ec>(verdict.code), verdict.detail);
  } else if (auto single = finisher.finish_detached(*out.req, out.tx, verdict.past_parents);
             !single) {
    err = std::move(single.error());
  } else {
    out.single = *single;
  }
  if (err)
    refuse(finisher, out, err);
  q.rp.deliver(std::move(out));
}

/// Sends the queued requests in calls of up to limits::max_verify_batch, while fewer than
/// max_calls_in_flight are under way.
void send_queued(verifier_link* self, const part_key& key, const part_link_id& link,
                 const std::shared_ptr<request_checker>& finisher, const std::string& link_name) {
  auto& st = self->state;
  while (st.in_flight < max_calls_in_flight && !st.queue.empty()) {
    auto batch = std::make_shared<std::vector<queued_check>>();
    verify_call call{st.counter.next(), {}};
    size_t size = 0;
    while (!st.queue.empty() && batch->size() < limits::max_verify_batch) {
      auto n = st.queue.front().out.raw->size();
      if (!batch->empty() && size + n > limits::max_message_bytes / 2)
        break; // the call and its tag stay well within a message
      size += n;
      call.requests.push_back(*st.queue.front().out.raw);
      batch->push_back(std::move(st.queue.front()));
      st.queue.pop_front();
    }
    ++st.in_flight;
    auto counter = call.counter;
    call_part(self, verify_atom::value, seal_verify_call(key, link, call),
              [=](caf::expected<bytes> wire) {
                auto result = wire ? open_verify_result(key, link, *wire, counter, batch->size())
                                   : caf::expected<verify_result>{std::move(wire.error())};
                for (size_t i = 0; i < batch->size(); ++i)
                  finish(*finisher, link_name, (*batch)[i], result, i);
                --self->state.in_flight;
                send_queued(self, key, link, finisher, link_name);
              });
  }
}

caf::behavior verifier_link_behavior(verifier_link* self, part_connection::connect_fn connect,
                                     part_key key, part_link_id link,
                                     std::shared_ptr<request_checker> finisher,
                                     part_status_ptr status) {
  auto link_name = std::to_string(link.validator) + "/verifier-" + std::to_string(link.part);
  // The verifier's port is reached through a gate: it can answer, and nothing else.
  self->state.conn =
    part_connection{std::move(connect), courier_to_verifier_rules(link_name), std::move(status)};
  watch_part(self);
  return {
    [=](retry_atom) { retry_part(self); },
    [=](check_atom, const bytes& request) -> caf::result<checked_request> {
      // Decoded here too: the validator needs the request and its hash, whatever the verdict.
      auto out = decoded(*finisher, request);
      if (!out.req)
        return out;
      auto rp = self->make_response_promise<checked_request>();
      self->state.queue.push_back(queued_check{std::move(out), rp});
      send_queued(self, key, link, finisher, link_name);
      return rp;
    },
  };
}

} // namespace

caf::actor spawn_verifier_port(caf::actor_system& sys, network net, part_key key, part_link_id link,
                               size_t workers) {
  return sys.spawn(verifier_port_behavior, std::move(net), key, link, workers);
}

caf::actor spawn_verifier_link(caf::actor_system& sys,
                               std::function<caf::expected<caf::actor>()> connect, part_key key,
                               part_link_id link, std::shared_ptr<request_checker> finisher,
                               part_status_ptr status) {
  // Detached: connecting blocks (CAF 0.17's remote_actor), and must not hold a scheduler thread.
  return sys.spawn<caf::detached>(verifier_link_behavior, std::move(connect), key, link,
                                  std::move(finisher), std::move(status));
}

} // namespace acfts
