// Money is a type: amounts add and subtract only through checked functions that report overflow
// instead of wrapping around.
#pragma once

#include <cstdint>
#include <optional>

namespace acfts {

/// A number of currency units. Every output carries one, and it is never zero on a valid output.
using amount = uint64_t;

/// x + y, or nullopt when the sum does not fit into 64 bits.
inline std::optional<amount> checked_add(amount x, amount y) {
  amount sum;
  if (__builtin_add_overflow(x, y, &sum))
    return std::nullopt;
  return sum;
}

/// x − y, or nullopt when y > x.
inline std::optional<amount> checked_sub(amount x, amount y) {
  if (y > x)
    return std::nullopt;
  return x - y;
}

} // namespace acfts
