#include "messages/part_link.hpp"

#include "messages/detail/msgpack_io.hpp"

namespace acfts {

namespace detail {

void write(writer& w, const conflict_entry& x); // codec.cpp
void read(const msgpack::object& o, conflict_entry& x);

namespace {

using detail::read;
using detail::write;

// Calls are at most a transaction's inputs; results at most its conflicts and a detail line.
const msgpack::unpack_limit part_limits{/*array*/ limits::max_inputs + 8,
                                        /*map*/ 0,
                                        /*str*/ limits::max_detail_chars,
                                        /*bin*/ 64,
                                        /*ext*/ 0,
                                        /*depth*/ 8};

void write(writer& w, const shard_call& x) {
  w.pk.pack_array(4);
  w.pk.pack_uint8(x.op);
  w.pk.pack_uint64(x.counter);
  write(w, x.tx);
  write(w, x.inputs);
}

void read(const msgpack::object& o, shard_call& x) {
  auto f = array_of(o, 4, "shard_call");
  x.op = read_uint<uint8_t>(f[0], "shard_call.op");
  if (x.op > shard_call::release)
    fail("shard_call.op: unknown operation");
  x.counter = read_uint<uint64_t>(f[1], "shard_call.counter");
  read(f[2], x.tx);
  read(f[3], x.inputs, limits::max_inputs, "shard_call.inputs");
}

void write(writer& w, const shard_result& x) {
  w.pk.pack_array(5);
  w.pk.pack_uint64(x.counter);
  w.pk.pack_uint8(x.kind);
  write(w, x.conflicts);
  w.pk.pack_uint16(x.code);
  w.pk.pack_str(static_cast<uint32_t>(x.detail.size()));
  w.pk.pack_str_body(x.detail.data(), static_cast<uint32_t>(x.detail.size()));
}

void read(const msgpack::object& o, shard_result& x) {
  auto f = array_of(o, 5, "shard_result");
  x.counter = read_uint<uint64_t>(f[0], "shard_result.counter");
  x.kind = read_uint<uint8_t>(f[1], "shard_result.kind");
  if (x.kind > 2)
    fail("shard_result.kind: unknown kind");
  read(f[2], x.conflicts, limits::max_inputs, "shard_result.conflicts");
  x.code = read_uint<uint16_t>(f[3], "shard_result.code");
  x.detail = read_string(f[4], limits::max_detail_chars, "shard_result.detail");
}

// A verifier's call carries a batch of sign requests; its result a verdict for each: at most a
// detail line and a request's parents.
const msgpack::unpack_limit verify_limits{/*array*/ limits::max_inputs + 8,
                                          /*map*/ 0,
                                          /*str*/ limits::max_detail_chars,
                                          /*bin*/ limits::max_message_bytes,
                                          /*ext*/ 0,
                                          /*depth*/ 8};
static_assert(limits::max_verify_batch <= limits::max_inputs + 8);

const msgpack::unpack_limit& limits_of(const shard_call&) {
  return part_limits;
}
const msgpack::unpack_limit& limits_of(const shard_result&) {
  return part_limits;
}
const msgpack::unpack_limit& limits_of(const verify_call&) {
  return verify_limits;
}
const msgpack::unpack_limit& limits_of(const verify_result&) {
  return verify_limits;
}

/// The elements of `o`, an array of 1 to limits::max_verify_batch.
const msgpack::object* batch_of(const msgpack::object& o, const char* what) {
  if (o.type != msgpack::type::ARRAY || o.via.array.size == 0
      || o.via.array.size > limits::max_verify_batch)
    fail(std::string(what) + ": expected 1 to " + std::to_string(limits::max_verify_batch)
         + " entries");
  return o.via.array.ptr;
}

void write(writer& w, const verify_call& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint64(x.counter);
  w.pk.pack_array(static_cast<uint32_t>(x.requests.size()));
  for (const auto& r : x.requests) {
    w.pk.pack_bin(static_cast<uint32_t>(r.size()));
    w.pk.pack_bin_body(r.data(), static_cast<uint32_t>(r.size()));
  }
}

void read(const msgpack::object& o, verify_call& x) {
  auto f = array_of(o, 2, "verify_call");
  x.counter = read_uint<uint64_t>(f[0], "verify_call.counter");
  auto rs = batch_of(f[1], "verify_call.requests");
  for (uint32_t i = 0; i < f[1].via.array.size; ++i) {
    if (rs[i].type != msgpack::type::BIN)
      fail("verify_call.requests: expected bytes");
    x.requests.emplace_back(rs[i].via.bin.ptr, rs[i].via.bin.ptr + rs[i].via.bin.size);
  }
}

void write(writer& w, const verify_verdict& x) {
  w.pk.pack_array(3);
  w.pk.pack_uint16(x.code);
  w.pk.pack_str(static_cast<uint32_t>(x.detail.size()));
  w.pk.pack_str_body(x.detail.data(), static_cast<uint32_t>(x.detail.size()));
  w.pk.pack_array(static_cast<uint32_t>(x.past_parents.size()));
  for (auto i : x.past_parents)
    w.pk.pack_uint32(i);
}

void read(const msgpack::object& o, verify_verdict& x) {
  auto f = array_of(o, 3, "verify_verdict");
  x.code = read_uint<uint16_t>(f[0], "verify_verdict.code");
  x.detail = read_string(f[1], limits::max_detail_chars, "verify_verdict.detail");
  if (f[2].type != msgpack::type::ARRAY || f[2].via.array.size > limits::max_inputs)
    fail("verify_verdict.past_parents: expected at most " + std::to_string(limits::max_inputs)
         + " indices");
  for (uint32_t i = 0; i < f[2].via.array.size; ++i)
    x.past_parents.push_back(
      read_uint<uint32_t>(f[2].via.array.ptr[i], "verify_verdict.past_parents"));
}

void write(writer& w, const verify_result& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint64(x.counter);
  w.pk.pack_array(static_cast<uint32_t>(x.verdicts.size()));
  for (const auto& v : x.verdicts)
    write(w, v);
}

void read(const msgpack::object& o, verify_result& x) {
  auto f = array_of(o, 2, "verify_result");
  x.counter = read_uint<uint64_t>(f[0], "verify_result.counter");
  auto vs = batch_of(f[1], "verify_result.verdicts");
  x.verdicts.resize(f[1].via.array.size);
  for (uint32_t i = 0; i < f[1].via.array.size; ++i)
    read(vs[i], x.verdicts[i]);
}

template <class T>
bytes encode_any(const T& x) {
  bytes out;
  out.reserve(64); // also spares GCC 12 a false -Wstringop-overflow on the first insert
  writer w{out};
  write(w, x);
  return out;
}

template <class T>
caf::expected<T> decode_any(const char* data, size_t size) {
  return decode_canonical<T>(
    data, size, limits::max_message_bytes + 64, limits_of(T{}),
    [](const msgpack::object& o, T& x) { read(o, x); }, [](writer& w, const T& x) { write(w, x); });
}

} // namespace

} // namespace detail

bytes encode_shard_call(const shard_call& x) {
  return detail::encode_any(x);
}

caf::expected<shard_call> decode_shard_call(const char* data, size_t size) {
  return detail::decode_any<shard_call>(data, size);
}

bytes encode_shard_result(const shard_result& x) {
  return detail::encode_any(x);
}

caf::expected<shard_result> decode_shard_result(const char* data, size_t size) {
  return detail::decode_any<shard_result>(data, size);
}

bytes encode_verify_call(const verify_call& x) {
  return detail::encode_any(x);
}

caf::expected<verify_call> decode_verify_call(const char* data, size_t size) {
  return detail::decode_any<verify_call>(data, size);
}

bytes encode_verify_result(const verify_result& x) {
  return detail::encode_any(x);
}

caf::expected<verify_result> decode_verify_result(const char* data, size_t size) {
  return detail::decode_any<verify_result>(data, size);
}

} // namespace acfts
