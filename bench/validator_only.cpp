#include "bench/validator_only.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "actors/embedded_cluster.hpp"
#include "actors/validator_actor.hpp"
#include "bench/process_memory.hpp"
#include "bench/run_watch.hpp"
#include "config/cluster.hpp"
#include "config/cluster_file.hpp"
#include "crypto/key_file.hpp"
#include "crypto/hashing.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/merkle.hpp"
#include "protocol/rules.hpp"
#include "nodes/validator_node.hpp"

namespace acfts {

namespace {

using clock_type = std::chrono::steady_clock;

/// Request i spends output 0 of its own parent, whose certificate validators 1..2f+1 signed (so
/// validator 0 verifies all of it: no share of its own, no cached parent). Pooled: each of them
/// signed one root per `batch` consecutive parents, as their group commit would have.
std::vector<bytes> make_requests(const cluster_keys& k, size_t count, share_mode shares,
                                 size_t batch) {
  const auto& net = k.net;
  const auto& payer = *k.wallets[0][0];
  auto payer_addr = address_of(payer.public_key());
  auto payee_addr = address_of(k.wallets[0][1]->public_key());
  std::vector<certified_transaction> parents(count);
  for (size_t i = 0; i < count; ++i) {
    auto& parent = parents[i];
    uint64_t seq = i;
    parent.tx.inputs.push_back(output_ref{blake2b_256(&seq, sizeof(seq)), 0});
    parent.tx.outputs.push_back(output{payer_addr, 1});
    parent.cert.tx_hash = tx_hash(parent.tx);
  }
  batch = std::max<size_t>(1, batch);
  for (size_t first = 0; first < count; first += batch) {
    auto last = std::min(count, first + batch);
    std::vector<hash32> txs;
    for (size_t i = first; i < last; ++i)
      txs.push_back(parents[i].cert.tx_hash);
    auto tree = build_merkle_tree(txs);
    for (uint16_t v = 1; v <= net.quorum(); ++v) {
      auto root_sig = sign_batch_root(*k.validators[v], net, tree.root);
      for (size_t i = first; i < last; ++i) {
        auto& sigs = parents[i].cert.sigs;
        if (shares == share_mode::pooled)
          sigs.push_back(validator_signature{v, root_sig, tree.paths[i - first]});
        else
          sigs.push_back(validator_signature{
            v, sign_certificate_share(*k.validators[v], net, parents[i].cert.tx_hash)});
      }
    }
  }
  std::vector<bytes> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    auto& parent = parents[i];
    sign_request req;
    req.committee_id = net.id;
    req.tx.inputs.push_back(output_ref{parent.cert.tx_hash, 0});
    req.tx.outputs.push_back(output{payee_addr, 1});
    req.witnesses.push_back(make_witness(payer, tx_hash(req.tx)));
    req.parents.push_back(std::move(parent));
    out.push_back(encode(req));
  }
  return out;
}

struct feed_state {
  std::vector<bytes> requests;
  size_t window = 0;
  size_t next = 0;
  size_t in_flight = 0;
  size_t signed_replies = 0;
  caf::error failure;
  run_watch watch;
};

void feed(caf::event_based_actor* self, caf::actor validator, std::shared_ptr<feed_state> st) {
  while (!st->failure && st->next < st->requests.size() && st->in_flight < st->window) {
    ++st->in_flight;
    self->request(validator, caf::infinite, sign_atom::value, st->requests[st->next++])
      .then(
        [=](reply_atom, const bytes& raw) {
          --st->in_flight;
          ++st->watch.ended;
          auto reply = decode<sign_reply>(raw);
          if (reply && std::holds_alternative<signed_reply>(*reply))
            ++st->signed_replies;
          else if (!st->failure)
            st->failure =
              make_error(ec::payment_rejected, "the validator refused a valid request: "
                                                 + (reply ? std::get<rejected_reply>(*reply).detail
                                                          : describe(reply.error())));
          feed(self, validator, st);
        },
        [=](caf::error& err) {
          --st->in_flight;
          ++st->watch.ended;
          if (!st->failure)
            st->failure = err;
          feed(self, validator, st);
        });
  }
  if ((st->failure || st->next == st->requests.size()) && st->in_flight == 0)
    st->watch.finish(self);
}

/// The keys of a cluster file's committee (read from its key files), and two payer keys of
/// no wallet (the requests' parents are made up).
caf::expected<cluster_keys> keys_of(const cluster_file& cluster) {
  cluster_keys k;
  k.net = cluster.net;
  for (const auto& v : cluster.validators) {
    auto kp = read_key_file(v.key_file);
    if (!kp)
      return kp.error();
    k.validators.push_back(std::make_shared<const key_pair>(std::move(*kp)));
  }
  k.wallets.push_back({std::make_shared<const key_pair>(key_pair::generate()),
                       std::make_shared<const key_pair>(key_pair::generate())});
  return k;
}

} // namespace

