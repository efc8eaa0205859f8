#include "config/tx_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <sodium.h>
#include <unistd.h>

#include "messages/codec.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

constexpr const char* header = "acfts-tx-v1 ";
/// Far above any request the decoder accepts; keeps a wrong file from being read whole.
constexpr size_t max_file_size = 4 << 20;

caf::error file_error(const std::string& path, const std::string& what) {
  return make_error(ec::invalid_tx_file, path + ": " + what);
}

} // namespace

caf::error write_tx_file(const std::string& path, const sign_request& req, bool replace) {
  if (!replace && ::access(path.c_str(), F_OK) == 0)
    return file_error(path, "exists already (not overwritten)");
  auto raw = encode(req);
  std::string text = header;
  std::string hex(2 * raw.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  text += hex;
  text += '\n';
  auto temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out || !(out << text) || !out.flush())
      return file_error(temp, std::string{"cannot write: "} + std::strerror(errno));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    auto why = std::string{"cannot replace: "} + std::strerror(errno);
    std::remove(temp.c_str());
    return file_error(path, why);
  }
  return caf::none;
}

caf::expected<sign_request> read_tx_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return file_error(path, std::string{"cannot open: "} + std::strerror(errno));
  std::string text;
  text.resize(max_file_size + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > max_file_size)
    return file_error(path, "too large for a transaction file");
  if (text.rfind(header, 0) != 0)
    return file_error(path, "not a transaction file (it does not start with \"acfts-tx-v1 \")");
  auto hex = std::string_view{text}.substr(std::strlen(header));
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r'))
    hex.remove_suffix(1);
  bytes raw(hex.size() / 2);
  size_t len = 0;
  const char* end = nullptr;
  if (hex.size() % 2 != 0
      || sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hex.data(),
                        hex.size(), nullptr, &len, &end)
           != 0
      || len != raw.size() || end != hex.data() + hex.size())
    return file_error(path, "the request is not hex");
  auto req = decode<sign_request>(raw);
  if (!req)
    return make_error(code_of(req.error()), path + ": " + describe(req.error()));
  return req;
}

} // namespace acfts
