#include "config/payment_uri.hpp"

#include <charconv>

#include "messages/error.hpp"

namespace acfts {

namespace {

constexpr std::string_view scheme = "acfts:";

caf::error bad(const std::string& what) {
  return make_error(ec::malformed_message, "payment URI: " + what);
}

template <class T>
std::optional<T> number(std::string_view s) {
  T x{};
  auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (err != std::errc{} || end != s.data() + s.size() || s.empty())
    return std::nullopt;
  return x;
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
  while (!query.empty()) {
    auto amp = query.find('&');
    auto param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = param.find('=');
    if (eq == std::string_view::npos)
      return bad("parameter without a value: " + std::string{param});
    auto key = param.substr(0, eq);
    auto value = param.substr(eq + 1);
    if (key == "node") {
      auto colon = value.rfind(':');
      auto port =
        colon == std::string_view::npos ? std::nullopt : number<uint32_t>(value.substr(colon + 1));
      if (!port || *port == 0 || *port > 65535 || colon == 0)
        return bad("node must be host:port, not " + std::string{value});
      uri.host = std::string{value.substr(0, colon)};
      uri.port = static_cast<uint16_t>(*port);
    } else if (key == "amount") {
      auto units = number<uint64_t>(value);
      if (!units || *units == 0)
        return bad("amount must be a positive number of units, not " + std::string{value});
      uri.value = amount{*units};
    } else if (key.rfind("req-", 0) == 0) {
      return bad("a required parameter this payer does not know: " + std::string{key});
    }
  }
  return uri;
}

} // namespace acfts
