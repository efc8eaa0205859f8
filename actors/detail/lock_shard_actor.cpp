#include "actors/detail/lock_shard_actor.hpp"

#include <unordered_map>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

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
                                  std::shared_ptr<const lock_table> home, bool background_commit) {
  auto& st = self->state;
  st.store = store;
  st.core = std::make_unique<lock_shard_core>(std::make_shared<shard_lock_view>(store, home));
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
      if (auto err = st.store->release(r.tx, r.inputs))
        return err;
      return true;
    },
  };
}

} // namespace

caf::actor spawn_lock_shard(caf::actor_system& sys, std::shared_ptr<validator_store> store,
                            std::shared_ptr<const lock_table> home, bool background_commit) {
  return sys.spawn(lock_shard_behavior, std::move(store), std::move(home), background_commit);
}

} // namespace acfts
