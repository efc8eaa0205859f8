// An unknown subcommand named with the nearest one CLI11 knows ("did you mean 'pay'?"), instead
// of CLI11's "A subcommand is required".
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace acfts {

/// The edit distance of `a` and `b` (insertions, deletions, substitutions).
inline size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

/// For a command line whose word after a command that needs a subcommand is none of its
/// subcommands: "unknown command 'tx stauts'; did you mean 'tx status'?" (or the list of them).
inline std::optional<std::string> unknown_subcommand(CLI::App& app, int argc, char** argv) {
  CLI::App* at = &app;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.empty() || word[0] == '-')
      return std::nullopt; // options (and --help, --version) are CLI11's
    auto subs = at->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty())
      return std::nullopt;
    CLI::App* next = nullptr;
    for (auto* s : subs)
      if (s->check_name(word))
        next = s;
    if (next == nullptr) {
      if (at->get_require_subcommand_min() == 0)
        return std::nullopt; // a positional argument, for CLI11 to judge
      std::string best, all;
      size_t best_distance = SIZE_MAX;
      for (auto* s : subs) {
        auto d = edit_distance(word, s->get_name());
        if (d < best_distance) {
          best_distance = d;
          best = s->get_name();
        }
        all += (all.empty() ? "" : ", ") + s->get_name();
      }
      auto line = "unknown command '" + path + word + "'";
      if (best_distance <= std::max<size_t>(2, word.size() / 3))
        line += "; did you mean '" + path + best + "'?";
      else
        line += "; the commands are: " + all;
      return line;
    }
    path += word + " ";
    at = next;
  }
  return std::nullopt;
}

} // namespace acfts
