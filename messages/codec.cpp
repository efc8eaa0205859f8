// Every wire type of messages/ has a `write` (packer) and a `read` (msgpack::object → struct)
// here (the shared helpers: messages/detail/msgpack_io.hpp); `read` throws `decode_failure`, which
// `decode` turns into an error value, so no exception crosses the module boundary.
#include "messages/codec.hpp"

#include <string>

#include "messages/detail/msgpack_io.hpp"

namespace acfts {

namespace detail {

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

void write(writer& w, const merkle_path& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint32(x.position);
  write(w, x.siblings);
}

void read(const msgpack::object& o, merkle_path& x) {
  auto f = array_of(o, 2, "merkle_path");
  x.position = read_uint<uint32_t>(f[0], "merkle_path.position");
  read(f[1], x.siblings, limits::max_merkle_depth, "merkle_path.siblings");
  // A position with bits above the path's depth names no leaf of the tree.
  if (x.siblings.size() < 32 && (x.position >> x.siblings.size()) != 0)
    throw decode_failure(ec::malformed_message, "merkle_path: position beyond its tree");
}

/// A share's signature, then its path when pooled: [index, sig] or [index, sig, path] (a
/// single share keeps the version 1 encoding).
void write(writer& w, const validator_signature& x) {
  w.pk.pack_array(x.path ? 3 : 2);
  w.pk.pack_uint16(x.validator_index);
  write(w, x.sig);
  if (x.path)
    write(w, *x.path);
}

void read(const msgpack::object& o, validator_signature& x) {
  bool pooled = o.type == msgpack::type::ARRAY && o.via.array.size == 3;
  auto f = array_of(o, pooled ? 3 : 2, "validator_signature");
  x.validator_index = read_uint<uint16_t>(f[0], "validator_signature.index");
  read(f[1], x.sig);
  if (pooled)
    read(f[2], x.path.emplace());
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
  w.pk.pack_array(x.policy_witnesses.empty() ? 4 : 5);
  write(w, x.committee_id);
  write(w, x.tx);
  write(w, x.witnesses);
  write(w, x.parents);
  if (!x.policy_witnesses.empty())
    write(w, x.policy_witnesses);
}

void read(const msgpack::object& o, sign_request& x) {
  // Four fields, or five with policy witnesses (an empty fifth is not canonical: the decoder's
  // re-encoding refuses it).
  bool with_policies = o.type == msgpack::type::ARRAY && o.via.array.size == 5;
  auto f = array_of(o, with_policies ? 5 : 4, "sign_request");
  read(f[0], x.committee_id);
  read(f[1], x.tx);
  read(f[2], x.witnesses, limits::max_inputs, "sign_request.witnesses");
  read(f[3], x.parents, limits::max_inputs, "sign_request.parents");
  if (with_policies)
    read(f[4], x.policy_witnesses, limits::max_inputs, "sign_request.policy_witnesses");
}

// -- spending policies ----------------------------------------------------------------------------

[[noreturn]] void over_limit(const std::string& what) {
  throw decode_failure(ec::policy_over_limit, what);
}

void write(writer& w, const policy& x) {
  using kind = policy::kind;
  switch (x.type) {
    case kind::key:
      w.pk.pack_array(3);
      w.pk.pack_uint8(0);
      w.pk.pack_uint8(x.scheme);
      w.pk.pack_bin(static_cast<uint32_t>(x.key.size()));
      w.pk.pack_bin_body(reinterpret_cast<const char*>(x.key.data()), x.key.size());
      return;
    case kind::threshold:
      w.pk.pack_array(3);
      w.pk.pack_uint8(1);
      w.pk.pack_uint16(x.k);
      w.pk.pack_array(static_cast<uint32_t>(x.children.size()));
      for (size_t i = 0; i < x.children.size(); ++i) {
        w.pk.pack_array(2);
        w.pk.pack_uint8(i < x.weights.size() ? x.weights[i] : 0);
        write(w, x.children[i]);
      }
      return;
    case kind::max_out:
      w.pk.pack_array(2);
      w.pk.pack_uint8(2);
      w.pk.pack_uint64(x.limit.units());
      return;
    case kind::only_to:
      w.pk.pack_array(2);
      w.pk.pack_uint8(3);
      write(w, x.payees);
      return;
    case kind::after:
    case kind::before:
      w.pk.pack_array(2);
      w.pk.pack_uint8(static_cast<uint8_t>(x.type));
      w.pk.pack_uint64(x.time);
      return;
  }
}

/// Reads one node at `depth` (the root is 1), counting nodes and keys as it goes so that a policy
/// over a limit is refused before the rest of it is read.
void read_policy(const msgpack::object& o, policy& x, size_t depth, policy_shape& shape) {
  if (depth > limits::max_policy_depth)
    over_limit("policy deeper than " + std::to_string(limits::max_policy_depth));
  if (++shape.nodes > limits::max_policy_nodes)
    over_limit("policy of more than " + std::to_string(limits::max_policy_nodes) + " nodes");
  shape.depth = std::max(shape.depth, depth);
  if (o.type != msgpack::type::ARRAY || o.via.array.size < 2)
    fail("policy: expected [tag, ...]");
  auto tag = read_uint<uint8_t>(o.via.array.ptr[0], "policy.tag");
  if (tag > static_cast<uint8_t>(policy::kind::before))
    fail("policy: unknown node " + std::to_string(tag));
  x.type = static_cast<policy::kind>(tag);
  using kind = policy::kind;
  switch (x.type) {
    case kind::key: {
      auto f = array_of(o, 3, "policy.key");
      if (++shape.keys > limits::max_policy_keys)
        over_limit("policy of more than " + std::to_string(limits::max_policy_keys) + " keys");
      x.scheme = read_uint<uint8_t>(f[1], "policy.key.scheme");
      if (x.scheme > 2)
        throw decode_failure(ec::unknown_scheme, "scheme " + std::to_string(x.scheme));
      size_t size = x.scheme == 2 ? 33 : 32;
      if (f[2].type != msgpack::type::BIN || f[2].via.bin.size != size)
        throw decode_failure(ec::invalid_key,
                             "policy.key: expected " + std::to_string(size) + " bytes");
      x.key.assign(f[2].via.bin.ptr, f[2].via.bin.ptr + size);
      return;
    }
    case kind::threshold: {
      auto f = array_of(o, 3, "policy.threshold");
      x.k = read_uint<uint16_t>(f[1], "policy.threshold.k");
      if (x.k == 0)
        fail("policy.threshold: k must be at least 1");
      if (f[2].type != msgpack::type::ARRAY || f[2].via.array.size == 0)
        fail("policy.threshold: expected a non-empty array of [weight, policy]");
      if (f[2].via.array.size > limits::max_policy_nodes)
        over_limit("policy of more than " + std::to_string(limits::max_policy_nodes) + " nodes");
      auto n = f[2].via.array.size;
      x.weights.resize(n);
      x.children.resize(n);
      for (size_t i = 0; i < n; ++i) {
        auto pair = array_of(f[2].via.array.ptr[i], 2, "policy.threshold.child");
        x.weights[i] = read_uint<uint8_t>(pair[0], "policy.threshold.weight");
        if (x.weights[i] == 0)
          fail("policy.threshold: a weight must be at least 1");
        read_policy(pair[1], x.children[i], depth + 1, shape);
      }
      return;
    }
    case kind::max_out: {
      auto f = array_of(o, 2, "policy.max_out");
      x.limit = read_uint<uint64_t>(f[1], "policy.max_out.amount");
      return;
    }
    case kind::only_to: {
      auto f = array_of(o, 2, "policy.only_to");
      read(f[1], x.payees, limits::max_policy_payees, "policy.only_to");
      if (x.payees.empty())
        fail("policy.only_to: no payee");
      for (size_t i = 1; i < x.payees.size(); ++i)
        if (!(x.payees[i - 1] < x.payees[i]))
          fail("policy.only_to: payees must be sorted and distinct");
      return;
    }
    case kind::after:
    case kind::before: {
      auto f = array_of(o, 2, "policy.time");
      x.time = read_uint<uint64_t>(f[1], "policy.time");
      return;
    }
  }
}

size_t count_keys(const policy& p) {
  size_t n = p.type == policy::kind::key ? 1 : 0;
  for (const auto& c : p.children)
    n += count_keys(c);
  return n;
}

/// The limits and rules of a whole policy: its encoded size, and at least one key.
void check_whole_policy(const policy& x, policy_shape& shape) {
  bytes enc;
  encode_into(enc, x);
  shape.encoded_bytes = enc.size();
  if (enc.size() > limits::max_policy_bytes)
    over_limit("policy of more than " + std::to_string(limits::max_policy_bytes) + " bytes");
  // Without a key anyone could spend; and a key makes every policy's encoding longer than a
  // public key, so no policy address is ever a single-key address (crypto/hashing.hpp).
  if (count_keys(x) == 0)
    fail("policy: no key");
}

void read(const msgpack::object& o, policy& x) {
  policy_shape shape;
  read_policy(o, x, 1, shape);
  check_whole_policy(x, shape);
}

void write(writer& w, const leaf_signature& x) {
  w.pk.pack_array(2);
  w.pk.pack_uint16(x.leaf);
  write(w, x.sig);
}

void read(const msgpack::object& o, leaf_signature& x) {
  auto f = array_of(o, 2, "leaf_signature");
  x.leaf = read_uint<uint16_t>(f[0], "leaf_signature.leaf");
  read(f[1], x.sig);
}

void write(writer& w, const policy_witness& x) {
  w.pk.pack_array(2);
  write(w, x.spend_policy);
  write(w, x.sigs);
}

void read(const msgpack::object& o, policy_witness& x) {
  auto f = array_of(o, 2, "policy_witness");
  read(f[0], x.spend_policy);
  read(f[1], x.sigs, limits::max_policy_keys, "policy_witness.sigs");
  auto keys = count_keys(x.spend_policy);
  for (size_t i = 0; i < x.sigs.size(); ++i) {
    if (x.sigs[i].leaf >= keys)
      fail("policy_witness: a signature for leaf " + std::to_string(x.sigs[i].leaf)
           + " of a policy with " + std::to_string(keys) + " keys");
    if (i > 0 && x.sigs[i - 1].leaf >= x.sigs[i].leaf)
      fail("policy_witness: one signature per leaf, in leaf order");
  }
}

void write(writer& w, const signed_reply& x) {
  w.pk.pack_array(x.path ? 4 : 3);
  w.pk.pack_uint16(x.validator_index);
  write(w, x.tx_hash);
  write(w, x.sig);
  if (x.path)
    write(w, *x.path);
}

void read(const msgpack::object& o, signed_reply& x) {
  bool pooled = o.type == msgpack::type::ARRAY && o.via.array.size == 4;
  auto f = array_of(o, pooled ? 4 : 3, "signed_reply");
  x.validator_index = read_uint<uint16_t>(f[0], "signed_reply.validator_index");
  read(f[1], x.tx_hash);
  read(f[2], x.sig);
  if (pooled)
    read(f[3], x.path.emplace());
}

/// [committee_id, first, first_share, second, second_share]
void write(writer& w, const equivocation_proof& x) {
  w.pk.pack_array(5);
  write(w, x.committee_id);
  write(w, x.first);
  write(w, x.first_share);
  write(w, x.second);
  write(w, x.second_share);
}

void read(const msgpack::object& o, equivocation_proof& x) {
  auto f = array_of(o, 5, "equivocation_proof");
  read(f[0], x.committee_id);
  read(f[1], x.first);
  read(f[2], x.first_share);
  read(f[3], x.second);
  read(f[4], x.second_share);
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

/// [old_id, next_epoch, next committee]
void write(writer& w, const committee_change& x) {
  w.pk.pack_array(3);
  write(w, x.old_id);
  w.pk.pack_uint64(x.next_epoch);
  write(w, x.next);
}

void read(const msgpack::object& o, committee_change& x) {
  auto f = array_of(o, 3, "committee_change");
  read(f[0], x.old_id);
  x.next_epoch = read_uint<uint64_t>(f[1], "committee_change.next_epoch");
  read(f[2], x.next);
}

void write(writer& w, const change_request& x) {
  w.pk.pack_array(2);
  write(w, x.change);
  write(w, x.approval);
}

void read(const msgpack::object& o, change_request& x) {
  auto f = array_of(o, 2, "change_request");
  read(f[0], x.change);
  read(f[1], x.approval);
}

/// [index, old_id, next_id, locks, lock_root, sig]
void write(writer& w, const seal_statement& x) {
  w.pk.pack_array(6);
  w.pk.pack_uint16(x.validator_index);
  write(w, x.old_id);
  write(w, x.next_id);
  w.pk.pack_uint64(x.locks);
  write(w, x.lock_root);
  write(w, x.sig);
}

void read(const msgpack::object& o, seal_statement& x) {
  auto f = array_of(o, 6, "seal_statement");
  x.validator_index = read_uint<uint16_t>(f[0], "seal_statement.validator_index");
  read(f[1], x.old_id);
  read(f[2], x.next_id);
  x.locks = read_uint<uint64_t>(f[3], "seal_statement.locks");
  read(f[4], x.lock_root);
  read(f[5], x.sig);
}

// No maps or extensions anywhere; arrays and byte strings bounded by the largest legal message.
const msgpack::unpack_limit decode_limits{/*array*/ limits::max_committee + limits::max_inputs,
                                          /*map*/ 0,
                                          /*str*/ limits::max_endpoint_chars
                                            + limits::max_detail_chars,
                                          /*bin*/ 64,
                                          /*ext*/ 0,
                                          /*depth*/ 32};

} // namespace detail

using namespace detail;

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
  return decode_canonical<T>(
    data, size, limits::max_message_bytes, decode_limits,
    [](const msgpack::object& o, T& x) { read(o, x); }, [](writer& w, const T& x) { write(w, x); });
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
ACFTS_CODEC(policy)
ACFTS_CODEC(policy_witness)
ACFTS_CODEC(equivocation_proof)
ACFTS_CODEC(committee_change)
ACFTS_CODEC(change_request)
ACFTS_CODEC(seal_statement)

caf::expected<policy_shape> check_policy_limits(const policy& p) {
  // The decoder's checks, on a policy built in-process (a wallet making an address).
  auto enc = encode(p);
  if (enc.size() > limits::max_policy_bytes)
    return make_error(ec::policy_over_limit,
                      "policy of more than " + std::to_string(limits::max_policy_bytes) + " bytes");
  try {
    size_t offset = 0;
    auto handle = msgpack::unpack(enc.data(), enc.size(), offset, nullptr, nullptr, decode_limits);
    policy back;
    policy_shape shape;
    read_policy(handle.get(), back, 1, shape);
    check_whole_policy(back, shape);
    return shape;
  } catch (const decode_failure& e) {
    return make_error(e.code, e.what());
  } catch (const std::exception& e) {
    return make_error(ec::malformed_message, e.what());
  }
}

} // namespace acfts
