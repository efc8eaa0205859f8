#include "config/lock_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <unistd.h>

#include "config/detail/hex_text.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

constexpr const char* header = "acfts-locks-v1 ";

caf::error file_error(const std::string& path, const std::string& what) {
  return make_error(ec::invalid_tx_file, path + ": " + what);
}

} // namespace

caf::error write_lock_file(const std::string& path, const lock_export& set) {
  if (::access(path.c_str(), F_OK) == 0)
    return file_error(path, "exists already (not overwritten)");
  auto temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << header << to_hex_text(encode(set.seal)) << '\n';
    for (const auto& req : set.requests)
      out << to_hex_text(encode(req)) << '\n';
    if (!out.flush())
      return file_error(temp, std::string{"cannot write: "} + std::strerror(errno));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return file_error(path, std::string{"cannot write: "} + std::strerror(errno));
  }
  return caf::none;
}

caf::expected<lock_export> read_lock_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return file_error(path, std::string{"cannot open: "} + std::strerror(errno));
  lock_export out;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line.rfind(header, 0) != 0)
        return file_error(path, std::string{"not a lock file (it does not start with \""} + header
                                  + "\")");
      line = line.substr(std::strlen(header));
    }
    auto raw = from_hex_text(line);
    if (!raw)
      return file_error(path, "line " + std::to_string(number) + " is not hex");
    if (number == 1) {
      auto seal = decode<seal_statement>(*raw);
      if (!seal)
        return make_error(code_of(seal.error()), path + ": the seal: " + describe(seal.error()));
      out.seal = *seal;
      continue;
    }
    auto req = decode<sign_request>(*raw);
    if (!req)
      return make_error(code_of(req.error()),
                        path + ": line " + std::to_string(number) + ": " + describe(req.error()));
    out.requests.push_back(std::move(*req));
  }
  if (number == 0)
    return file_error(path, "empty");
  return out;
}

} // namespace acfts
