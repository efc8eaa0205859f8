// A validator's link to its lock shards in other processes (issue 25; doc/protocol.md, "Lock
// shards"). All parts of a validator are one trust domain, but their ports are on a network:
// a forged release would free a signed input, and a forged "held" would let the validator sign
// without a lock. So every call and every result is authenticated with the validator's part
// key (HMAC-SHA-512-256) over the committee id, the validator's index, the shard, the direction
// and the message; a peer without the key can neither call a shard nor answer for one.
//
// A call's counter rises strictly (the validator's clock in nanoseconds, or the last counter
// plus one), and a shard refuses a counter not above the last one it accepted. A shard starts
// above both its clock and the counter written with its last release, so no call recorded
// before its start is accepted after it (the clocks of a validator and its shards must agree,
// as NTP keeps them).
#pragma once

#include <cstdint>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "crypto/hashing.hpp"
#include "messages/part_link.hpp"
#include "protocol/lock_shards.hpp"

namespace acfts {

/// What a link's tags are bound to: part `part` of `parts` (lock shard K of S, or verifier K of
/// V) of one validator of one committee (a validator and a shard that count the shards
/// differently would map inputs to shards differently: their calls never count).
struct part_link_id {
  hash32 committee;
  uint16_t validator = 0;
  uint32_t part = 0;
  uint32_t parts = 0;
};

/// A call as bytes on the wire: its encoding and its tag.
bytes seal_call(const part_key& key, const part_link_id& link, const shard_call& call);

/// The call in `wire` if its tag is right under `key` and `link`. Errors: ec::malformed_message,
/// ec::unauthorized (a wrong tag: another key, another validator or shard, or altered bytes).
caf::expected<shard_call> open_call(const part_key& key, const part_link_id& link,
                                    const bytes& wire);

/// A result as bytes on the wire.
bytes seal_result(const part_key& key, const part_link_id& link, const shard_result& result);

/// The result in `wire`, if its tag is right and it answers the call with `counter`.
caf::expected<shard_result> open_result(const part_key& key, const part_link_id& link,
                                        const bytes& wire, uint64_t counter);

/// The same for a verifier's link (tags of another domain: a shard's call is never a
/// verifier's). A verifier keeps no state, so it guards no counters: a call played again only
/// checks the same request again, and its result goes to whoever sent it.
bytes seal_verify_call(const part_key& key, const part_link_id& link, const verify_call& call);
caf::expected<verify_call> open_verify_call(const part_key& key, const part_link_id& link,
                                            const bytes& wire);
bytes seal_verify_result(const part_key& key, const part_link_id& link,
                         const verify_result& result);
/// A verifier's result must hold one verdict for each of its call's `requests`.
caf::expected<verify_result> open_verify_result(const part_key& key, const part_link_id& link,
                                                const bytes& wire, uint64_t counter,
                                                size_t requests);

/// The key of one part's link, derived from the validator's part key (`parts_key`): the
/// validator derives every one; a part needs only its own (`<part_key_file>.shard-K`,
/// `.verifier-K`), with which it cannot tag another part's calls or results — a verifier's
/// machine broken into cannot release a shard's locks.
part_key shard_link_key(const part_key& parts_key, uint32_t shard);
part_key verifier_link_key(const part_key& parts_key, uint32_t verifier);

/// A reservation's answer as a result, and back.
shard_result result_of(const reservation_answer& a, uint64_t counter);
reservation_answer answer_of(const shard_result& r);

/// The validator's side: counters for its calls to one shard.
class call_counter {
public:
  /// Above the clock's nanoseconds since the epoch and above the last one given.
  uint64_t next();

private:
  uint64_t last_ = 0;
};

/// The shard's side: which calls it accepts.
class call_guard {
public:
  /// `last_written`: the counter stored with the last release (validator_store).
  explicit call_guard(uint64_t last_written) : last_(last_written) {}

  /// Accepts `counter` if it is above every one accepted before; ec::unauthorized otherwise.
  caf::error accept(uint64_t counter);

  uint64_t last() const { return last_; }

private:
  uint64_t last_;
};

} // namespace acfts
