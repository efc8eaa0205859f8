// libFuzzer target: the policy evaluator (protocol/policy_rules) on any policy witness that
// decodes. The first byte picks the validator's clock, the rest is the witness. It must never
// crash, never check more signatures than the budget allows, and agree with itself: signatures
// can only pass where presence (every presented signature taken as valid) does.
#include <cstdint>
#include <cstdlib>

#include "crypto/hashing.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/policy_rules.hpp"

using namespace acfts;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  if (size < 2)
    return 0;
  auto w = decode<policy_witness>(reinterpret_cast<const char*>(raw) + 1, size - 1);
  if (!w)
    return 0;
  static const uint64_t clocks[] = {0, 1'800'000'000, UINT64_MAX};
  transaction tx;
  tx.inputs = {{hash32{}, 0}};
  tx.outputs = {{policy_address(w->spend_policy), 5}, {address{}, 7}};
  spend_context ctx{&tx, tx_hash(tx), policy_address(w->spend_policy), clocks[raw[0] % 3]};
  auto presence = check_policy_presence(*w, ctx);
  check_budget budget;
  auto before = tx_signature_checks();
  auto sigs = check_policy_signatures(*w, ctx, budget);
  auto made = tx_signature_checks() - before;
  if (made != budget.used || budget.used > limits::max_signature_checks)
    std::abort();
  if (!sigs && presence)
    std::abort(); // signatures verified where presence says the weight is missing
  if (presence && !sigs)
    std::abort(); // a policy short of weight never passes its signature checks
  return 0;
}
