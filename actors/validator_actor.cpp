#include "actors/validator_actor.hpp"

#include <unordered_map>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/atoms.hpp"
#include "messages/error.hpp"
#include "persistence/group_committer.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

namespace {

struct validator_state {
  std::shared_ptr<validator_core> core;
  std::shared_ptr<group_committer> committer;
  /// Requests waiting for their transaction's lock record to become durable.
  std::unordered_map<hash32, std::vector<caf::response_promise>> waiters;
  static inline const char* name = "acfts.validator";
};

using validator_self = caf::stateful_actor<validator_state>;

caf::behavior validator_behavior(validator_self* self, std::shared_ptr<validator_core> core,
                                 std::shared_ptr<group_committer> committer) {
  self->state.core = std::move(core);
  self->state.committer = std::move(committer);
  self->set_down_handler([](const caf::down_msg&) {});
  return {
    [=](sign_atom, const bytes& request) {
      auto& st = self->state;
      auto out = st.core->handle(request.data(), request.size());
      if (out.kind == validator_core::outcome::reply) {
        auto rp = self->make_response_promise();
        rp.deliver(reply_atom::value, encode(out.answer));
        return;
      }
      st.waiters[out.tx_hash].push_back(self->make_response_promise());
      if (out.kind == validator_core::outcome::commit) {
        caf::actor me = caf::actor_cast<caf::actor>(self);
        bytes tx(out.tx_hash.bytes.begin(), out.tx_hash.bytes.end());
        st.committer->submit(std::move(out.record), [me, tx](const caf::error& err) {
          caf::anon_send(me, committed_atom::value, tx, err);
        });
      }
    },
    [=](committed_atom, const bytes& tx_raw, const caf::error& err) {
      auto& st = self->state;
      auto tx = hash32::from_raw(tx_raw.data(), tx_raw.size());
      if (!tx)
        return;
      auto answer = encode(st.core->committed(*tx, err));
      auto i = st.waiters.find(*tx);
      if (i == st.waiters.end())
        return;
      for (auto& rp : i->second)
        rp.deliver(reply_atom::value, answer);
      st.waiters.erase(i);
    },
    [=](stats_atom) {
      const auto& s = self->state.core->stats();
      return std::vector<uint64_t>{s.requests,
                                   s.signed_new,
                                   s.signed_again,
                                   s.rejected,
                                   self->state.committer->batches(),
                                   self->state.committer->records()};
    },
  };
}

} // namespace

caf::expected<caf::actor> spawn_validator(caf::actor_system& sys, validator_options opts) {
  if (opts.index >= opts.net.size())
    return make_error(ec::invalid_config, "validator index " + std::to_string(opts.index)
                                            + " is outside the committee");
  if (!opts.key || opts.key->public_key() != opts.net.members.members[opts.index].key)
    return make_error(ec::invalid_config, "the key of validator "
                                            + opts.net.members.members[opts.index].name
                                            + " does not match its public key in the committee");
  auto store = validator_store::open(opts.data_dir, opts.net.id, opts.index, opts.faults);
  if (!store)
    return store.error();
  std::shared_ptr<validator_store> shared_store{std::move(*store)};
  auto committer = std::make_shared<group_committer>(
    shared_store, opts.background_commit ? group_committer::mode::background
                                         : group_committer::mode::inline_sync);
  auto core = std::make_shared<validator_core>(std::move(opts.net), opts.index, std::move(opts.key),
                                               std::move(shared_store));
  return sys.spawn(validator_behavior, std::move(core), std::move(committer));
}

} // namespace acfts
