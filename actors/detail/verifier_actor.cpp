#include "actors/detail/verifiers.hpp"

#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/detail/part_connection.hpp"
#include "actors/verifier_parts.hpp"
#include "crypto/hashing.hpp"
#include "messages/limits.hpp"

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

/// One core's worth of a verifier process: opens a call, checks its request without store or
/// key (request_checker::check_detached) and seals the verdict.
caf::behavior verifier_worker(caf::event_based_actor*, std::shared_ptr<request_checker> checker,
                              part_key key, part_link_id link) {
  return {
    [=](verify_atom, const bytes& wire) -> caf::result<reply_atom, bytes> {
      auto call = open_verify_call(key, link, wire);
      if (!call)
        return std::move(call.error());
      verify_result verdict;
      verdict.counter = call->counter;
      caf::error err;
      auto req = decode<sign_request>(call->request);
      if (!req) {
        err = std::move(req.error());
      } else if (auto past = checker->check_detached(*req, tx_hash(req->tx)); !past) {
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
      return {reply_atom::value, seal_verify_result(key, link, verdict)};
    },
  };
}

struct verifier_port_state {
  std::vector<caf::actor> workers;
  size_t next = 0;
  static inline const char* name = "acfts.verifier_port";
};

caf::behavior verifier_port_behavior(caf::stateful_actor<verifier_port_state>* self, network net,
                                     part_key key, part_link_id link, size_t workers) {
  for (size_t i = 0; i < std::max<size_t>(workers, 1); ++i) {
    // Neither store nor the validator's key: of its secrets a verifier holds only the part key
    // (which its machine must guard like a shard's: with it, one could call the shards).
    auto checker =
      std::make_shared<request_checker>(net, link.validator, nullptr, nullptr, share_mode::pooled);
    self->state.workers.push_back(
      self->spawn<caf::linked>(verifier_worker, std::move(checker), key, link));
  }
  return {
    [=](verify_atom atom, bytes& wire) {
      auto& st = self->state;
      return self->delegate(st.workers[st.next++ % st.workers.size()], atom, std::move(wire));
    },
  };
}

struct verifier_link_state {
  part_connection conn{nullptr, gate_rules{}, nullptr};
  call_counter counter;
  static inline const char* name = "acfts.verifier_link";
};

caf::behavior verifier_link_behavior(caf::stateful_actor<verifier_link_state>* self,
                                     part_connection::connect_fn connect, part_key key,
                                     part_link_id link, std::shared_ptr<request_checker> finisher,
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
      auto counter = self->state.counter.next();
      auto rp = self->make_response_promise<checked_request>();
      call_part(self, verify_atom::value,
                seal_verify_call(key, link, verify_call{counter, request}),
                [=](caf::expected<bytes> wire) mutable {
                  auto verdict = wire ? open_verify_result(key, link, *wire, counter)
                                      : caf::expected<verify_result>{std::move(wire.error())};
                  caf::error err;
                  if (!verdict && code_of(verdict.error()) == ec::storage_fault) {
                    err = std::move(verdict.error()); // not reachable: it says which verifier
                  } else if (!verdict) {
                    // The validator's own trouble, like a store's: the wallet asks again.
                    err = make_error(ec::storage_fault,
                                     "verifier " + link_name + ": " + describe(verdict.error()));
                  } else if (verdict->code != 0) {
                    err = make_error(static_cast<ec>(verdict->code), verdict->detail);
                  } else if (auto single =
                               finisher->finish_detached(*out.req, out.tx, verdict->past_parents);
                             !single) {
                    err = std::move(single.error());
                  } else {
                    out.single = *single;
                  }
                  if (err)
                    refuse(*finisher, out, err);
                  rp.deliver(std::move(out));
                });
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
