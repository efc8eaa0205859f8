#include "protocol/part_link.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "messages/error.hpp"

namespace acfts {

namespace {

enum class direction : uint8_t { call = 1, result = 2 };

/// Which parts a link joins: the domain of its tags.
const std::string shard_domain = "acfts.part-link.v1";
const std::string verifier_domain = "acfts.verifier-link.v1";

/// What a tag covers: the domain, the link, the direction, then the message.
bytes tagged_bytes(const std::string& domain, const part_link_id& link, direction d,
                   const bytes& body) {
  bytes out;
  out.reserve(domain.size() + 32 + 2 + 8 + 1 + body.size());
  out.insert(out.end(), domain.begin(), domain.end());
  out.insert(out.end(), link.committee.bytes.begin(), link.committee.bytes.end());
  out.push_back(static_cast<char>(link.validator >> 8));
  out.push_back(static_cast<char>(link.validator));
  for (uint32_t x : {link.part, link.parts})
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<char>(x >> (24 - 8 * i)));
  out.push_back(static_cast<char>(d));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

bytes seal(const std::string& domain, const part_key& key, const part_link_id& link, direction d,
           bytes body) {
  auto covered = tagged_bytes(domain, link, d, body);
  auto tag = authenticate(key, covered.data(), covered.size());
  body.insert(body.end(), tag.bytes.begin(), tag.bytes.end());
  return body;
}

/// The message of `wire` (its bytes before the tag), if the tag is right.
caf::expected<bytes> unseal(const std::string& domain, const part_key& key,
                            const part_link_id& link, direction d, const bytes& wire) {
  if (wire.size() <= mac_tag::size)
    return make_error(ec::malformed_message, "a part-link message without its tag");
  bytes body(wire.begin(), wire.end() - mac_tag::size);
  auto tag = mac_tag::from_raw(wire.data() + body.size(), mac_tag::size);
  auto covered = tagged_bytes(domain, link, d, body);
  if (!tag || !authentic(key, *tag, covered.data(), covered.size()))
    return make_error(ec::unauthorized, "a part-link message whose tag is not the validator's "
                                        "(another part key, validator or part)");
  return body;
}

/// The message in `wire`, decoded with `decode`, if its tag is right.
template <class T>
caf::expected<T> open(const std::string& domain, const part_key& key, const part_link_id& link,
                      direction d, const bytes& wire,
                      caf::expected<T> (*decode)(const char*, size_t)) {
  auto body = unseal(domain, key, link, d, wire);
  if (!body)
    return body.error();
  return decode(body->data(), body->size());
}

/// `result`, if it answers the call with `counter` (`who` answered it).
template <class T>
caf::expected<T> answering(caf::expected<T> result, uint64_t counter, const char* who) {
  if (result && result->counter != counter)
    return make_error(ec::unauthorized,
                      std::string("a ") + who + "'s result that answers another call");
  return result;
}

} // namespace

bytes seal_call(const part_key& key, const part_link_id& link, const shard_call& call) {
  return seal(shard_domain, key, link, direction::call, encode_shard_call(call));
}

caf::expected<shard_call> open_call(const part_key& key, const part_link_id& link,
                                    const bytes& wire) {
  return open(shard_domain, key, link, direction::call, wire, decode_shard_call);
}

bytes seal_result(const part_key& key, const part_link_id& link, const shard_result& result) {
  return seal(shard_domain, key, link, direction::result, encode_shard_result(result));
}

caf::expected<shard_result> open_result(const part_key& key, const part_link_id& link,
                                        const bytes& wire, uint64_t counter) {
  return answering(open(shard_domain, key, link, direction::result, wire, decode_shard_result),
                   counter, "shard");
}

bytes seal_verify_call(const part_key& key, const part_link_id& link, const verify_call& call) {
  return seal(verifier_domain, key, link, direction::call, encode_verify_call(call));
}

caf::expected<verify_call> open_verify_call(const part_key& key, const part_link_id& link,
                                            const bytes& wire) {
  return open(verifier_domain, key, link, direction::call, wire, decode_verify_call);
}

bytes seal_verify_result(const part_key& key, const part_link_id& link,
                         const verify_result& result) {
  return seal(verifier_domain, key, link, direction::result, encode_verify_result(result));
}

caf::expected<verify_result> open_verify_result(const part_key& key, const part_link_id& link,
                                                const bytes& wire, uint64_t counter,
                                                size_t requests) {
  auto result =
    answering(open(verifier_domain, key, link, direction::result, wire, decode_verify_result),
              counter, "verifier");
  if (result && result->verdicts.size() != requests)
    return make_error(ec::unauthorized,
                      "a verifier's result with " + std::to_string(result->verdicts.size())
                        + " verdicts for a call of " + std::to_string(requests) + " requests");
  return result;
}

part_key shard_link_key(const part_key& parts_key, uint32_t shard) {
  return derive_part_key(parts_key, "acfts-sh", shard);
}

part_key verifier_link_key(const part_key& parts_key, uint32_t verifier) {
  return derive_part_key(parts_key, "acfts-vf", verifier);
}

shard_result result_of(const reservation_answer& a, uint64_t counter) {
  shard_result r;
  r.counter = counter;
  r.kind = static_cast<uint8_t>(a.kind);
  r.conflicts = a.conflicts;
  if (a.kind == reservation_answer::fault) {
    r.code = static_cast<uint16_t>(code_of(a.err));
    r.detail = describe(a.err);
  }
  return r;
}

reservation_answer answer_of(const shard_result& r) {
  reservation_answer a;
  a.kind = static_cast<reservation_answer::kind_t>(r.kind);
  a.conflicts = r.conflicts;
  if (a.kind == reservation_answer::fault)
    a.err = make_error(ec::storage_fault, "lock shard: " + r.detail);
  return a;
}

uint64_t call_counter::next() {
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  last_ = std::max(static_cast<uint64_t>(now), last_ + 1);
  return last_;
}

caf::error call_guard::accept(uint64_t counter) {
  if (counter <= last_)
    return make_error(ec::unauthorized, "a call counter not above the last one accepted ("
                                          + std::to_string(counter) + " <= " + std::to_string(last_)
                                          + "): played again, or the validator's clock went back");
  last_ = counter;
  return {};
}

} // namespace acfts
