#include "messages/sign_batch.hpp"

#include "messages/detail/msgpack_io.hpp"

namespace acfts {

namespace {

using detail::fail;
using detail::writer;

// A batch holds at most max_sign_batch encodings; the whole of it stays within
// max_message_bytes, as a verifier's call does.
const msgpack::unpack_limit batch_limits{/*array*/ limits::max_sign_batch,
                                         /*map*/ 0,
                                         /*str*/ 0,
                                         /*bin*/ limits::max_message_bytes,
                                         /*ext*/ 0,
                                         /*depth*/ 2};

void write_all(writer& w, const std::vector<bytes>& xs) {
  w.pk.pack_array(static_cast<uint32_t>(xs.size()));
  for (const auto& x : xs) {
    w.pk.pack_bin(static_cast<uint32_t>(x.size()));
    w.pk.pack_bin_body(x.data(), static_cast<uint32_t>(x.size()));
  }
}

/// An array of 1 to max_sign_batch byte strings, each non-empty unless `empty_ok`.
void read_all(const msgpack::object& o, std::vector<bytes>& xs, bool empty_ok, const char* what) {
  if (o.type != msgpack::type::ARRAY || o.via.array.size == 0
      || o.via.array.size > limits::max_sign_batch)
    fail(std::string(what) + ": expected 1 to " + std::to_string(limits::max_sign_batch)
         + " entries");
  xs.reserve(o.via.array.size);
  for (uint32_t i = 0; i < o.via.array.size; ++i) {
    const auto& e = o.via.array.ptr[i];
    if (e.type != msgpack::type::BIN || (!empty_ok && e.via.bin.size == 0))
      fail(std::string(what) + ": expected bytes");
    xs.emplace_back(e.via.bin.ptr, e.via.bin.ptr + e.via.bin.size);
  }
}

bytes encode_all(const std::vector<bytes>& xs) {
  bytes out;
  out.reserve(64); // also spares GCC 12 a false -Wstringop-overflow on the first insert
  writer w{out};
  write_all(w, xs);
  return out;
}

} // namespace

bytes encode_sign_batch(const sign_batch& x) {
  return encode_all(x.requests);
}

caf::expected<sign_batch> decode_sign_batch(const char* data, size_t size) {
  return detail::decode_canonical<sign_batch>(
    data, size, limits::max_message_bytes + 64, batch_limits,
    [](const msgpack::object& o, sign_batch& x) { read_all(o, x.requests, false, "sign_batch"); },
    [](writer& w, const sign_batch& x) { write_all(w, x.requests); });
}

bytes encode_reply_batch(const reply_batch& x) {
  return encode_all(x.replies);
}

caf::expected<reply_batch> decode_reply_batch(const char* data, size_t size) {
  return detail::decode_canonical<reply_batch>(
    data, size, limits::max_message_bytes + 64, batch_limits,
    [](const msgpack::object& o, reply_batch& x) { read_all(o, x.replies, true, "reply_batch"); },
    [](writer& w, const reply_batch& x) { write_all(w, x.replies); });
}

} // namespace acfts
