// The one place that knows msgpack. Every wire type has a `write` (packer) and a `read`
// (msgpack::object → struct) here; `read` throws `decode_failure`, which `decode` turns into an
// error value, so no exception crosses the module boundary.
#include "messages/codec.hpp"

#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include <msgpack.hpp>

#include "messages/error.hpp"
#include "messages/limits.hpp"

namespace acfts {

namespace {

struct decode_failure : std::runtime_error {
  ec code;
  decode_failure(ec c, const std::string& what) : std::runtime_error(what), code(c) {}
};

[[noreturn]] void fail(const std::string& what) {
  throw decode_failure(ec::malformed_message, what);
}

struct writer {
  explicit writer(bytes& out) : buf(out), pk(*this) {}

  // msgpack::packer's stream interface.
  void write(const char* data, size_t n) { buf.insert(buf.end(), data, data + n); }

  bytes& buf;
  msgpack::packer<writer> pk;
};

// Forward declarations: the vector helpers below call these before their definitions.
#define ACFTS_DECLARE(T)                                                                           \
  void write(writer& w, const T& x);                                                               \
  void read(const msgpack::object& o, T& x);
ACFTS_DECLARE(output_ref)
ACFTS_DECLARE(output)
ACFTS_DECLARE(transaction)
ACFTS_DECLARE(witness)
ACFTS_DECLARE(validator_signature)
ACFTS_DECLARE(certificate)
ACFTS_DECLARE(certified_transaction)
ACFTS_DECLARE(conflict_entry)
ACFTS_DECLARE(committee_member)
#undef ACFTS_DECLARE

// -- reading helpers ----------------------------------------------------------------------------

const msgpack::object* array_of(const msgpack::object& o, uint32_t n, const char* what) {
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

std::string read_string(const msgpack::object& o, size_t max, const char* what) {
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

void write(writer& w, const output_ref& x) {
  w.pk.pack_array(2);
  write(w, x.tx);
  w.pk.pack_uint32(x.index);
}

void read(const msgpack::object& o, output_ref& x) {
  auto f = array_of(o, 2, "output_ref");
  read(f[0], x.tx);
  x.index = read_uint<uint32_t>(f[1], "output_ref.index");
}

void write(writer& w, const output& x) {
  w.pk.pack_array(2);
  write(w, x.owner);
  w.pk.pack_uint64(x.value.units());
}

void read(const msgpack::object& o, output& x) {
  auto f = array_of(o, 2, "output");
  read(f[0], x.owner);
  x.value = read_uint<uint64_t>(f[1], "output.amount");
}

void write(writer& w, const transaction& x) {
  w.pk.pack_array(3);
  w.pk.pack_uint8(x.version);
  write(w, x.inputs);
  write(w, x.outputs);
}

void read(const msgpack::object& o, transaction& x) {
  auto f = array_of(o, 3, "transaction");
  x.version = read_uint<uint8_t>(f[0], "transaction.version");
  if (x.version != limits::transaction_version)
    throw decode_failure(ec::unsupported_version,
                         "transaction version " + std::to_string(x.version));
  read(f[1], x.inputs, limits::max_inputs, "transaction.inputs");
  read(f[2], x.outputs, limits::max_outputs, "transaction.outputs");
}

void write(writer& w, const witness& x) {
  w.pk.pack_array(2);
  write(w, x.owner_key);
  write(w, x.sig);
}

void read(const msgpack::object& o, witness& x) {
  auto f = array_of(o, 2, "witness");
  read(f[0], x.owner_key);
  read(f[1], x.sig);
}

void write(writer& w, const validator_signature& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint16(x.validator_index);
  write(w, x.sig);
}

void read(const msgpack::object& o, validator_signature& x) {
  auto f = array_of(o, 2, "validator_signature");
  x.validator_index = read_uint<uint16_t>(f[0], "validator_signature.index");
  read(f[1], x.sig);
}

void write(writer& w, const certificate& x) {
  w.pk.pack_array(2);
  write(w, x.tx_hash);
  write(w, x.sigs);
}

void read(const msgpack::object& o, certificate& x) {
  auto f = array_of(o, 2, "certificate");
  read(f[0], x.tx_hash);
  read(f[1], x.sigs, limits::max_committee, "certificate.sigs");
}

void write(writer& w, const certified_transaction& x) {
  w.pk.pack_array(2);
  write(w, x.tx);
  write(w, x.cert);
}

void read(const msgpack::object& o, certified_transaction& x) {
  auto f = array_of(o, 2, "certified_transaction");
  read(f[0], x.tx);
  read(f[1], x.cert);
}

void write(writer& w, const sign_request& x) {
  w.pk.pack_array(4);
  write(w, x.committee_id);
  write(w, x.tx);
  write(w, x.witnesses);
  write(w, x.parents);
}

void read(const msgpack::object& o, sign_request& x) {
  auto f = array_of(o, 4, "sign_request");
  read(f[0], x.committee_id);
  read(f[1], x.tx);
  read(f[2], x.witnesses, limits::max_inputs, "sign_request.witnesses");
  read(f[3], x.parents, limits::max_inputs, "sign_request.parents");
}

void write(writer& w, const signed_reply& x) {
  w.pk.pack_array(3);
  w.pk.pack_uint16(x.validator_index);
  write(w, x.tx_hash);
  write(w, x.sig);
}

void read(const msgpack::object& o, signed_reply& x) {
  auto f = array_of(o, 3, "signed_reply");
  x.validator_index = read_uint<uint16_t>(f[0], "signed_reply.validator_index");
  read(f[1], x.tx_hash);
  read(f[2], x.sig);
}

void write(writer& w, const conflict_entry& x) {
  w.pk.pack_array(2);
  write(w, x.input);
  write(w, x.other_tx);
}

void read(const msgpack::object& o, conflict_entry& x) {
  auto f = array_of(o, 2, "conflict_entry");
  read(f[0], x.input);
  read(f[1], x.other_tx);
}

void write(writer& w, const rejected_reply& x) {
  w.pk.pack_array(5);
  w.pk.pack_uint16(x.validator_index);
  write(w, x.tx_hash);
  w.pk.pack_uint16(x.code);
  w.pk.pack_str(static_cast<uint32_t>(x.detail.size()));
  w.pk.pack_str_body(x.detail.data(), x.detail.size());
  write(w, x.conflicts);
}

void read(const msgpack::object& o, rejected_reply& x) {
  auto f = array_of(o, 5, "rejected_reply");
  x.validator_index = read_uint<uint16_t>(f[0], "rejected_reply.validator_index");
  read(f[1], x.tx_hash);
  x.code = read_uint<uint16_t>(f[2], "rejected_reply.code");
  x.detail = read_string(f[3], limits::max_detail_chars, "rejected_reply.detail");
  read(f[4], x.conflicts, limits::max_inputs, "rejected_reply.conflicts");
}

void write(writer& w, const sign_reply& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint8(static_cast<uint8_t>(x.index()));
  if (auto s = std::get_if<signed_reply>(&x))
    write(w, *s);
  else
    write(w, std::get<rejected_reply>(x));
}

void read(const msgpack::object& o, sign_reply& x) {
  auto f = array_of(o, 2, "sign_reply");
  switch (read_uint<uint8_t>(f[0], "sign_reply.tag")) {
    case 0: {
      signed_reply s;
      read(f[1], s);
      x = std::move(s);
      break;
    }
    case 1: {
      rejected_reply r;
      read(f[1], r);
      x = std::move(r);
      break;
    }
    default:
      fail("sign_reply: unknown tag");
  }
}

void write(writer& w, const committee_member& x) {
  w.pk.pack_array(3);
  w.pk.pack_str(static_cast<uint32_t>(x.name.size()));
  w.pk.pack_str_body(x.name.data(), x.name.size());
  write(w, x.key);
  w.pk.pack_str(static_cast<uint32_t>(x.endpoint.size()));
  w.pk.pack_str_body(x.endpoint.data(), x.endpoint.size());
}

void read(const msgpack::object& o, committee_member& x) {
  auto f = array_of(o, 3, "committee_member");
  x.name = read_string(f[0], limits::max_name_chars, "committee_member.name");
  read(f[1], x.key);
  x.endpoint = read_string(f[2], limits::max_endpoint_chars, "committee_member.endpoint");
}

void write(writer& w, const committee& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint32(x.f);
  write(w, x.members);
}

void read(const msgpack::object& o, committee& x) {
  auto f = array_of(o, 2, "committee");
  x.f = read_uint<uint32_t>(f[0], "committee.f");
  read(f[1], x.members, limits::max_committee, "committee.members");
}

void write(writer& w, const genesis& x) {
  w.pk.pack_array(1);
  write(w, x.tx);
}

void read(const msgpack::object& o, genesis& x) {
  auto f = array_of(o, 1, "genesis");
  read(f[0], x.tx);
}

// No maps or extensions anywhere; arrays and byte strings bounded by the largest legal message.
const msgpack::unpack_limit decode_limits{/*array*/ limits::max_committee + limits::max_inputs,
                                          /*map*/ 0,
                                          /*str*/ limits::max_endpoint_chars
                                            + limits::max_detail_chars,
                                          /*bin*/ 64,
                                          /*ext*/ 0,
                                          /*depth*/ 16};

} // namespace

template <class T>
void encode_into(bytes& out, const T& x) {
  writer w{out};
  write(w, x);
}

template <class T>
bytes encode(const T& x) {
  bytes out;
  out.reserve(256);
  encode_into(out, x);
  return out;
}

template <class T>
caf::expected<T> decode(const char* data, size_t size) {
  if (size > limits::max_message_bytes)
    return make_error(ec::message_too_large, std::to_string(size) + " bytes");
  if (size == 0)
    return make_error(ec::malformed_message, "empty message");
  try {
    size_t offset = 0;
    auto handle = msgpack::unpack(data, size, offset, nullptr, nullptr, decode_limits);
    if (offset != size)
      return make_error(ec::malformed_message, std::to_string(size - offset) + " trailing bytes");
    T x;
    read(handle.get(), x);
    // One object, one byte string: what decodes must be exactly what `encode` writes (integers,
    // lengths and widths in msgpack's smallest form), or a transaction would have several
    // encodings, and stores and audits could not compare bytes.
    bytes again;
    again.reserve(size);
    encode_into(again, x);
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

#define ACFTS_CODEC(T)                                                                             \
  template bytes encode<T>(const T&);                                                              \
  template void encode_into<T>(bytes&, const T&);                                                  \
  template caf::expected<T> decode<T>(const char*, size_t);

ACFTS_CODEC(output_ref)
ACFTS_CODEC(output)
ACFTS_CODEC(transaction)
ACFTS_CODEC(witness)
ACFTS_CODEC(certificate)
ACFTS_CODEC(certified_transaction)
ACFTS_CODEC(sign_request)
ACFTS_CODEC(signed_reply)
ACFTS_CODEC(rejected_reply)
ACFTS_CODEC(sign_reply)
ACFTS_CODEC(committee)
ACFTS_CODEC(genesis)

} // namespace acfts
