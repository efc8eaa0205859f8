// The control port's encoding: each struct of messages/control.hpp as a msgpack array of its
// `fields()`, the request variant as [tag, body], wire objects of messages/ as codec.cpp writes
// them. Canonical and strict like every other decoder (detail::decode_canonical).
#include "messages/control.hpp"

#include <type_traits>

#include "messages/detail/msgpack_io.hpp"

namespace acfts {

namespace {

using detail::writer;

// Every overload first, so that the templates below see them all.
void put(writer& w, const std::string& x);
void put(writer& w, bool x);
void put(writer& w, uint64_t x);
void put(writer& w, amount x);
template <size_t N, class Tag>
void put(writer& w, const fixed_bytes<N, Tag>& x);
void put(writer& w, const sign_request& x);
void put(writer& w, const certified_transaction& x);
void put(writer& w, const equivocation_proof& x);
template <class T>
void put(writer& w, const std::vector<T>& xs);
template <class T, class = decltype(std::declval<const T&>().fields())>
void put(writer& w, const T& x);
void put(writer& w, const control_request& x);

void get(const msgpack::object& o, std::string& x);
void get(const msgpack::object& o, bool& x);
void get(const msgpack::object& o, uint64_t& x);
void get(const msgpack::object& o, amount& x);
template <size_t N, class Tag>
void get(const msgpack::object& o, fixed_bytes<N, Tag>& x);
void get(const msgpack::object& o, sign_request& x);
void get(const msgpack::object& o, certified_transaction& x);
void get(const msgpack::object& o, equivocation_proof& x);
template <class T>
void get(const msgpack::object& o, std::vector<T>& xs);
template <class T, class = decltype(std::declval<T&>().fields())>
void get(const msgpack::object& o, T& x);
void get(const msgpack::object& o, control_request& x);

/// Lists in answers (a wallet's history, its backup) may be long; a message stays bounded.
constexpr size_t max_list = 1u << 20;

void put(writer& w, const std::string& x) {
  w.pk.pack_str(static_cast<uint32_t>(x.size()));
  w.pk.pack_str_body(x.data(), static_cast<uint32_t>(x.size()));
}

void put(writer& w, bool x) {
  if (x)
    w.pk.pack_true();
  else
    w.pk.pack_false();
}

void put(writer& w, uint64_t x) {
  w.pk.pack_uint64(x);
}

void put(writer& w, amount x) {
  w.pk.pack_uint64(x.units());
}

template <size_t N, class Tag>
void put(writer& w, const fixed_bytes<N, Tag>& x) {
  detail::write(w, x);
}

void put(writer& w, const sign_request& x) {
  detail::write(w, x);
}

void put(writer& w, const certified_transaction& x) {
  detail::write(w, x);
}

void put(writer& w, const equivocation_proof& x) {
  detail::write(w, x);
}

template <class T>
void put(writer& w, const std::vector<T>& xs) {
  w.pk.pack_array(static_cast<uint32_t>(xs.size()));
  for (const auto& x : xs)
    put(w, x);
}

template <class T, class>
void put(writer& w, const T& x) {
  auto fs = x.fields();
  w.pk.pack_array(static_cast<uint32_t>(std::tuple_size_v<decltype(fs)>));
  std::apply([&](const auto&... f) { (put(w, f), ...); }, fs);
}

void put(writer& w, const control_request& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint64(x.index());
  std::visit([&](const auto& body) { put(w, body); }, x);
}

void get(const msgpack::object& o, std::string& x) {
  x = detail::read_string(o, limits::max_message_bytes, "control string");
}

void get(const msgpack::object& o, bool& x) {
  if (o.type != msgpack::type::BOOLEAN)
    detail::fail("control: expected true or false");
  x = o.via.boolean;
}

void get(const msgpack::object& o, uint64_t& x) {
  x = detail::read_uint<uint64_t>(o, "control integer");
}

void get(const msgpack::object& o, amount& x) {
  x = amount{detail::read_uint<uint64_t>(o, "control amount")};
}

template <size_t N, class Tag>
void get(const msgpack::object& o, fixed_bytes<N, Tag>& x) {
  detail::read(o, x);
}

void get(const msgpack::object& o, sign_request& x) {
  detail::read(o, x);
}

void get(const msgpack::object& o, certified_transaction& x) {
  detail::read(o, x);
}

void get(const msgpack::object& o, equivocation_proof& x) {
  detail::read(o, x);
}

template <class T>
void get(const msgpack::object& o, std::vector<T>& xs) {
  if (o.type != msgpack::type::ARRAY)
    detail::fail("control list: expected an array");
  if (o.via.array.size > max_list)
    detail::fail("control list: more than " + std::to_string(max_list) + " entries");
  xs.resize(o.via.array.size);
  for (size_t i = 0; i < xs.size(); ++i)
    get(o.via.array.ptr[i], xs[i]);
}

template <class T, class>
void get(const msgpack::object& o, T& x) {
  auto fs = x.fields();
  constexpr auto n = std::tuple_size_v<decltype(fs)>;
  auto f = detail::array_of(o, static_cast<uint32_t>(n), "control message");
  size_t i = 0;
  std::apply([&](auto&... field) { (get(f[i++], field), ...); }, fs);
}

template <size_t I = 0>
void get_alternative(const msgpack::object& o, size_t tag, control_request& x) {
  if constexpr (I < std::variant_size_v<control_request>) {
    if (tag == I) {
      std::variant_alternative_t<I, control_request> body;
      get(o, body);
      x = std::move(body);
      return;
    }
    get_alternative<I + 1>(o, tag, x);
  } else {
    throw detail::decode_failure(ec::malformed_message,
                                 "control request: unknown tag " + std::to_string(tag));
  }
}

void get(const msgpack::object& o, control_request& x) {
  auto f = detail::array_of(o, 2, "control request");
  get_alternative(f[1], detail::read_uint<size_t>(f[0], "control request tag"), x);
}

/// Requests: bounded as the validators' wire (a submitted request is the largest).
const msgpack::unpack_limit request_limits{/*array*/ limits::max_committee + limits::max_inputs,
                                           /*map*/ 0,
                                           /*str*/ limits::max_endpoint_chars,
                                           /*bin*/ 64,
                                           /*ext*/ 0,
                                           /*depth*/ 32};

/// Replies come from the wallet node the client chose: long lists and store records.
const msgpack::unpack_limit reply_limits{/*array*/ max_list,
                                         /*map*/ 0,
                                         /*str*/ limits::max_message_bytes,
                                         /*bin*/ 64,
                                         /*ext*/ 0,
                                         /*depth*/ 32};

/// A backup is as large as the wallet's store.
constexpr size_t max_reply_bytes = size_t{1} << 30;

template <class T>
caf::expected<T> decode_with(const std::vector<char>& raw, size_t max_bytes,
                             const msgpack::unpack_limit& unpack) {
  return detail::decode_canonical<T>(
    raw.data(), raw.size(), max_bytes, unpack, [](const msgpack::object& o, T& x) { get(o, x); },
    [](writer& w, const T& x) { put(w, x); });
}

} // namespace

std::vector<char> encode_control(const control_request& x) {
  std::vector<char> out;
  writer w{out};
  put(w, x);
  return out;
}

caf::expected<control_request> decode_control(const std::vector<char>& raw) {
  return decode_with<control_request>(raw, limits::max_message_bytes, request_limits);
}

template <class Reply>
std::vector<char> encode_reply(const Reply& x) {
  std::vector<char> out;
  writer w{out};
  put(w, x);
  return out;
}

template <class Reply>
caf::expected<Reply> decode_reply(const std::vector<char>& raw) {
  return decode_with<Reply>(raw, max_reply_bytes, reply_limits);
}

namespace detail {

/// Every request's reply type gets its encoder and decoder here, so that a new request needs
/// no line in this file.
template <class Variant>
struct reply_codecs;

template <class... Requests>
struct reply_codecs<std::variant<Requests...>> {
  static constexpr auto encoders = std::make_tuple(&encode_reply<typename Requests::reply>...);
  static constexpr auto decoders = std::make_tuple(&decode_reply<typename Requests::reply>...);
};

} // namespace detail

template struct detail::reply_codecs<control_request>;

} // namespace acfts
