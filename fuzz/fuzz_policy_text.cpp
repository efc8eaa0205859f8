// libFuzzer target: the readable policy parser (protocol/policy_text) on any text, as a user
// types it into `address new --policy` or a wallet file. It must never crash or recurse beyond
// the static depth (a deep nesting is refused while parsing), must refuse what the static limits
// refuse, and what it accepts must print back to text that parses to the same policy.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/policy_text.hpp"

using namespace acfts;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(raw), size};
  auto p = parse_policy(text);
  if (!p)
    return 0;
  if (!check_policy_limits(*p))
    std::abort(); // accepted beyond the limits
  auto again = parse_policy(policy_text(*p));
  if (!again || !(*again == *p))
    std::abort(); // the printed form means another policy
  return 0;
}
