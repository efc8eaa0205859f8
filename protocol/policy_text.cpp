#include "protocol/policy_text.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <numeric>

#include "crypto/schemes.hpp"
#include "messages/codec.hpp"
#include "messages/decimal.hpp"
#include "messages/error.hpp"
#include "messages/limits.hpp"

namespace acfts {

namespace {

/// Times beyond this (9999-12-31T23:59:59Z) are written as seconds.
constexpr uint64_t last_writable_date = 253402300799ull;

class parser {
public:
  explicit parser(std::string_view text) : text_(text) {}

  caf::expected<policy> parse() {
    // Bounded before any recursion: text of any length or nesting costs at most linear time and
    // a stack of max_policy_depth frames.
    if (text_.size() > max_text_chars)
      return over_limit("policy text longer than " + std::to_string(max_text_chars)
                        + " characters");
    auto p = node(1);
    if (!p)
      return p;
    skip_space();
    if (pos_ != text_.size())
      return error("unexpected text after the policy");
    return p;
  }

private:
  /// Enough for any policy within the static limits (16 keys of the longest scheme, 16 payees).
  static constexpr size_t max_text_chars = 4 * limits::max_policy_bytes;

  caf::error over_limit(const std::string& what) const {
    return make_error(ec::policy_over_limit,
                      "policy: " + what + " (at position " + std::to_string(pos_) + ")");
  }

  caf::error error(const std::string& what) const {
    return make_error(ec::malformed_message,
                      "policy: " + what + " at position " + std::to_string(pos_));
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }

  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  /// A run of letters, digits and the characters a key, address, number or date may hold.
  std::string_view word() {
    skip_space();
    auto start = pos_;
    while (pos_ < text_.size()
           && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'
               || text_[pos_] == ':' || text_[pos_] == '-'))
      ++pos_;
    return text_.substr(start, pos_ - start);
  }

  caf::expected<uint64_t> number(std::string_view w) const {
    auto x = parse_decimal(w, "policy: number at position " + std::to_string(pos_));
    if (!x && code_of(x.error()) == ec::invalid_number)
      return error("expected a number, got '" + std::string{w} + "'");
    return x;
  }

  caf::expected<uint64_t> time() {
    skip_space();
    auto start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ')' && text_[pos_] != ','
           && !std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    auto w = text_.substr(start, pos_ - start);
    if (w.find('T') == std::string_view::npos)
      return number(w);
    std::tm tm{};
    std::string s{w};
    auto* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end == nullptr || *end != '\0')
      return error("expected Unix seconds or YYYY-MM-DDTHH:MM:SSZ, got '" + s + "'");
    auto t = timegm(&tm);
    if (t < 0)
      return error("a time before 1970");
    return static_cast<uint64_t>(t);
  }

  caf::expected<policy> node(size_t depth) {
    if (depth > limits::max_policy_depth)
      return over_limit("policy deeper than " + std::to_string(limits::max_policy_depth));
    if (++nodes_ > limits::max_policy_nodes)
      return over_limit("more than " + std::to_string(limits::max_policy_nodes) + " nodes");
    auto w = word();
    if (w.find(':') != std::string_view::npos) {
      if (++keys_ > limits::max_policy_keys)
        return over_limit("more than " + std::to_string(limits::max_policy_keys) + " keys");
      auto k = scheme_key::parse(w);
      if (!k)
        return std::move(k.error());
      policy p;
      p.type = policy::kind::key;
      p.scheme = static_cast<uint8_t>(k->scheme);
      p.key = k->key;
      return p;
    }
    if (!eat('('))
      return error("expected '(' after '" + std::string{w} + "'");
    policy p;
    if (w == "thresh" || w == "and" || w == "or") {
      p.type = policy::kind::threshold;
      if (w == "thresh") {
        auto k = number(word());
        if (!k)
          return std::move(k.error());
        if (*k == 0 || *k > UINT16_MAX)
          return error("a threshold is 1..65535");
        p.k = static_cast<uint16_t>(*k);
        if (!eat(','))
          return error("expected ',' after the threshold");
      }
      do {
        uint8_t weight = 1;
        auto save = pos_;
        auto maybe_weight = word();
        if (eat('*')) {
          auto wt = number(maybe_weight);
          if (!wt)
            return std::move(wt.error());
          if (*wt == 0 || *wt > 255)
            return error("a weight is 1..255");
          weight = static_cast<uint8_t>(*wt);
        } else {
          pos_ = save;
        }
        auto child = node(depth + 1);
        if (!child)
          return child;
        p.weights.push_back(weight);
        p.children.push_back(std::move(*child));
      } while (eat(','));
      if (w == "and")
        p.k = static_cast<uint16_t>(std::min<size_t>(p.children.size(), UINT16_MAX));
      else if (w == "or")
        p.k = 1;
    } else if (w == "max_out") {
      p.type = policy::kind::max_out;
      auto n = number(word());
      if (!n)
        return std::move(n.error());
      p.limit = *n;
    } else if (w == "only_to") {
      p.type = policy::kind::only_to;
      do {
        auto hex = word();
        auto a = address::from_hex(hex);
        if (!a)
          return error("expected an address (64 hex digits), got '" + std::string{hex} + "'");
        p.payees.push_back(*a);
      } while (eat(','));
      std::sort(p.payees.begin(), p.payees.end());
      p.payees.erase(std::unique(p.payees.begin(), p.payees.end()), p.payees.end());
    } else if (w == "after" || w == "before") {
      p.type = w == "after" ? policy::kind::after : policy::kind::before;
      auto t = time();
      if (!t)
        return std::move(t.error());
      p.time = *t;
    } else {
      return error("unknown policy '" + std::string{w} + "'");
    }
    if (!eat(')'))
      return error("expected ')'");
    return p;
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t nodes_ = 0;
  size_t keys_ = 0;
};

std::string time_text(uint64_t t) {
  if (t > last_writable_date)
    return std::to_string(t);
  auto secs = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace

caf::expected<policy> parse_policy(std::string_view text) {
  auto p = parser{text}.parse();
  if (!p)
    return p;
  if (auto shape = check_policy_limits(*p); !shape)
    return std::move(shape.error());
  return p;
}

std::string policy_text(const policy& p) {
  switch (p.type) {
    case policy::kind::key:
      return scheme_key{scheme_numbered(p.scheme).value_or(key_scheme::ed25519), p.key}.text();
    case policy::kind::threshold: {
      bool unit = std::all_of(p.weights.begin(), p.weights.end(), [](uint8_t w) { return w == 1; });
      std::string out;
      if (unit && p.k == p.children.size() && p.children.size() > 1)
        out = "and(";
      else if (unit && p.k == 1 && p.children.size() > 1)
        out = "or(";
      else
        out = "thresh(" + std::to_string(p.k) + ", ";
      for (size_t i = 0; i < p.children.size(); ++i) {
        if (i > 0)
          out += ", ";
        if (p.weights[i] != 1)
          out += std::to_string(p.weights[i]) + "*";
        out += policy_text(p.children[i]);
      }
      return out + ")";
    }
    case policy::kind::max_out:
      return "max_out(" + to_string(p.limit) + ")";
    case policy::kind::only_to: {
      std::string out = "only_to(";
      for (size_t i = 0; i < p.payees.size(); ++i)
        out += (i > 0 ? ", " : "") + p.payees[i].hex();
      return out + ")";
    }
    case policy::kind::after:
      return "after(" + time_text(p.time) + ")";
    case policy::kind::before:
      return "before(" + time_text(p.time) + ")";
  }
  return "";
}

} // namespace acfts
