// The wire format: golden bytes pin every type's encoding, and the decoder turns every kind of
// bad input into an error value.
#define CAF_SUITE codec
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "messages/control.hpp"
#include "messages/error.hpp"
#include "messages/limits.hpp"
#include "messages/part_link.hpp"
#include "messages/sign_batch.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

using test::filled;

std::string hex(const bytes& buf) {
  static constexpr char d[] = "0123456789abcdef";
  std::string out;
  for (auto c : buf) {
    auto b = static_cast<uint8_t>(c);
    out += d[b >> 4];
    out += d[b & 15];
  }
  return out;
}

transaction sample_tx() {
  transaction tx;
  tx.inputs = {{filled<hash32>(0x11), 0}, {filled<hash32>(0x12), 70000}};
  tx.outputs = {{filled<address>(0x21), 1}, {filled<address>(0x22), 0xffffffffffull}};
  return tx;
}

certificate sample_cert() {
  return certificate{filled<hash32>(0x31),
                     {{0, filled<signature>(0x41)}, {2, filled<signature>(0x42)}}};
}

certificate sample_pooled_cert() {
  merkle_path path{5, {filled<hash32>(0x91), filled<hash32>(0x92), filled<hash32>(0x93)}};
  return certificate{filled<hash32>(0x31),
                     {{0, filled<signature>(0x41), path}, {2, filled<signature>(0x42)}}};
}

sign_request sample_request() {
  sign_request req;
  req.committee_id = filled<hash32>(0x51);
  req.tx = sample_tx();
  req.witnesses = {{filled<public_key>(0x61), filled<signature>(0x62)}};
  transaction parent;
  parent.inputs = {{filled<hash32>(0x13), 1}};
  parent.outputs = {{filled<address>(0x23), 5}};
  req.parents = {{parent, sample_cert()}};
  return req;
}

rejected_reply sample_rejected() {
  return rejected_reply{3,
                        filled<hash32>(0x71),
                        static_cast<uint16_t>(ec::conflict),
                        "conflict: input already locked",
                        {{{filled<hash32>(0x11), 0}, filled<hash32>(0x72)}}};
}

committee sample_committee() {
  return committee{1,
                   {{"v0", filled<public_key>(0x81), "127.0.0.1:4000"},
                    {"v1", filled<public_key>(0x82), ""},
                    {"v2", filled<public_key>(0x83), ""},
                    {"v3", filled<public_key>(0x84), "[::1]:4003"}}};
}

policy key_leaf(uint8_t scheme, uint8_t fill) {
  policy p;
  p.type = policy::kind::key;
  p.scheme = scheme;
  p.key.assign(scheme == 2 ? 33 : 32, fill);
  if (scheme == 2)
    p.key[0] = 2;
  return p;
}

policy condition(policy::kind k, uint64_t value) {
  policy p;
  p.type = k;
  if (k == policy::kind::max_out)
    p.limit = value;
  else
    p.time = value;
  return p;
}

/// or(and(ed25519, max_out(1000), before(t)), thresh(2, 2*p256, secp256k1, only_to(a, b)))
policy sample_policy() {
  policy spend_small;
  spend_small.type = policy::kind::threshold;
  spend_small.k = 3;
  spend_small.weights = {1, 1, 1};
  spend_small.children = {key_leaf(0, 0xa1), condition(policy::kind::max_out, 1000),
                          condition(policy::kind::before, 1798761600)};
  policy allowed;
  allowed.type = policy::kind::only_to;
  allowed.payees = {filled<address>(0x21), filled<address>(0x22)};
  policy guardians;
  guardians.type = policy::kind::threshold;
  guardians.k = 2;
  guardians.weights = {2, 1, 1};
  guardians.children = {key_leaf(2, 0xa3), key_leaf(1, 0xa2), allowed};
  policy root;
  root.type = policy::kind::threshold;
  root.k = 1;
  root.weights = {1, 1};
  root.children = {spend_small, guardians};
  return root;
}

policy_witness sample_policy_witness() {
  return policy_witness{sample_policy(),
                        {{0, filled<signature>(0xb1)}, {2, filled<signature>(0xb2)}}};
}

sign_request sample_policy_request() {
  auto req = sample_request();
  req.witnesses.clear();
  req.policy_witnesses = {sample_policy_witness()};
  return req;
}

