// A progress bar for long runs of `acfts bench`, on stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <string>

#include <unistd.h>

namespace acfts {

/// Shows "label [#####.....] done/total ETA" on stderr while `work` runs (on a terminal only;
/// elsewhere one line when the row starts).
template <class T>
T with_progress(const std::string& label, size_t total, std::atomic<size_t>& done,
                std::function<T()> work) {
  bool tty = ::isatty(STDERR_FILENO) != 0;
  if (!tty) {
    std::fprintf(stderr, "%s: %zu payments...\n", label.c_str(), total);
    return work();
  }
  auto fut = std::async(std::launch::async, std::move(work));
  auto start = std::chrono::steady_clock::now();
  while (fut.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
    size_t d = done.load();
    double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    int width = 30, filled = total ? static_cast<int>(width * d / total) : 0;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::string eta =
      d > 0 ? std::to_string(static_cast<int>(elapsed * (total - d) / d)) + "s" : "?";
    std::fprintf(stderr, "\r%-28s [%s] %zu/%zu ETA %-6s", label.c_str(), bar.c_str(), d, total,
                 eta.c_str());
  }
  std::fprintf(stderr, "\r%*s\r", 80, "");
  return fut.get();
}

} // namespace acfts
