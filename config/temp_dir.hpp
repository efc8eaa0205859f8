// A fresh directory for stores that live only as long as a run: the demo, the bench, the soak,
// the library example and the tests. Made with mkdtemp, so two runs never share one.
#pragma once

#include <string>

#include <caf/expected.hpp>

namespace acfts {

class temp_dir {
public:
  /// Creates `<parent>/acfts-<what>-XXXXXX` (`parent` empty: the system's temporary directory).
  /// Errors: ec::storage_error naming the parent and the reason.
  static caf::expected<temp_dir> make(const std::string& what, const std::string& parent = "");

  temp_dir(temp_dir&& other) noexcept;
  temp_dir& operator=(temp_dir&& other) noexcept;
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  /// Removes the directory and everything below it, unless kept.
  ~temp_dir();

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  /// Leaves the directory on disk when this object goes.
  void keep() { keep_ = true; }

private:
  explicit temp_dir(std::string path) : path_(std::move(path)) {}
  void remove();

  std::string path_;
  bool keep_ = false;
};

} // namespace acfts
