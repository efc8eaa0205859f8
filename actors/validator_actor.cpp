#include "actors/validator_actor.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/detail/lock_shard_actor.hpp"
#include "actors/detail/verifiers.hpp"
#include "actors/local_types.hpp"
#include "actors/metrics_text.hpp"
#include "crypto/hashing.hpp"
#include "messages/error.hpp"
#include "messages/sign_batch.hpp"
#include "persistence/group_committer.hpp"
#include "protocol/rules.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

/// The committer thread's report of one record's write. The type is not registered with CAF,
/// so it cannot be deserialized from the network: no peer can forge it (a forged "durable"
/// would release a signature before its lock is on disk). It never leaves the process.
struct commit_report {
  hash32 tx;
  caf::error err;
  share given;
};

} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::commit_report)

namespace acfts {

namespace {

struct validator_state {
  std::shared_ptr<validator_core> core;
  std::vector<caf::actor> verifiers;
  /// Of each verifier in another process (null in-process): whether its link reaches it.
  std::vector<part_status_ptr> verifier_status;
  size_t next_verifier = 0;
  std::shared_ptr<group_committer> committer;
  std::function<void(const caf::error&)> on_fault;
  bool fault_reported = false;
  /// Requests waiting for their transaction's lock record to become durable (or, with lock
  /// shards, for its reservation round).
  std::unordered_map<hash32, std::vector<caf::response_promise>> waiters;
  /// Lock shards (none: the core locks in the validator's own store) and their rounds.
  std::vector<caf::actor> shards;
  std::unique_ptr<reservation_rounds> rounds;
  /// Its parts in other processes, as their links see them.
  std::vector<part_status_ptr> parts;
  static inline const char* name = "acfts.validator";
};

using validator_self = caf::stateful_actor<validator_state>;

std::string render_metrics(const validator_state& st) {
  const auto& core = *st.core;
  auto s = core.stats();
  metrics_text m;
  metrics_text::labels me{{"validator", core.net().members.members[core.index()].name}};
  auto with = [&](std::string k, std::string v) {
    auto ls = me;
    ls.emplace_back(std::move(k), std::move(v));
    return ls;
  };
  m.metric("acfts_validator_requests_total", "counter", "Sign requests handled.");
  m.sample("acfts_validator_requests_total", static_cast<double>(s.requests), me);
  m.metric("acfts_validator_signed_total", "counter",
           "Requests answered with a share: new, or again (a retry).");
  m.sample("acfts_validator_signed_total", static_cast<double>(s.signed_new), with("kind", "new"));
  m.sample("acfts_validator_signed_total", static_cast<double>(s.signed_again),
           with("kind", "again"));
  m.metric("acfts_validator_rejected_total", "counter", "Requests refused, by code.");
  auto by_code = s.rejected_by_code;
  by_code.emplace(ec::conflict, 0); // always present, so that alerts can rate() it from zero
  for (const auto& [code, n] : by_code)
    m.sample("acfts_validator_rejected_total", static_cast<double>(n),
             with("code", to_string(code)));
  m.metric("acfts_validator_storage_faults_total", "counter",
           "Requests refused because the store failed (storage_fault).");
  auto faults = s.rejected_by_code.find(ec::storage_fault);
  m.sample("acfts_validator_storage_faults_total",
           faults == s.rejected_by_code.end() ? 0 : static_cast<double>(faults->second), me);
  m.metric("acfts_validator_faulted", "gauge",
           "1 when a store fault stopped the validator from signing (restart required).");
  m.sample("acfts_validator_faulted", core.faulted() ? 1 : 0, me);
  m.metric("acfts_validator_roots_signed_total", "counter",
           "Merkle roots signed (pooled batches).");
  m.sample("acfts_validator_roots_signed_total", static_cast<double>(st.committer->roots()), me);
  if (!st.parts.empty()) {
    m.metric("acfts_validator_part_up", "gauge",
             "1 while a part in another process (lock shard, verifier) is reachable.");
    for (const auto& p : st.parts)
      m.sample("acfts_validator_part_up", p->up ? 1 : 0, with("part", p->name));
  }
  m.metric("acfts_group_commit_batch_size", "histogram", "Records per synced write.");
  m.histogram("acfts_group_commit_batch_size", st.committer->batch_sizes(), me);
  m.metric("acfts_group_commit_write_seconds", "histogram", "Seconds per synced write.");
  m.histogram("acfts_group_commit_write_seconds", st.committer->write_seconds(), me);
  return m.text();
}

/// Reports the core's fault once, when it first shows.
void report_fault(validator_self* self) {
  auto& st = self->state;
  if (st.fault_reported || !st.core->faulted())
    return;
  st.fault_reported = true;
  if (st.on_fault)
    st.on_fault(st.core->fault_cause());
}

/// Writes a `commit` outcome's record; its commit_report answers the waiters.
void submit_record(validator_self* self, validator_core::outcome out) {
  caf::actor me = caf::actor_cast<caf::actor>(self);
  auto tx = out.tx_hash;
  self->state.committer->submit(std::move(out.record),
                                [me, tx](const caf::error& err, const share& given) {
                                  caf::anon_send(me, commit_report{tx, err, given});
                                });
}

/// Replies now, or once the transaction's lock record is durable (committing it if asked).
void lock_and_reply(validator_self* self, validator_core::outcome out, caf::response_promise rp) {
  auto& st = self->state;
  report_fault(self);
  if (out.kind == validator_core::outcome::reply) {
    rp.deliver(reply_atom::value, encode(out.answer));
    return;
  }
  st.waiters[out.tx_hash].push_back(std::move(rp));
  if (out.kind == validator_core::outcome::commit)
    submit_record(self, std::move(out));
}

void answer_waiters(validator_self* self, const hash32& tx, const bytes& answer) {
  auto& st = self->state;
  auto i = st.waiters.find(tx);
  if (i == st.waiters.end())
    return;
  for (auto& rp : i->second)
    rp.deliver(reply_atom::value, answer);
  st.waiters.erase(i);
}

void shard_answered(validator_self* self, const std::shared_ptr<checked_request>& checked,
                    uint32_t shard, const reservation_answer& a);

/// With lock shards: the lock step of a request rules 1–3 passed. Its round asks every shard
/// that holds one of its inputs; a retry during a round waits for it.
void reserve_and_reply(validator_self* self, checked_request checked, caf::response_promise rp) {
  auto& st = self->state;
  auto tx = checked.tx;
  auto out = st.core->handle_checked_sharded(tx, checked.req->tx.inputs);
  if (out.kind != validator_core::outcome::reserve) { // a refusal, a share, or being written
    lock_and_reply(self, std::move(out), std::move(rp));
    return;
  }
  st.waiters[tx].push_back(std::move(rp));
  auto step = st.rounds->begin(tx, checked.req->tx.inputs);
  if (step.kind == reservation_rounds::step::refuse) { // no inputs (rule 1 refuses it first)
    answer_waiters(self, tx, encode(st.core->refused_by_shards(tx, {}, step.answer.err)));
    return;
  }
  if (step.kind != reservation_rounds::step::reserve)
    return; // the round under way answers it
  // The round's request travels with its answers: the last one signs it.
  auto round = std::make_shared<checked_request>(std::move(checked));
  for (const auto& [k, inputs] : step.asks) {
    auto shard = k;
    self->request(st.shards[shard], caf::infinite, shard_reserve{tx, inputs})
      .then([=](const reservation_answer& a) { shard_answered(self, round, shard, a); },
            [=](caf::error& err) {
              shard_answered(self, round, shard, reservation_answer::failed(std::move(err)));
            });
  }
}

void shard_answered(validator_self* self, const std::shared_ptr<checked_request>& checked,
                    uint32_t shard, const reservation_answer& a) {
  auto& st = self->state;
  auto tx = checked->tx;
  auto step = st.rounds->answered(tx, shard, a);
  if (step.kind == reservation_rounds::step::sign) {
    st.rounds->finished(tx); // a retry from now on waits for the signature's write
    auto out = st.core->reserved(*checked->req, tx, checked->single, checked->raw);
    report_fault(self);
    if (out.kind == validator_core::outcome::commit)
      submit_record(self, std::move(out));
    else
      answer_waiters(self, tx, encode(out.answer));
    return;
  }
  if (step.kind != reservation_rounds::step::refuse)
    return; // shards still to answer
  auto answer = encode(st.core->refused_by_shards(tx, step.answer.conflicts, step.answer.err));
  answer_waiters(self, tx, answer);
  if (step.asks.empty()) {
    st.rounds->finished(tx);
    return;
  }
  // The round ends once every release is written; retries meanwhile get the same answer.
  auto left = std::make_shared<size_t>(step.asks.size());
  auto released = [=] {
    if (--*left != 0)
      return;
    self->state.rounds->finished(tx);
    answer_waiters(self, tx, answer);
  };
  for (const auto& [k, inputs] : step.asks)
    self->request(self->state.shards[k], caf::infinite, shard_release{tx, inputs})
      .then([=](bool) { released(); }, [=](caf::error&) { released(); });
}

/// The verifier for the next request, in turn, passing over those whose link has lost them
/// (all lost: the next in turn, whose link says so).
size_t next_verifier(validator_state& st) {
  auto n = st.verifiers.size();
  for (size_t tried = 0; tried < n; ++tried) {
    auto k = st.next_verifier++ % n;
    if (!st.verifier_status[k] || st.verifier_status[k]->up)
      return k;
  }
  return st.next_verifier++ % n;
}

caf::behavior
validator_behavior(validator_self* self, std::shared_ptr<validator_core> core,
                   std::shared_ptr<group_committer> committer,
                   std::vector<std::shared_ptr<request_checker>> checkers,
                   std::vector<std::pair<caf::actor, part_status_ptr>> remote_verifiers,
                   std::vector<caf::actor> shards, std::vector<part_status_ptr> parts,
                   std::function<void(const caf::error&)> on_fault) {
  self->state.parts = std::move(parts);
  if (!shards.empty()) {
    self->state.rounds = std::make_unique<reservation_rounds>(shards.size());
    for (auto& shard : shards)
      self->link_to(shard); // one validator: a shard (or its link) that dies takes it down
    self->state.shards = std::move(shards);
  }
  self->state.core = std::move(core);
  self->state.on_fault = std::move(on_fault);
  self->state.committer = std::move(committer);
  for (auto& checker : checkers)
    self->state.verifiers.push_back(self->spawn<caf::linked>(verifier_behavior, checker));
  self->state.verifier_status.resize(self->state.verifiers.size());
  for (auto& [link, status] : remote_verifiers) {
    self->link_to(link);
    self->state.verifiers.push_back(std::move(link));
    self->state.verifier_status.push_back(std::move(status));
  }
  self->set_down_handler([](const caf::down_msg&) {});
  return {
    [=](sign_atom, const bytes& request) {
      auto& st = self->state;
      auto rp = self->make_response_promise();
      if (st.verifiers.empty() || st.core->faulted()) {
        lock_and_reply(self, st.core->handle(request.data(), request.size()), std::move(rp));
        return;
      }
      auto& verifier = st.verifiers[next_verifier(st)];
      self->request(verifier, caf::infinite, check_atom::value, request)
        .then(
          [=](const checked_request& checked) mutable {
            if (!checked.rejection.empty()) { // already in this validator's name
              self->state.core->count_refused_elsewhere(checked.code);
              rp.deliver(reply_atom::value, checked.rejection);
              return;
            }
            if (!self->state.shards.empty()) {
              reserve_and_reply(self, std::move(checked), std::move(rp));
              return;
            }
            lock_and_reply(self,
                           self->state.core->handle_checked(*checked.req, checked.tx,
                                                            checked.single, checked.raw),
                           std::move(rp));
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
    },
    [=](signs_atom, const bytes& raw) {
      // A wallet's batch: each request takes the path a single one takes (a message to this
      // actor, answered as one), and the replies go back together in the batch's order.
      auto rp = self->make_response_promise();
      auto batch = decode_sign_batch(raw.data(), raw.size());
      if (!batch) {
        rp.deliver(std::move(batch.error()));
        return;
      }
      auto n = batch->requests.size();
      auto out = std::make_shared<reply_batch>();
      out->replies.resize(n);
      auto left = std::make_shared<size_t>(n);
      auto one_more = [=]() mutable {
        if (--*left == 0)
          rp.deliver(replies_atom::value, encode_reply_batch(*out));
      };
      caf::actor me{self};
      for (size_t i = 0; i < n; ++i)
        self->request(me, caf::infinite, sign_atom::value, std::move(batch->requests[i]))
          .then(
            [=](reply_atom, bytes& r) mutable {
              out->replies[i] = std::move(r);
              one_more();
            },
            [=](caf::error&) mutable { one_more(); }); // no answer: left empty
    },
    [=](const commit_report& report) {
      auto answer = encode(self->state.core->committed(report.tx, report.err, report.given));
      report_fault(self);
      answer_waiters(self, report.tx, answer);
    },
    [=](metrics_atom) { return render_metrics(self->state); },
    [=](stats_atom) {
      validator_stats out;
      out.core = self->state.core->stats();
      out.batches = self->state.committer->batches();
      out.records = self->state.committer->records();
      out.roots = self->state.committer->roots();
      out.faulted = self->state.core->faulted();
      return out;
    },
  };
}

/// The lock shards' stores, `data_dir`/shard-K. A validator's inputs fall into shards by hash
/// range, so a store run with S shards must always be opened with S: started with another
/// count, a shard would not see the locks another one holds.
caf::expected<std::vector<std::shared_ptr<validator_store>>>
open_shard_stores(const validator_options& opts) {
  auto dir_of = [&](uint32_t k) { return shard_store_dir(opts.data_dir, k); };
  auto found = shard_stores_in(opts.data_dir);
  uint32_t wanted = opts.lock_shards > 1 ? opts.lock_shards : 0;
  bool all_there = found == wanted;
  std::error_code ec;
  for (uint32_t k = 0; all_there && k < wanted; ++k)
    all_there = std::filesystem::is_directory(dir_of(k), ec);
  if (found != 0 && !all_there)
    return make_error(ec::invalid_config,
                      opts.data_dir + " holds the locks of " + std::to_string(found)
                        + " lock shards: start this validator with --lock-shards "
                        + std::to_string(found));
  std::vector<std::shared_ptr<validator_store>> out;
  for (uint32_t k = 0; k < wanted; ++k) {
    auto s = validator_store::open(dir_of(k), opts.net.id, opts.index, opts.faults);
    if (!s)
      return s.error();
    // The same binding as a shard run as a process of its own: neither may change the count.
    if (auto err = (*s)->bind_shard(k, wanted))
      return err;
    out.emplace_back(std::move(*s));
  }
  return out;
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
  std::vector<caf::actor> shards = std::move(opts.remote_shards);
  if (shards.empty()) {
    auto shard_stores = open_shard_stores(opts);
    if (!shard_stores)
      return shard_stores.error();
    for (auto& s : *shard_stores)
      shards.push_back(spawn_lock_shard(sys, s, opts.background_commit));
  }
  if (!opts.remote_verifiers.empty())
    opts.verifiers = 0; // every check in the verifiers' processes
  else if (!shards.empty())
    opts.verifiers = std::max<size_t>(opts.verifiers, 1); // the shards' path starts at a verifier
  group_committer::root_signer signer;
  if (opts.shares == share_mode::pooled)
    signer = [key = opts.key, net = opts.net](const hash32& root) {
      return sign_batch_root(*key, net, root);
    };
  auto committer = std::make_shared<group_committer>(
    shared_store,
    opts.background_commit ? group_committer::mode::background : group_committer::mode::inline_sync,
    group_committer::default_min_gap, std::move(signer));
  std::vector<std::shared_ptr<request_checker>> checkers;
  for (size_t i = 0; i < opts.verifiers; ++i)
    checkers.push_back(
      std::make_shared<request_checker>(opts.net, opts.index, opts.key, shared_store, opts.shares));
  std::vector<std::pair<caf::actor, part_status_ptr>> remote_verifiers;
  for (auto& v : opts.remote_verifiers)
    remote_verifiers.emplace_back(v.link(std::make_shared<request_checker>(
                                    opts.net, opts.index, opts.key, shared_store, opts.shares)),
                                  v.status);
  auto core = std::make_shared<validator_core>(std::move(opts.net), opts.index, std::move(opts.key),
                                               shared_store, opts.shares);
  return sys.spawn(validator_behavior, std::move(core), std::move(committer), std::move(checkers),
                   std::move(remote_verifiers), std::move(shards), std::move(opts.parts),
                   std::move(opts.on_fault));
}

} // namespace acfts
