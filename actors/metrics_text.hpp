// The Prometheus text exposition format (version 0.0.4), written by the actors that own the
// figures: each metric once, with HELP and TYPE, then its samples.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "persistence/histogram.hpp"

namespace acfts {

class metrics_text {
public:
  using labels = std::vector<std::pair<std::string, std::string>>;

  /// Starts metric `name` of `type` ("counter", "gauge", "histogram").
  void metric(const std::string& name, const std::string& type, const std::string& help);
  void sample(const std::string& name, double value, const labels& ls = {});
  void histogram(const std::string& name, const histogram_snapshot& h, const labels& ls = {});

  const std::string& text() const { return out_; }

private:
  std::string out_;
};

} // namespace acfts
