#include "messages/decimal.hpp"

#include "messages/error.hpp"

namespace acfts {

namespace {

/// What the user typed, quoted and cut short for an error line.
std::string quoted(std::string_view text) {
  constexpr size_t shown = 40;
  std::string out{text.substr(0, shown)};
  if (text.size() > shown)
    out += "...";
  return "'" + out + "'";
}

} // namespace

caf::expected<uint64_t> parse_decimal(std::string_view text, std::string_view what, uint64_t min,
                                      uint64_t max) {
  auto name = std::string{what};
  if (text.empty())
    return make_error(ec::invalid_number, name + ": empty, expected decimal digits");
  for (char c : text)
    if (c < '0' || c > '9')
      return make_error(ec::invalid_number, name + ": " + quoted(text)
                                              + " is not a number (decimal digits only: no sign, "
                                                "no 0x, no spaces)");
  if (text.size() > 1 && text[0] == '0')
    return make_error(ec::invalid_number,
                      name + ": " + quoted(text)
                        + " has a leading zero (write it without; 010 is ten, not eight)");
  uint64_t x = 0;
  for (char c : text) {
    auto digit = static_cast<uint64_t>(c - '0');
    if (x > (std::numeric_limits<uint64_t>::max() - digit) / 10)
      return make_error(ec::amount_out_of_range,
                        name + ": " + quoted(text) + " is larger than 2^64-1");
    x = x * 10 + digit;
  }
  if (x > max)
    return make_error(ec::amount_out_of_range,
                      name + ": " + quoted(text) + " is larger than " + std::to_string(max));
  if (x < min)
    return make_error(ec::amount_out_of_range,
                      name + ": " + quoted(text) + " is smaller than " + std::to_string(min));
  return x;
}

caf::expected<amount> parse_amount(std::string_view text, std::string_view what) {
  auto x = parse_decimal(text, what);
  if (!x)
    return x.error();
  if (*x == 0)
    return make_error(ec::zero_payment, std::string{what} + ": an amount is at least 1 unit");
  return amount{*x};
}

} // namespace acfts