/// Name → encoding of one sample of every wire type.
std::map<std::string, bytes> samples() {
  std::map<std::string, bytes> out;
  out["output_ref"] = encode(output_ref{filled<hash32>(0x11), 7});
  out["output"] = encode(output{filled<address>(0x21), 1000000});
  out["transaction"] = encode(sample_tx());
  out["witness"] = encode(witness{filled<public_key>(0x61), filled<signature>(0x62)});
  out["certificate"] = encode(sample_cert());
  out["certified_transaction"] = encode(certified_transaction{sample_tx(), sample_cert()});
  out["sign_request"] = encode(sample_request());
  out["signed_reply"] =
    encode(sign_reply{signed_reply{1, filled<hash32>(0x71), filled<signature>(0x73)}});
  out["rejected_reply"] = encode(sign_reply{sample_rejected()});
  out["certificate_pooled"] = encode(sample_pooled_cert());
  out["signed_reply_pooled"] = encode(
    sign_reply{signed_reply{1, filled<hash32>(0x71), filled<signature>(0x73), merkle_path{0, {}}}});
  out["committee"] = encode(sample_committee());
  genesis g;
  g.tx.outputs = {{filled<address>(0x21), 1000000}};
  out["genesis"] = encode(g);
  out["policy_key_ed25519"] = encode(key_leaf(0, 0xa1));
  out["policy_key_secp256k1"] = encode(key_leaf(1, 0xa2));
  out["policy_key_p256"] = encode(key_leaf(2, 0xa3));
  out["policy"] = encode(sample_policy());
  out["policy_witness"] = encode(sample_policy_witness());
  out["sign_request_with_policies"] = encode(sample_policy_request());
  auto other = sample_tx();
  other.outputs.pop_back();
  out["equivocation_proof"] = encode(equivocation_proof{
    filled<hash32>(0x51), sample_tx(), sample_cert().sigs[0], other, sample_pooled_cert().sigs[0]});
  committee_change change{filled<hash32>(0x51), 1, sample_committee()};
  out["committee_change"] = encode(change);
  out["change_request"] = encode(change_request{change, sample_policy_witness()});
  out["seal_statement"] = encode(seal_statement{2, filled<hash32>(0x51), filled<hash32>(0x52), 300,
                                                filled<hash32>(0x53), filled<signature>(0x54)});
  // The control port (messages/control.hpp): a request of each kind of field, and a reply.
  out["control_pay"] = encode_control(control_request{
    control::pay{filled<address>(0x21), filled<address>(0x22), 1000, "127.0.0.1:4100"}});
  out["control_submit"] =
    encode_control(control_request{control::submit{sample_request(), "127.0.0.1:4100"}});
  out["control_status_reply"] =
    encode_reply(control::tx_status{"final",
                                    {"v0", "v1", "v2"},
                                    "",
                                    {control::handoff{filled<hash32>(0x11), filled<address>(0x22),
                                                      "127.0.0.1:4100", 3, "timeout", false}}});
  // The part link (messages/part_link.hpp): a validator's call to a lock shard and a result.
  out["shard_call"] = encode_shard_call(
    shard_call{shard_call::release,
               1765000000000000000u,
               filled<hash32>(0x31),
               {output_ref{filled<hash32>(0x11), 7}, output_ref{filled<hash32>(0x12), 0}}});
  out["shard_result"] = encode_shard_result(
    shard_result{1765000000000000000u,
                 1,
                 {conflict_entry{output_ref{filled<hash32>(0x11), 7}, filled<hash32>(0x32)}},
                 0,
                 ""});
  // A validator's call to a verifier in another process (two requests) and its verdicts.
  out["verify_call"] = encode_verify_call(
    verify_call{1765000000000000001u, {bytes{'\x93', 1, 2, 3}, bytes{'\x93', 4, 5, 6}}});
  out["verify_result"] = encode_verify_result(verify_result{
    1765000000000000001u, {verify_verdict{38, "policy not satisfied", {}}, {0, "", {0, 2}}}});
  // A wallet's batch of sign requests to one validator (two) and the replies (one left empty).
  out["sign_batch"] =
    encode_sign_batch(sign_batch{{bytes{'\x93', 1, 2, 3}, bytes{'\x93', 4, 5, 6}}});
  out["reply_batch"] = encode_reply_batch(reply_batch{{bytes{'\x92', 0, 7}, bytes{}}});
  return out;
}

