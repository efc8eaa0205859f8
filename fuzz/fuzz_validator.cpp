// libFuzzer target: the validator's request handler as a function of bytes → reply, over an
// in-memory lock table (the rules never see the store; LevelDB has its own tests). It must always
// answer with a reply that decodes, and never sign two transactions that spend the same output.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <unordered_map>

#include "config/cluster.hpp"
#include "crypto/hashing.hpp"
#include "protocol/memory_lock_table.hpp"
#include "protocol/validator_core.hpp"

using namespace acfts;

namespace {

struct harness {
  cluster_keys keys;
  std::shared_ptr<memory_lock_table> store = std::make_shared<memory_lock_table>();
  std::unique_ptr<validator_core> core;
  std::unordered_map<output_ref, hash32> signed_inputs;

  harness() {
    cluster_shape shape;
    shape.seed = 7; // the golden/test network, so seeds from the tests are meaningful
    keys = std::move(*make_cluster(shape));
    core = std::make_unique<validator_core>(keys.net, 0, keys.validators[0], store);
  }
};

harness& instance() {
  static harness h;
  return h;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  auto& h = instance();
  auto out = h.core->handle(reinterpret_cast<const char*>(raw), size);
  sign_reply reply = out.answer;
  if (out.kind == validator_core::outcome::commit)
    reply = h.core->committed(out.tx_hash, h.store->commit({&out.record}));
  if (!decode<sign_reply>(encode(reply)))
    std::abort();
  if (auto s = std::get_if<signed_reply>(&reply)) {
    // Safety: no output is ever signed away to two different transactions.
    auto req = decode<sign_request>(reinterpret_cast<const char*>(raw), size);
    if (!req)
      std::abort(); // a signature for bytes that do not even decode
    for (const auto& in : req->tx.inputs) {
      auto [pos, fresh] = h.signed_inputs.emplace(in, s->tx_hash);
      if (!fresh && pos->second != s->tx_hash)
        std::abort();
    }
  }
  return 0;
}
