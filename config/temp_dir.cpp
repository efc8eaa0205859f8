#include "config/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "messages/error.hpp"

namespace acfts {

namespace fs = std::filesystem;

caf::expected<temp_dir> temp_dir::make(const std::string& what, const std::string& parent) {
  std::error_code ec_tmp;
  auto base = parent.empty() ? fs::temp_directory_path(ec_tmp) : fs::path(parent);
  if (ec_tmp)
    return make_error(ec::storage_error, "no temporary directory: " + ec_tmp.message());
  auto pattern = (base / ("acfts-" + what + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return make_error(ec::storage_error, "cannot create a temporary directory under "
                                           + base.string() + ": " + std::strerror(errno));
  return temp_dir{std::move(pattern)};
}

temp_dir::temp_dir(temp_dir&& other) noexcept : path_(std::move(other.path_)), keep_(other.keep_) {
  other.path_.clear();
}

temp_dir& temp_dir::operator=(temp_dir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    keep_ = other.keep_;
    other.path_.clear();
  }
  return *this;
}

temp_dir::~temp_dir() {
  remove();
}

void temp_dir::remove() {
  if (path_.empty() || keep_)
    return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
  path_.clear();
}

} // namespace acfts