std::string golden_path() {
  return std::string(ACFTS_SOURCE_DIR) + "/tests/golden/wire.txt";
}

/// The error decoding `b` as T gives, or no error when it decodes.
template <class T>
caf::error decode_error(const bytes& b) {
  auto r = decode<T>(b);
  return r ? caf::error{} : r.error();
}

/// Runs `check(bytes)` on every sample, cut short by 1..n bytes, for each decoder.
template <class F>
void for_each_decoder(F f) {
  auto s = samples();
  f("output_ref", s["output_ref"], decode_error<output_ref>);
  f("output", s["output"], decode_error<output>);
  f("transaction", s["transaction"], decode_error<transaction>);
  f("witness", s["witness"], decode_error<witness>);
  f("certificate", s["certificate"], decode_error<certificate>);
  f("certified_transaction", s["certified_transaction"], decode_error<certified_transaction>);
  f("sign_request", s["sign_request"], decode_error<sign_request>);
  f("signed_reply", s["signed_reply"], decode_error<sign_reply>);
  f("rejected_reply", s["rejected_reply"], decode_error<sign_reply>);
  f("certificate_pooled", s["certificate_pooled"], decode_error<certificate>);
  f("signed_reply_pooled", s["signed_reply_pooled"], decode_error<sign_reply>);
  f("committee", s["committee"], decode_error<committee>);
  f("genesis", s["genesis"], decode_error<genesis>);
  f("policy", s["policy"], decode_error<policy>);
  f("policy_witness", s["policy_witness"], decode_error<policy_witness>);
  f("sign_request_with_policies", s["sign_request_with_policies"], decode_error<sign_request>);
  f("equivocation_proof", s["equivocation_proof"], decode_error<equivocation_proof>);
  f("committee_change", s["committee_change"], decode_error<committee_change>);
  f("change_request", s["change_request"], decode_error<change_request>);
  f("seal_statement", s["seal_statement"], decode_error<seal_statement>);
  f("shard_call", s["shard_call"], [](const bytes& b) {
    auto r = decode_shard_call(b.data(), b.size());
    return r ? caf::error{} : r.error();
  });
  f("shard_result", s["shard_result"], [](const bytes& b) {
    auto r = decode_shard_result(b.data(), b.size());
    return r ? caf::error{} : r.error();
  });
  f("verify_call", s["verify_call"], [](const bytes& b) {
    auto r = decode_verify_call(b.data(), b.size());
    return r ? caf::error{} : r.error();
  });
  f("verify_result", s["verify_result"], [](const bytes& b) {
    auto r = decode_verify_result(b.data(), b.size());
    return r ? caf::error{} : r.error();
  });
  f("sign_batch", s["sign_batch"], [](const bytes& b) {
    auto r = decode_sign_batch(b.data(), b.size());
    return r ? caf::error{} : r.error();
  });
  f("reply_batch", s["reply_batch"], [](const bytes& b) {
    auto r = decode_reply_batch(b.data(), b.size());
    return r ? caf::error{} : r.error();
  });
}

} // namespace

CAF_TEST(pooled_shares_round_trip_and_bad_paths_are_refused) {
  auto cert = decode<certificate>(encode(sample_pooled_cert()));
  CAF_REQUIRE(cert);
  CAF_CHECK(*cert == sample_pooled_cert());
  CAF_REQUIRE(cert->sigs[0].path);
  CAF_CHECK(!cert->sigs[1].path); // a single share beside a pooled one
  // A batch of one: a pooled share with no siblings is still pooled.
  signed_reply lone{1, filled<hash32>(0x71), filled<signature>(0x73), merkle_path{0, {}}};
  auto back = decode<sign_reply>(encode(sign_reply{lone}));
  CAF_REQUIRE(back);
  CAF_CHECK(std::get<signed_reply>(*back) == lone);
  // A position beyond its tree, and a path deeper than 32 levels.
  auto beyond = sample_pooled_cert();
  beyond.sigs[0].path->position = 8; // 3 siblings: positions 0..7
  CAF_CHECK_EQUAL(code_of(decode<certificate>(encode(beyond)).error()), ec::malformed_message);
  auto deep = sample_pooled_cert();
  deep.sigs[0].path->siblings.assign(33, filled<hash32>(0x99));
  deep.sigs[0].path->position = 0;
  CAF_CHECK_NOT_EQUAL(code_of(decode<certificate>(encode(deep)).error()), ec::none);
}

