#include "config/tx_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "config/detail/hex_text.hpp"
#include "config/payment_uri.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

constexpr const char* tx_header = "acfts-tx-v1 ";
constexpr const char* certified_header = "acfts-certified-v1 ";
constexpr const char* change_header = "acfts-change-v1 ";
constexpr const char* seal_header = "acfts-seal-v1 ";
constexpr const char* proof_header = "acfts-equivocation-v1 ";
constexpr const char* creator_key = "creator ";
/// Far above any request the decoder accepts; keeps a wrong file from being read whole.
constexpr size_t max_file_size = 4 << 20;

caf::error file_error(const std::string& path, const std::string& what) {
  return make_error(ec::invalid_tx_file, path + ": " + what);
}

/// Writes "<header><hex of raw>\n" to `path` (a new file renamed over it).
caf::error write_hex_file(const std::string& path, const char* header, const bytes& raw,
                          bool replace, const std::string& trailer = {}) {
  if (!replace && ::access(path.c_str(), F_OK) == 0)
    return file_error(path, "exists already (not overwritten)");
  std::string text = header;
  text += to_hex_text(raw);
  text += '\n';
  text += trailer;
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

/// The bytes of a file written by write_hex_file with `header`.
caf::expected<bytes> read_hex_file(const std::string& path, const char* header,
                                   std::string* trailer = nullptr) {
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
    return file_error(path, std::string{"not the file expected (it does not start with \""} + header
                              + "\")");
  auto hex = std::string_view{text}.substr(std::strlen(header));
  if (auto eol = hex.find('\n'); eol != std::string_view::npos) {
    auto rest = hex.substr(eol + 1);
    if (!rest.empty() && trailer == nullptr)
      return file_error(path, "text after the first line");
    if (trailer != nullptr)
      *trailer = std::string{rest};
    hex = hex.substr(0, eol);
  }
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r'))
    hex.remove_suffix(1);
  auto raw = from_hex_text(hex);
  if (!raw)
    return file_error(path, "its content is not hex");
  return std::move(*raw);
}

/// Decodes the content of a hex file as T.
template <class T>
caf::expected<T> read_hex_file_as(const std::string& path, const char* header,
                                  std::string* trailer = nullptr) {
  auto raw = read_hex_file(path, header, trailer);
  if (!raw)
    return raw.error();
  auto x = decode<T>(*raw);
  if (!x)
    return make_error(code_of(x.error()), path + ": " + describe(x.error()));
  return x;
}

} // namespace

caf::error write_tx_file(const std::string& path, const sign_request& req, bool replace,
                         const std::string& creator) {
  return write_hex_file(path, tx_header, encode(req), replace,
                        creator.empty() ? std::string{} : creator_key + creator + "\n");
}

caf::expected<sign_request> read_tx_file(const std::string& path, std::string* creator) {
  std::string trailer;
  auto req = read_hex_file_as<sign_request>(path, tx_header, &trailer);
  if (!req)
    return req;
  while (!trailer.empty() && (trailer.back() == '\n' || trailer.back() == '\r'))
    trailer.pop_back();
  std::string where;
  if (!trailer.empty()) {
    if (trailer.rfind(creator_key, 0) != 0)
      return file_error(path, "the second line is not \"creator HOST:PORT\"");
    where = trailer.substr(std::strlen(creator_key));
    if (auto e = parse_endpoint(where); !e)
      return file_error(path, "creator: " + describe(e.error()));
  }
  if (creator != nullptr)
    *creator = std::move(where);
  return req;
}

caf::error write_certified_file(const std::string& path, const certified_transaction& ct) {
  return write_hex_file(path, certified_header, encode(ct), false);
}

caf::expected<certified_transaction> read_certified_file(const std::string& path) {
  return read_hex_file_as<certified_transaction>(path, certified_header);
}

caf::error write_change_file(const std::string& path, const change_request& req, bool replace) {
  return write_hex_file(path, change_header, encode(req), replace);
}

caf::expected<change_request> read_change_file(const std::string& path) {
  return read_hex_file_as<change_request>(path, change_header);
}

caf::error write_seal_file(const std::string& path, const seal_statement& s) {
  return write_hex_file(path, seal_header, encode(s), false);
}

caf::expected<seal_statement> read_seal_file(const std::string& path) {
  return read_hex_file_as<seal_statement>(path, seal_header);
}

caf::error write_proof_file(const std::string& path, const equivocation_proof& proof) {
  return write_hex_file(path, proof_header, encode(proof), false);
}

caf::expected<equivocation_proof> read_proof_file(const std::string& path) {
  return read_hex_file_as<equivocation_proof>(path, proof_header);
}

} // namespace acfts
