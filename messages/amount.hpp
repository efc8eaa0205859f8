// Money is a type: amounts add and subtract only through checked functions that report overflow
// instead of wrapping around. There is no operator+ or operator-: arithmetic on units is spelled
// out (`units()`), so every place that computes money can be found and checked.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace acfts {

/// A number of currency units. Every output carries one, and it is never zero on a valid output.
class amount {
public:
  constexpr amount() = default;
  /// Integers become amounts without ceremony (literals, wire values); the way back is explicit.
  constexpr amount(uint64_t units) : units_(units) {} // NOLINT(google-explicit-constructor)

  constexpr uint64_t units() const { return units_; }

  friend constexpr bool operator==(amount x, amount y) { return x.units_ == y.units_; }
  friend constexpr bool operator!=(amount x, amount y) { return x.units_ != y.units_; }
  friend constexpr bool operator<(amount x, amount y) { return x.units_ < y.units_; }
  friend constexpr bool operator<=(amount x, amount y) { return x.units_ <= y.units_; }
  friend constexpr bool operator>(amount x, amount y) { return x.units_ > y.units_; }
  friend constexpr bool operator>=(amount x, amount y) { return x.units_ >= y.units_; }

private:
  uint64_t units_ = 0;
};

/// x + y, or nullopt when the sum does not fit into 64 bits.
inline std::optional<amount> checked_add(amount x, amount y) {
  uint64_t sum;
  if (__builtin_add_overflow(x.units(), y.units(), &sum))
    return std::nullopt;
  return amount{sum};
}

/// x − y, or nullopt when y > x.
inline std::optional<amount> checked_sub(amount x, amount y) {
  if (y > x)
    return std::nullopt;
  return amount{x.units() - y.units()};
}

inline std::string to_string(amount x) {
  return std::to_string(x.units());
}

inline std::ostream& operator<<(std::ostream& os, amount x) {
  return os << x.units();
}

} // namespace acfts