CAF_TEST(golden_bytes_pin_every_encoding) {
  auto current = samples();
  if (std::getenv("ACFTS_UPDATE_GOLDEN") != nullptr) {
    std::ofstream out{golden_path()};
    out << "# name hex(encoding) — written by ACFTS_UPDATE_GOLDEN=1 codec_test; a change here "
           "changes the wire format\n";
    for (const auto& [name, buf] : current)
      out << name << " " << hex(buf) << "\n";
  }
  std::ifstream in{golden_path()};
  CAF_REQUIRE(in.good());
  std::map<std::string, std::string> golden;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream ls{line};
    std::string name, value;
    ls >> name >> value;
    golden[name] = value;
  }
  CAF_CHECK_EQUAL(golden.size(), current.size());
  for (const auto& [name, buf] : current) {
    CAF_MESSAGE("type " << name);
    CAF_CHECK_EQUAL(golden[name], hex(buf));
  }
}

CAF_TEST(golden_tx_hash_is_stable) {
  // The hash of the sample transaction is what every signature covers: it must never change.
  auto h = tx_hash(sample_tx());
  auto enc = encode(sample_tx());
  CAF_CHECK_EQUAL(h, blake2b_256(enc.data(), enc.size()));
  std::ifstream in{golden_path()};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CAF_CHECK(text.find(hex(enc)) != std::string::npos);
}

CAF_TEST(every_decoder_round_trips_its_sample) {
  auto s = samples();
  CAF_CHECK(*decode<transaction>(s["transaction"]) == sample_tx());
  CAF_CHECK(*decode<certificate>(s["certificate"]) == sample_cert());
  CAF_CHECK(*decode<sign_request>(s["sign_request"]) == sample_request());
  CAF_CHECK(*decode<committee>(s["committee"]) == sample_committee());
  auto r = decode<sign_reply>(s["rejected_reply"]);
  CAF_REQUIRE(r);
  CAF_CHECK(std::get<rejected_reply>(*r) == sample_rejected());
  auto sr = decode<sign_reply>(s["signed_reply"]);
  CAF_REQUIRE(sr);
  CAF_CHECK(std::holds_alternative<signed_reply>(*sr));
}

CAF_TEST(requests_answered_once_final_say_so_and_the_control_port_waits_for_them) {
  CAF_CHECK(control::until_final(control::await{}));
  CAF_CHECK(control::until_final(control::submit{}));
  CAF_CHECK(control::until_final(control::split{}));
  CAF_CHECK(!control::until_final(control::pay{}));
  control::pay final_pay;
  final_pay.final = true;
  CAF_CHECK(control::until_final(final_pay));
  CAF_CHECK(!control::until_final(control::status{}));
  CAF_CHECK(!control::until_final(control::history{}));
}

CAF_TEST(every_control_request_round_trips_and_the_decoder_is_as_strict_as_the_wire) {
  // One sample of every request; each decodes to itself, cut or lengthened to nothing.
  std::vector<control_request> all{
    control::pay{filled<address>(1), filled<address>(2), 7, "h:1"},
    control::await{filled<hash32>(3)},
    control::status{filled<hash32>(3)},
    control::hold{filled<address>(1), filled<address>(2), 7},
    control::submit{sample_request(), ""},
    control::abandon{filled<hash32>(3)},
    control::split{filled<address>(1), 4},
    control::export_tx{filled<hash32>(3)},
    control::export_all{},
    control::import_tx{certified_transaction{sample_tx(), sample_cert()}},
    control::proofs{},
    control::backup{},
    control::handoffs{},
    control::resend{filled<hash32>(3), filled<address>(2), "h:2"},
    control::history{10},
    control::reload_addresses{},
    control::unsettled{},
    control::balance{filled<address>(1)},
    control::spendable{filled<address>(1)},
    control::total{},
    control::stats{}};
  CAF_REQUIRE_EQUAL(all.size(), std::variant_size_v<control_request>);
  for (const auto& req : all) {
    auto raw = encode_control(req);
    auto back = decode_control(raw);
    CAF_REQUIRE(back);
    CAF_CHECK_EQUAL(back->index(), req.index());
    CAF_CHECK(encode_control(*back) == raw);
    for (size_t cut = 0; cut < raw.size(); ++cut)
      CAF_CHECK(!decode_control(bytes(raw.begin(), raw.begin() + cut)));
    auto longer = raw;
    longer.push_back('\x00');
    CAF_CHECK_EQUAL(code_of(decode_control(longer).error()), ec::malformed_message);
  }
  // An unknown tag, a body of the wrong shape, a tag not in its smallest form.
  CAF_CHECK_EQUAL(code_of(decode_control(bytes{'\x92', '\x7f', '\x90'}).error()),
                  ec::malformed_message);
  CAF_CHECK_EQUAL(code_of(decode_control(bytes{'\x92', '\x11', '\x90'}).error()),
                  ec::malformed_message); // balance without its address
  CAF_CHECK_EQUAL(code_of(decode_control(bytes{'\x92', '\xcc', '\x13', '\x90'}).error()),
                  ec::non_canonical);
  // A route longer than any endpoint is refused before it is read.
  auto long_route = encode_control(control::pay{filled<address>(1), filled<address>(2), 7,
                                                std::string(limits::max_endpoint_chars + 1, 'h')});
  CAF_CHECK(!decode_control(long_route));
  // Replies decode to what was encoded.
  control::tx_status st{"pending", {"v0"}, "sealed", {}};
  auto back = decode_reply<control::tx_status>(encode_reply(st));
  CAF_REQUIRE(back);
  CAF_CHECK_EQUAL(back->state, "pending");
  CAF_CHECK_EQUAL(back->detail, "sealed");
  CAF_CHECK(!decode_reply<control::tx_status>(encode_reply(amount{5})));
}

