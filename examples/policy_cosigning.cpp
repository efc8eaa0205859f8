// Co-signing from C++ in one page: a treasury address owned by a 2-of-3 policy over three
// signature schemes, a payment planned by the wallet that holds one of its keys, signed apart by
// two co-signers, combined, and submitted by another wallet (the library's side of
// `acfts tx create|sign|submit`).
//
//   ./build/examples/policy_cosigning [DATA_DIR]
#include <cstdio>
#include <optional>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/embedded_cluster.hpp"
#include "config/temp_dir.hpp"
#include "crypto/hashing.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "protocol/cosign.hpp"
#include "protocol/policy_text.hpp"

namespace {

int fail(const char* what, const caf::error& err) {
  std::fprintf(stderr, "%s: %s\n", what, acfts::describe(err).c_str());
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "";
  std::optional<acfts::temp_dir> scratch; // removed at the end
  if (dir.empty()) {
    auto made = acfts::temp_dir::make("example");
    if (!made)
      return 1;
    scratch = std::move(*made);
    dir = scratch->path();
  }
  caf::actor_system_config cfg;
  acfts::configure(cfg);
  caf::actor_system sys{cfg};
  acfts::embedded_cluster::options opts;
  opts.data_dir = dir;
  auto cluster = acfts::embedded_cluster::start(sys, opts);
  if (!cluster)
    return fail("cannot start", cluster.error());
  auto& c = **cluster;

  // Three keys of three schemes, held by three people; the address is the policy's hash.
  auto alice = std::make_shared<const acfts::owner_key>(
    acfts::owner_key::generate(acfts::key_scheme::ed25519));
  auto bob = acfts::owner_key::generate(acfts::key_scheme::secp256k1);
  auto carol = acfts::owner_key::generate(acfts::key_scheme::p256); // e.g. a hardware key
  auto policy =
    acfts::parse_policy("thresh(2, " + alice->public_key().text() + ", " + bob.public_key().text()
                        + ", " + carol.public_key().text() + ")");
  if (!policy)
    return fail("bad policy", policy.error());
  auto treasury = acfts::policy_address(*policy);
  // Alice's wallet holds the treasury address and her key only.
  auto alices_wallet = c.add_wallet("alice", {}, {{*policy, {alice}}});
  if (!alices_wallet)
    return fail("cannot add a wallet", alices_wallet.error());
  if (auto tx = acfts::pay(sys, c.wallet(0), c.address_at(0), treasury, 1000); !tx)
    return fail("funding failed", tx.error());
  c.wait_settled(); // Alice's wallet holds the certified funding

  // 1. Alice's wallet plans 300 to a4, reserves the input and signs with her key.
  auto req = acfts::hold_payment(sys, *alices_wallet, treasury, c.address_at(4), 300);
  if (!req)
    return fail("hold failed", req.error());
  auto tx = acfts::tx_hash(req->tx);
  // 2. Bob and Carol each sign a copy on their own machines (no network needed)...
  auto bobs = req->policy_witnesses[0], carols = req->policy_witnesses[0];
  acfts::sign_policy(bobs, tx, {&bob});
  acfts::sign_policy(carols, tx, {&carol});
  // 3. ...and anyone combines the copies (three signatures; two are checked, then enough).
  auto combined = acfts::combine(bobs, carols);
  if (!combined)
    return fail("combine failed", combined.error());
  req->policy_witnesses[0] = *combined;
  // 4. Any wallet submits it: here w1, which holds none of the keys.
  auto final_tx = acfts::submit_request(sys, c.wallet(1), *req);
  if (!final_tx)
    return fail("submit failed", final_tx.error());
  c.wait_settled(); // the change is back in Alice's wallet, a4 has its 300
  auto left = acfts::balance(sys, *alices_wallet, treasury);
  std::printf("transaction %s final: a4 = %llu, treasury = %llu\n", final_tx->hex().c_str(),
              static_cast<unsigned long long>(c.balance(4)->units()),
              left ? static_cast<unsigned long long>(left->units()) : 0ULL);
  return (*c.balance(4) == 300 && left && *left == 700 && *c.supply() == 1'000'000) ? 0 : 1;
}
