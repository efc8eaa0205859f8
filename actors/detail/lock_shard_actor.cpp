#include "actors/detail/lock_shard_actor.hpp"

#include <unordered_map>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/gate.hpp"
#include "actors/detail/part_connection.hpp"
#include "actors/lock_shard_parts.hpp"
#include "messages/error.hpp"
#include "persistence/group_committer.hpp"

namespace acfts {

namespace {

/// The committer thread's report of one reservation's write (never on the wire, like the
/// validator's commit_report: a forged "durable" would release a signature before its lock).
struct reservation_written {
  hash32 tx;
  caf::error err;
};

} // namespace
} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::reservation_written)

namespace acfts {

namespace {

struct lock_shard_state {
  std::shared_ptr<validator_store> store;
  std::unique_ptr<lock_shard_core> core;
  std::shared_ptr<group_committer> committer;
  /// Reservations waiting for their write.
  std::unordered_map<hash32, std::vector<caf::response_promise>> waiters;
  static inline const char* name = "acfts.lock_shard";
};

using lock_shard_self = caf::stateful_actor<lock_shard_state>;

caf::behavior lock_shard_behavior(lock_shard_self* self, std::shared_ptr<validator_store> store,
                                  bool background_commit) {
  auto& st = self->state;
  st.store = store;
  st.core = std::make_unique<lock_shard_core>(store);
  st.committer = std::make_shared<group_committer>(store, background_commit
                                                            ? group_committer::mode::background
                                                            : group_committer::mode::inline_sync);
  return {
    [=](const shard_reserve& r) -> caf::result<reservation_answer> {
      auto& st = self->state;
      auto out = st.core->reserve(r.tx, r.inputs);
      if (out.kind == lock_shard_core::outcome::reply)
        return out.answer;
      auto rp = self->make_response_promise<reservation_answer>();
      st.waiters[r.tx].push_back(rp);
      if (out.kind == lock_shard_core::outcome::commit) {
        caf::actor me = caf::actor_cast<caf::actor>(self);
        auto tx = r.tx;
        st.committer->submit(std::move(out.record), [me, tx](const caf::error& err, const share&) {
          caf::anon_send(me, reservation_written{tx, err});
        });
      }
      return rp;
    },
    [=](const reservation_written& w) {
      auto& st = self->state;
      auto answer = st.core->committed(w.tx, w.err);
      auto i = st.waiters.find(w.tx);
      if (i == st.waiters.end())
        return;
      for (auto& rp : i->second)
        rp.deliver(answer);
      st.waiters.erase(i);
    },
    [=](const shard_release& r) -> caf::result<bool> {
      auto& st = self->state;
      if (auto err = st.core->may_release(r.tx))
        return err;
      // Releases follow conflicts only (rare): written here, synced, before the answer; the
      // store deletes only the locks held for the transaction.
      if (auto err = st.store->release(r.tx, r.inputs, r.counter))
        return err;
      return true;
    },
  };
}

struct shard_port_state {
  std::unique_ptr<call_guard> guard;
  static inline const char* name = "acfts.shard_port";
};

caf::behavior shard_port_behavior(caf::stateful_actor<shard_port_state>* self, caf::actor shard,
                                  part_key key, part_link_id link, uint64_t last_counter) {
  self->state.guard = std::make_unique<call_guard>(last_counter);
  self->link_to(shard); // the port lives and dies with its shard
  return {
    [=](shard_atom, const bytes& wire) -> caf::result<reply_atom, bytes> {
      auto call = open_call(key, link, wire);
      if (!call)
        return std::move(call.error());
      if (auto err = self->state.guard->accept(call->counter))
        return err;
      auto rp = self->make_response_promise<reply_atom, bytes>();
      auto counter = call->counter;
      auto answer = [=](const reservation_answer& a) mutable {
        rp.deliver(reply_atom::value, seal_result(key, link, result_of(a, counter)));
      };
      if (call->op == shard_call::reserve) {
        self->request(shard, caf::infinite, shard_reserve{call->tx, std::move(call->inputs)})
          .then(answer, [=](caf::error& err) mutable {
            answer(reservation_answer::failed(std::move(err)));
          });
      } else {
        self
          ->request(shard, caf::infinite, shard_release{call->tx, std::move(call->inputs), counter})
          .then(
            [=](bool) mutable { answer(reservation_answer{}); },
            [=](caf::error& err) mutable { answer(reservation_answer::failed(std::move(err))); });
      }
      return rp;
    },
  };
}

struct shard_link_state {
  part_connection conn{nullptr, gate_rules{}, nullptr};
  call_counter counter;
  static inline const char* name = "acfts.shard_link";
};

caf::behavior shard_link_behavior(caf::stateful_actor<shard_link_state>* self,
                                  part_connection::connect_fn connect, part_key key,
                                  part_link_id link, part_status_ptr status) {
  auto link_name = std::to_string(link.validator) + "/shard-" + std::to_string(link.part);
  // The shard's port is reached through a gate: it can answer, and nothing else.
  self->state.conn =
    part_connection{std::move(connect), courier_to_shard_rules(link_name), std::move(status)};
  watch_part(self);
  // Sends `call` and hands `done` its result, or an error.
  auto send = [=](shard_call call, auto done) {
    call.counter = self->state.counter.next();
    auto counter = call.counter;
    call_part(self, shard_atom::value, seal_call(key, link, call),
              [=](caf::expected<bytes> wire) mutable {
                if (!wire)
                  done(caf::expected<shard_result>{std::move(wire.error())});
                else
                  done(open_result(key, link, *wire, counter));
              });
  };
  return {
    [=](retry_atom) { retry_part(self); },
    [=](const shard_reserve& r) -> caf::result<reservation_answer> {
      auto rp = self->make_response_promise<reservation_answer>();
      send(shard_call{shard_call::reserve, 0, r.tx, r.inputs},
           [=](caf::expected<shard_result> res) mutable {
             if (!res)
               rp.deliver(reservation_answer::failed(std::move(res.error())));
             else
               rp.deliver(answer_of(*res));
           });
      return rp;
    },
    [=](const shard_release& r) -> caf::result<bool> {
      auto rp = self->make_response_promise<bool>();
      send(shard_call{shard_call::release, 0, r.tx, r.inputs},
           [=](caf::expected<shard_result> res) mutable {
             if (!res)
               rp.deliver(std::move(res.error()));
             else if (res->kind != 0)
               rp.deliver(answer_of(*res).err);
             else
               rp.deliver(true);
           });
      return rp;
    },
  };
}

} // namespace

caf::actor spawn_shard_port(caf::actor_system& sys, std::shared_ptr<validator_store> store,
                            part_key key, part_link_id link, uint64_t last_counter) {
  auto shard = spawn_lock_shard(sys, std::move(store), true);
  return sys.spawn(shard_port_behavior, std::move(shard), key, link, last_counter);
}

caf::actor spawn_shard_link(caf::actor_system& sys,
                            std::function<caf::expected<caf::actor>()> connect, part_key key,
                            part_link_id link, part_status_ptr status) {
  // Detached: connecting blocks (CAF 0.17's remote_actor), and must not hold a scheduler thread.
  return sys.spawn<caf::detached>(shard_link_behavior, std::move(connect), key, link,
                                  std::move(status));
}

caf::actor spawn_lock_shard(caf::actor_system& sys, std::shared_ptr<validator_store> store,
                            bool background_commit) {
  return sys.spawn(lock_shard_behavior, std::move(store), background_commit);
}

} // namespace acfts
