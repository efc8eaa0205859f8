#include "config/policy_json.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "messages/error.hpp"
#include "messages/limits.hpp"
#include "protocol/policy_text.hpp"

namespace acfts {

namespace {

using json = nlohmann::json;

struct bad_json {
  std::string what;
};

/// A string that goes into the readable form as one token: nothing that could add structure.
std::string token(const json& j, const std::string& field) {
  if (!j.is_string())
    throw bad_json{"\"" + field + "\" must be a string"};
  auto s = j.get<std::string>();
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ':' && c != '-')
      throw bad_json{"\"" + field + "\" holds an unexpected character: " + s};
  return s;
}

std::string number(const json& j, const std::string& field) {
  if (!j.is_number_unsigned())
    throw bad_json{"\"" + field + "\" must be a non-negative integer"};
  return std::to_string(j.get<uint64_t>());
}

std::string text_of(const json& j, int depth);

std::string items(const json& list, const std::string& field, int depth) {
  if (!list.is_array() || list.empty())
    throw bad_json{"\"" + field + "\" must be a non-empty list"};
  std::string out;
  for (const auto& item : list) {
    if (!out.empty())
      out += ", ";
    if (item.is_object() && item.contains("weight"))
      out += number(item["weight"], "weight") + "*";
    out += text_of(item, depth + 1);
  }
  return out;
}

std::string time_of(const json& j, const std::string& field) {
  return j.is_string() ? token(j, field) : number(j, field);
}

std::string text_of(const json& j, int depth) {
  if (depth > 16) // parse_policy enforces the real limit; this only keeps recursion short
    throw bad_json{"nested too deeply"};
  if (!j.is_object())
    throw bad_json{"a policy must be an object"};
  auto fields = j.size() - (j.contains("weight") ? 1 : 0);
  auto only = [&](size_t n, const char* what) {
    if (fields != n)
      throw bad_json{std::string{what} + " takes no other field"};
  };
  if (j.contains("key")) {
    only(1, "\"key\"");
    return token(j["key"], "key");
  }
  if (j.contains("thresh")) {
    only(2, "\"thresh\" with \"of\"");
    if (!j.contains("of"))
      throw bad_json{"\"thresh\" needs \"of\""};
    return "thresh(" + number(j["thresh"], "thresh") + ", " + items(j["of"], "of", depth) + ")";
  }
  for (const char* op : {"and", "or"})
    if (j.contains(op)) {
      only(1, op);
      return std::string{op} + "(" + items(j[op], op, depth) + ")";
    }
  if (j.contains("max_out")) {
    only(1, "\"max_out\"");
    return "max_out(" + number(j["max_out"], "max_out") + ")";
  }
  if (j.contains("only_to")) {
    only(1, "\"only_to\"");
    const auto& list = j["only_to"];
    if (!list.is_array() || list.empty())
      throw bad_json{"\"only_to\" must be a non-empty list of addresses"};
    std::string out;
    for (const auto& a : list)
      out += (out.empty() ? "" : ", ") + token(a, "only_to");
    return "only_to(" + out + ")";
  }
  for (const char* op : {"after", "before"})
    if (j.contains(op)) {
      only(1, op);
      return std::string{op} + "(" + time_of(j[op], op) + ")";
    }
  throw bad_json{"an object with none of key, thresh, and, or, max_out, only_to, after, before"};
}

/// The deepest nesting of objects and arrays in `text` (brackets inside strings count too, which
/// only errs on the safe side).
size_t nesting(const std::string& text) {
  size_t depth = 0, deepest = 0;
  for (char c : text) {
    if (c == '{' || c == '[')
      deepest = std::max(deepest, ++depth);
    else if ((c == '}' || c == ']') && depth > 0)
      --depth;
  }
  return deepest;
}

} // namespace

caf::expected<policy> parse_policy_json(const std::string& text) {
  // A policy of depth 4 nests objects in "of" lists: 2 levels per policy level, and the root.
  constexpr size_t max_nesting = 2 * limits::max_policy_depth + 2;
  constexpr size_t max_text = 16 * limits::max_policy_bytes;
  if (text.size() > max_text)
    return make_error(ec::policy_over_limit,
                      "policy JSON longer than " + std::to_string(max_text) + " bytes");
  if (nesting(text) > max_nesting)
    return make_error(ec::policy_over_limit, "policy JSON nested deeper than a policy may be ("
                                               + std::to_string(limits::max_policy_depth)
                                               + " levels)");
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded())
    return make_error(ec::malformed_message, "not JSON");
  try {
    if (j.is_object() && j.size() == 1 && j.contains("policy")) {
      if (!j["policy"].is_string())
        throw bad_json{"\"policy\" must be a string"};
      return parse_policy(j["policy"].get<std::string>());
    }
    return parse_policy(text_of(j, 0));
  } catch (const bad_json& e) {
    return make_error(ec::malformed_message, "policy JSON: " + e.what);
  }
}

caf::expected<policy> read_policy_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return make_error(ec::invalid_config, path + ": cannot read");
  std::stringstream buf;
  buf << in.rdbuf();
  auto p = parse_policy_json(buf.str());
  if (!p)
    return make_error(code_of(p.error()), path + ": " + describe(p.error()));
  return p;
}

} // namespace acfts
