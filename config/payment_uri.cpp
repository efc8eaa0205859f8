#include "config/payment_uri.hpp"

#include <set>

#include "messages/decimal.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

constexpr std::string_view scheme = "acfts:";

caf::error bad(const std::string& what) {
  return make_error(ec::malformed_message, "payment URI: " + what);
}

} // namespace

std::string payment_uri::text() const {
  std::string out = std::string{scheme} + payee.hex();
  char sep = '?';
  if (host) {
    out += sep + std::string{"node="} + *host + ":" + std::to_string(port);
    sep = '&';
  }
  if (value)
    out += sep + std::string{"amount="} + std::to_string(value->units());
  return out;
}

bool looks_like_payment_uri(const std::string& text) {
  return text.rfind(scheme, 0) == 0;
}

caf::expected<payment_uri> parse_payment_uri(const std::string& text) {
  if (!looks_like_payment_uri(text))
    return bad("it does not start with \"acfts:\"");
  std::string_view rest{text};
  rest.remove_prefix(scheme.size());
  auto q = rest.find('?');
  payment_uri uri;
  auto payee = address::from_hex(rest.substr(0, q));
  if (!payee)
    return bad("the address is not 64 hex digits");
  uri.payee = *payee;
  if (q == std::string_view::npos)
    return uri;
  auto query = rest.substr(q + 1);
  std::set<std::string_view> seen;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = param.find('=');
    if (eq == std::string_view::npos)
      return bad("parameter without a value: " + std::string{param});
    auto key = param.substr(0, eq);
    auto value = param.substr(eq + 1);
    // A payer must not have to guess which of two amounts (or nodes) the payee meant.
    if (!seen.insert(key).second)
      return bad("the parameter " + std::string{key} + " appears twice");
    if (key == "node") {
      auto colon = value.rfind(':');
      if (colon == std::string_view::npos || colon == 0)
        return bad("node must be host:port, not " + std::string{value});
      auto port = parse_decimal(value.substr(colon + 1), "payment URI: node's port", 1, 65535);
      if (!port)
        return port.error();
      uri.host = std::string{value.substr(0, colon)};
      uri.port = static_cast<uint16_t>(*port);
    } else if (key == "amount") {
      auto units = parse_amount(value, "payment URI: amount");
      if (!units)
        return units.error();
      uri.value = *units;
    } else if (key.rfind("req-", 0) == 0) {
      return bad("a required parameter this payer does not know: " + std::string{key});
    }
  }
  return uri;
}

} // namespace acfts