CAF_TEST(every_decoder_rejects_truncated_bytes) {
  for_each_decoder([](const char* name, const bytes& good, auto decode_error) {
    CAF_MESSAGE("type " << name);
    CAF_CHECK_EQUAL(decode_error(good), caf::error{});
    for (size_t cut = 0; cut < good.size(); ++cut) {
      bytes shorter(good.begin(), good.begin() + cut);
      auto err = decode_error(shorter);
      if (code_of(err) != ec::malformed_message)
        CAF_FAIL(name << " accepted " << cut << " of " << good.size() << " bytes");
    }
  });
}

CAF_TEST(every_decoder_rejects_trailing_bytes) {
  for_each_decoder([](const char* name, const bytes& good, auto decode_error) {
    CAF_MESSAGE("type " << name);
    for (char extra : {'\x00', '\xc0', '\x91'}) {
      auto longer = good;
      longer.push_back(extra);
      CAF_CHECK_EQUAL(code_of(decode_error(longer)), ec::malformed_message);
    }
  });
}

CAF_TEST(decoder_rejects_wrong_types_and_lengths) {
  // A transaction whose version is a string, an output_ref with three fields, a 31-byte hash.
  bytes wrong_version = {'\x93', '\xa1', '1', '\x90', '\x90'};
  CAF_CHECK_EQUAL(code_of(decode<transaction>(wrong_version).error()), ec::malformed_message);
  auto ref = encode(output_ref{filled<hash32>(1), 1});
  ref[0] = '\x93';
  ref.push_back('\x00');
  CAF_CHECK_EQUAL(code_of(decode<output_ref>(ref).error()), ec::malformed_message);
  bytes short_hash = {'\x92', '\xc4', '\x1f'};
  short_hash.insert(short_hash.end(), 31, '\x01');
  short_hash.push_back('\x00');
  CAF_CHECK_EQUAL(code_of(decode<output_ref>(short_hash).error()), ec::malformed_message);
  // A negative amount.
  bytes negative = {'\x92', '\xc4', '\x20'};
  negative.insert(negative.end(), 32, '\x01');
  negative.push_back('\xff');
  CAF_CHECK_EQUAL(code_of(decode<output>(negative).error()), ec::malformed_message);
  // A map where an array belongs.
  bytes map = {'\x80'};
  CAF_CHECK_EQUAL(code_of(decode<transaction>(map).error()), ec::malformed_message);
  CAF_CHECK_EQUAL(code_of(decode<transaction>(bytes{}).error()), ec::malformed_message);
}

