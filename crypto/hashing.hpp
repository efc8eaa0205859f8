// BLAKE2b-256 digests that name things: transactions, addresses, committees.
#pragma once

#include <cstddef>

#include "messages/bytes.hpp"
#include "messages/committee.hpp"
#include "messages/policy.hpp"
#include "messages/transaction.hpp"

namespace acfts {

/// The secret a validator shares with its parts in other processes (protocol/part_link.hpp).
struct part_key_tag {};
using part_key = fixed_bytes<32, part_key_tag>;
/// An authentication tag: HMAC-SHA-512-256 (libsodium's crypto_auth).
struct mac_tag_tag {};
using mac_tag = fixed_bytes<32, mac_tag_tag>;

/// The tag of [data, data + len) under `key`.
mac_tag authenticate(const part_key& key, const void* data, size_t len);

/// Whether `tag` is the tag of [data, data + len) under `key` (compared in constant time).
bool authentic(const part_key& key, const mac_tag& tag, const void* data, size_t len);

/// Key `id` of the family `context` (8 characters) derived from `master`: libsodium's
/// crypto_kdf (BLAKE2b keyed with `master`). Knowing one derived key tells nothing of another.
part_key derive_part_key(const part_key& master, const char (&context)[9], uint64_t id);

/// BLAKE2b-256 of raw bytes.
hash32 blake2b_256(const void* data, size_t len);

/// SipHash-2-4 (libsodium's crypto_shorthash) of raw bytes under a key drawn once per process:
/// for hash tables whose keys a peer chooses, where a plain prefix of a hash could be ground to
/// fill one bucket.
uint64_t keyed_hash64(const void* data, size_t len);

/// BLAKE2b-256 of the canonical encoding of `tx`.
hash32 tx_hash(const transaction& tx);

/// The address an owner key controls: BLAKE2b-256 of the public key.
address address_of(const public_key& key);

/// The address a spending policy owns: BLAKE2b-256 of "acfts.policy.v1" and the policy's
/// canonical encoding. It is never a single-key address: that one hashes exactly 32 bytes, while
/// this preimage is longer (every policy holds a key leaf, whose encoding alone exceeds 32 bytes),
/// so the two could meet only through a BLAKE2b collision.
address policy_address(const policy& p);

/// The identity of a network: the hash of "acfts.committee.v1", f, the validators' keys in order,
/// and the genesis' tx_hash. Names and endpoints are left out, so nodes can move without changing
/// the network; a certificate of one network is worthless in another.
hash32 committee_id(const committee& c, const genesis& g);

} // namespace acfts
