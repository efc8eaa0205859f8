#include "config/payment_uri.hpp"

#include <set>

#include "messages/decimal.hpp"
#include "messages/error.hpp"
#include "messages/limits.hpp"

namespace acfts {

namespace {

constexpr std::string_view scheme = "acfts:";

caf::error bad(const std::string& what) {
  return make_error(ec::malformed_message, "payment URI: " + what);
}

} // namespace

caf::expected<endpoint> parse_endpoint(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || text.size() > limits::max_endpoint_chars)
    return make_error(ec::malformed_message,
                      "an endpoint is host:port, not '" + std::string{text.substr(0, 80)} + "'");
  for (char c : text.substr(0, colon))
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '/' || c == '?' || c == '&')
      return make_error(ec::malformed_message, "an endpoint's host holds an unexpected character");
  auto port = parse_decimal(text.substr(colon + 1), "the endpoint's port", 1, 65535);
  if (!port)
    return port.error();
  return endpoint{std::string{text.substr(0, colon)}, static_cast<uint16_t>(*port)};
}

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
      auto where = parse_endpoint(value);
      if (!where && code_of(where.error()) == ec::malformed_message)
        return bad("node must be host:port, not " + std::string{value});
      if (!where)
        return where.error();
      uri.host = where->host;
      uri.port = where->port;
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
