// The msgpack reading and writing that messages/codec.cpp and messages/control.cpp share: a
// writer, strict readers of msgpack objects, and the one decode routine (limits, trailing
// bytes, the canonical-form check). Not for use outside messages/.
#pragma once

#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <msgpack.hpp>

#include "messages/committee.hpp"
#include "messages/committee_change.hpp"
#include "messages/equivocation.hpp"
#include "messages/error.hpp"
#include "messages/limits.hpp"
#include "messages/requests.hpp"
#include "messages/transaction.hpp"

namespace acfts {

using bytes = std::vector<char>;

namespace detail {

struct decode_failure : std::runtime_error {
  ec code;
  decode_failure(ec c, const std::string& what) : std::runtime_error(what), code(c) {}
};

[[noreturn]] inline void fail(const std::string& what) {
  throw decode_failure(ec::malformed_message, what);
}

struct writer {
  explicit writer(bytes& out) : buf(out), pk(*this) {}

  // msgpack::packer's stream interface.
  void write(const char* data, size_t n) { buf.insert(buf.end(), data, data + n); }

  bytes& buf;
  msgpack::packer<writer> pk;
};

// Every wire type's writer and reader (messages/codec.cpp).
#define ACFTS_DECLARE(T)                                                                           \
  void write(writer& w, const T& x);                                                               \
  void read(const msgpack::object& o, T& x);
ACFTS_DECLARE(output_ref)
ACFTS_DECLARE(output)
ACFTS_DECLARE(transaction)
ACFTS_DECLARE(witness)
ACFTS_DECLARE(merkle_path)
ACFTS_DECLARE(validator_signature)
ACFTS_DECLARE(certificate)
ACFTS_DECLARE(certified_transaction)
ACFTS_DECLARE(sign_request)
ACFTS_DECLARE(equivocation_proof)
ACFTS_DECLARE(conflict_entry)
ACFTS_DECLARE(committee_member)
ACFTS_DECLARE(policy)
ACFTS_DECLARE(leaf_signature)
ACFTS_DECLARE(policy_witness)
#undef ACFTS_DECLARE

// -- reading helpers ----------------------------------------------------------------------------

inline const msgpack::object* array_of(const msgpack::object& o, uint32_t n, const char* what) {
  if (o.type != msgpack::type::ARRAY)
    fail(std::string(what) + ": expected an array");
  if (o.via.array.size != n)
    fail(std::string(what) + ": expected " + std::to_string(n) + " fields, got "
         + std::to_string(o.via.array.size));
  return o.via.array.ptr;
}

template <class T>
T read_uint(const msgpack::object& o, const char* what) {
  if (o.type != msgpack::type::POSITIVE_INTEGER)
    fail(std::string(what) + ": expected an unsigned integer");
  if (o.via.u64 > std::numeric_limits<T>::max())
    fail(std::string(what) + ": value out of range");
  return static_cast<T>(o.via.u64);
}

inline std::string read_string(const msgpack::object& o, size_t max, const char* what) {
  if (o.type != msgpack::type::STR)
    fail(std::string(what) + ": expected a string");
  if (o.via.str.size > max)
    fail(std::string(what) + ": longer than " + std::to_string(max));
  return std::string(o.via.str.ptr, o.via.str.size);
}

template <size_t N, class Tag>
void read(const msgpack::object& o, fixed_bytes<N, Tag>& x) {
  if (o.type != msgpack::type::BIN || o.via.bin.size != N)
    fail("expected " + std::to_string(N) + " bytes");
  std::memcpy(x.bytes.data(), o.via.bin.ptr, N);
}

template <class T>
void read(const msgpack::object& o, std::vector<T>& xs, size_t max, const char* what) {
  if (o.type != msgpack::type::ARRAY)
    fail(std::string(what) + ": expected an array");
  if (o.via.array.size > max)
    fail(std::string(what) + ": more than " + std::to_string(max) + " entries");
  xs.resize(o.via.array.size);
  for (size_t i = 0; i < xs.size(); ++i)
    read(o.via.array.ptr[i], xs[i]);
}

// -- per type -----------------------------------------------------------------------------------

template <size_t N, class Tag>
void write(writer& w, const fixed_bytes<N, Tag>& x) {
  w.pk.pack_bin(N);
  w.pk.pack_bin_body(reinterpret_cast<const char*>(x.data()), N);
}

template <class T>
void write(writer& w, const std::vector<T>& xs) {
  w.pk.pack_array(static_cast<uint32_t>(xs.size()));
  for (const auto& x : xs)
    write(w, x);
}

/// Decodes exactly one T spanning [data, data + size) under `unpack` limits with `read_fn(object,
/// T&)`, accepting only the bytes `write_fn(writer&, const T&)` writes for it. Never throws.
template <class T, class Read, class Write>
caf::expected<T> decode_canonical(const char* data, size_t size, size_t max_bytes,
                                  const msgpack::unpack_limit& unpack, Read read_fn,
                                  Write write_fn) {
  if (size > max_bytes)
    return make_error(ec::message_too_large, std::to_string(size) + " bytes");
  if (size == 0)
    return make_error(ec::malformed_message, "empty message");
  try {
    size_t offset = 0;
    auto handle = msgpack::unpack(data, size, offset, nullptr, nullptr, unpack);
    if (offset != size)
      return make_error(ec::malformed_message, std::to_string(size - offset) + " trailing bytes");
    T x;
    read_fn(handle.get(), x);
    // One object, one byte string: what decodes must be exactly what `write` writes (integers,
    // lengths and widths in msgpack's smallest form), or a transaction would have several
    // encodings, and stores and audits could not compare bytes.
    bytes again;
    again.reserve(size);
    writer w{again};
    write_fn(w, x);
    if (again.size() != size || std::memcmp(again.data(), data, size) != 0)
      return make_error(ec::non_canonical, "an integer, length or width is not in its smallest "
                                           "form");
    return x;
  } catch (const decode_failure& e) {
    return make_error(e.code, e.what());
  } catch (const msgpack::insufficient_bytes&) {
    return make_error(ec::malformed_message, "truncated");
  } catch (const std::bad_alloc&) {
    return make_error(ec::message_too_large, "allocation failed");
  } catch (const std::exception& e) {
    return make_error(ec::malformed_message, e.what());
  }
}

} // namespace detail

} // namespace acfts