bytes from_hex(const std::string& h) {
  bytes out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

/// `canonical` (hex) with its first `from` replaced by `to`: the same object, other bytes.
bytes variant(const std::string& canonical, const std::string& from, const std::string& to) {
  auto at = canonical.find(from);
  CAF_REQUIRE(at != std::string::npos);
  return from_hex(canonical.substr(0, at) + to + canonical.substr(at + from.size()));
}

CAF_TEST(decoder_accepts_only_the_one_canonical_encoding) {
  auto s = samples();
  auto ref = hex(s["output_ref"]); // 92 c420 11..11 07
  auto out = hex(s["output"]);     // 92 c420 21..21 ce000f4240
  auto rej = hex(s["rejected_reply"]);
  std::vector<std::pair<std::string, caf::error>> cases{
    // An integer wider than it needs.
    {"index as uint8", decode_error<output_ref>(variant(ref, "1107", "11cc07"))},
    {"index as uint16", decode_error<output_ref>(variant(ref, "1107", "11cd0007"))},
    {"index as uint32", decode_error<output_ref>(variant(ref, "1107", "11ce00000007"))},
    {"index as uint64", decode_error<output_ref>(variant(ref, "1107", "11cf0000000000000007"))},
    {"amount as uint64", decode_error<output>(variant(out, "ce000f4240", "cf00000000000f4240"))},
    {"version as uint8",
     decode_error<transaction>(variant(hex(s["transaction"]), "9301", "93cc01"))},
    // An array length wider than it needs.
    {"array16 header", decode_error<output_ref>(variant(ref, "92", "dc0002"))},
    {"array32 header", decode_error<output_ref>(variant(ref, "92", "dd00000002"))},
    // A byte string or text with a wider length field.
    {"bin16 header", decode_error<output_ref>(variant(ref, "c420", "c50020"))},
    {"bin32 header", decode_error<output_ref>(variant(ref, "c420", "c600000020"))},
    {"str8 for a short text", decode_error<sign_reply>(variant(rej, "be636f6e", "d91e636f6e"))},
  };
  for (const auto& [what, err] : cases) {
    CAF_MESSAGE(what);
    CAF_CHECK_EQUAL(code_of(err), ec::non_canonical);
  }
  // The canonical bytes themselves decode.
  CAF_CHECK(!decode_error<output_ref>(from_hex(ref)));
  CAF_CHECK(!decode_error<output>(from_hex(out)));
  CAF_CHECK(!decode_error<sign_reply>(from_hex(rej)));
}

CAF_TEST(decoder_rejects_unknown_version) {
  auto tx = sample_tx();
  tx.version = 2;
  CAF_CHECK_EQUAL(code_of(decode<transaction>(encode(tx)).error()), ec::unsupported_version);
  auto req = sample_request();
  req.tx.version = 9;
  CAF_CHECK_EQUAL(code_of(decode<sign_request>(encode(req)).error()), ec::unsupported_version);
}

CAF_TEST(decoder_rejects_over_limit_counts) {
  auto tx = sample_tx();
  tx.inputs.assign(limits::max_inputs + 1, output_ref{filled<hash32>(3), 0});
  CAF_CHECK_EQUAL(code_of(decode<transaction>(encode(tx)).error()), ec::malformed_message);
  tx = sample_tx();
  tx.outputs.assign(limits::max_outputs + 1, output{filled<address>(3), 1});
  CAF_CHECK_EQUAL(code_of(decode<transaction>(encode(tx)).error()), ec::malformed_message);
  // An array header that claims four billion entries, followed by nothing: no allocation, an error.
  bytes huge = {'\x93', '\x01', '\xdd', '\xff', '\xff', '\xff', '\xff'};
  CAF_CHECK_EQUAL(code_of(decode<transaction>(huge).error()), ec::malformed_message);
  bytes big(limits::max_message_bytes + 1, '\x00');
  CAF_CHECK_EQUAL(code_of(decode<sign_request>(big).error()), ec::message_too_large);
}

CAF_TEST(decoder_survives_random_bytes) {
  // Random inputs and random mutations of valid messages: every one decodes or is an error.
  std::mt19937_64 rng{42};
  auto good = encode(sample_request());
  size_t errors = 0;
  for (int i = 0; i < 20000; ++i) {
    bytes buf = good;
    auto flips = 1 + rng() % 4;
    for (size_t f = 0; f < flips; ++f)
      buf[rng() % buf.size()] = static_cast<char>(rng());
    if (!decode<sign_request>(buf))
      ++errors;
    bytes noise(rng() % 64);
    for (auto& c : noise)
      c = static_cast<char>(rng());
    if (!decode<sign_reply>(noise))
      ++errors;
  }
  CAF_CHECK_GREATER(errors, 20000u);
}
