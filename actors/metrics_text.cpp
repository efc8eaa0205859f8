#include "actors/metrics_text.hpp"

#include <cmath>
#include <cstdio>

namespace acfts {

namespace {

std::string number(double v) {
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  else
    std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string label_text(const metrics_text::labels& ls) {
  if (ls.empty())
    return "";
  std::string out = "{";
  for (size_t i = 0; i < ls.size(); ++i)
    out += (i ? "," : "") + ls[i].first + "=\"" + escaped(ls[i].second) + "\"";
  return out + "}";
}

} // namespace

void metrics_text::metric(const std::string& name, const std::string& type,
                          const std::string& help) {
  out_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void metrics_text::sample(const std::string& name, double value, const labels& ls) {
  out_ += name + label_text(ls) + " " + number(value) + "\n";
}

void metrics_text::histogram(const std::string& name, const histogram_snapshot& h,
                             const labels& ls) {
  for (size_t i = 0; i < h.bounds.size(); ++i) {
    auto with_le = ls;
    with_le.emplace_back("le", number(h.bounds[i]));
    sample(name + "_bucket", static_cast<double>(h.cumulative[i]), with_le);
  }
  auto inf = ls;
  inf.emplace_back("le", "+Inf");
  sample(name + "_bucket", static_cast<double>(h.count), inf);
  sample(name + "_sum", h.sum, ls);
  sample(name + "_count", static_cast<double>(h.count), ls);
}

} // namespace acfts