caf::expected<validator_bench_result> run_validator_only(const validator_bench_options& opts) {
  std::optional<cluster_file> cluster;
  if (!opts.config.empty()) {
    auto loaded = load_cluster_file(opts.config);
    if (!loaded)
      return loaded.error();
    cluster = std::move(*loaded);
  }
  auto keys = [&]() -> caf::expected<cluster_keys> {
    if (cluster)
      return keys_of(*cluster);
    cluster_shape shape;
    shape.validators = opts.validators;
    shape.wallets = 1;
    shape.addresses_per_wallet = 2;
    return make_cluster(shape);
  }();
  if (!keys)
    return keys.error();
  auto requests = make_requests(*keys, opts.requests, opts.shares, opts.parent_batch);
  caf::actor_system_config cfg;
  if (cluster)
    cfg.load<caf::io::middleman>();
  configure(cfg);
  cfg.set("logger.verbosity", caf::atom("quiet"));
  cfg.set("scheduler.max-threads", opts.workers);
  caf::actor_system sys{cfg};
  validator_options vo;
  vo.net = keys->net;
  vo.index = 0;
  vo.key = keys->validators[0];
  vo.data_dir = opts.data_dir + "/v0";
  vo.verifiers = opts.workers;
  vo.shares = opts.shares;
  vo.lock_shards = opts.lock_shards;
  if (cluster) {
    vo.data_dir = cluster->validators[0].data_dir;
    if (auto err = link_validator_parts(sys, *cluster, 0, false, vo))
      return err;
  }
  auto validator = spawn_validator(sys, std::move(vo));
  if (!validator)
    return validator.error();
  auto st = std::make_shared<feed_state>();
  st->requests = std::move(requests);
  st->window = std::max<size_t>(1, opts.window);
  auto done = st->watch.done.get_future();
  auto start = clock_type::now();
  auto cpu_start = process_cpu_seconds();
  // Arguments, not captures: CAF 0.17 dereferences a null argument tuple when a function is
  // spawned with none (UBSan reports it).
  sys.spawn(
    [](caf::event_based_actor* self, caf::actor v,
       std::shared_ptr<feed_state> state) -> caf::behavior {
      feed(self, v, state);
      state->watch.start(self);
      return {[=](retry_atom) {
        if (auto err =
              state->watch.look(self, state->in_flight, "the validator answered nothing")) {
          if (!state->failure)
            state->failure = std::move(err);
          state->watch.finish(self);
        }
      }};
    },
    *validator, st);
  done.wait();
  validator_bench_result r;
  r.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  r.cpu_seconds = process_cpu_seconds() - cpu_start;
  r.signed_replies = st->signed_replies;
  {
    caf::scoped_actor self{sys};
    self->request(*validator, std::chrono::seconds(10), stats_atom::value)
      .receive(
        [&](const validator_stats& s) {
          if (s.batches > 0)
            r.mean_batch = s.mean_batch();
        },
        [](caf::error&) {});
  }
  caf::anon_send_exit(*validator, caf::exit_reason::user_shutdown);
  if (st->failure)
    return st->failure;
  return r;
}

} // namespace acfts
