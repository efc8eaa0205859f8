// Rule 3 for inputs owned by spending policies, one behaviour per test, on validator_core over an
// in-memory lock table with real keys of every scheme. Every refusal has its stable code and
// leaves nothing locked; limits are refused before any signature is checked.
#define CAF_SUITE policy
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <algorithm>
#include <ctime>

#include "crypto/hashing.hpp"
#include "crypto/schemes.hpp"
#include "messages/error.hpp"
#include "protocol/cosign.hpp"
#include "protocol/memory_lock_table.hpp"
#include "config/policy_json.hpp"
#include "protocol/policy_text.hpp"
#include "protocol/policy_rules.hpp"
#include "protocol/validator_core.hpp"
#include "tests/support.hpp"

using namespace acfts;

namespace {

policy key_policy(const owner_key& k) {
  policy p;
  p.type = policy::kind::key;
  p.scheme = static_cast<uint8_t>(k.scheme());
  p.key = k.public_key().key;
  return p;
}

policy thresh(uint16_t k, std::vector<std::pair<uint8_t, policy>> children) {
  policy p;
  p.type = policy::kind::threshold;
  p.k = k;
  for (auto& [w, c] : children) {
    p.weights.push_back(w);
    p.children.push_back(std::move(c));
  }
  return p;
}

policy condition(policy::kind kind, uint64_t value) {
  policy p;
  p.type = kind;
  if (kind == policy::kind::max_out)
    p.limit = value;
  else
    p.time = value;
  return p;
}

policy only_to(std::vector<address> payees) {
  policy p;
  p.type = policy::kind::only_to;
  std::sort(payees.begin(), payees.end());
  p.payees = std::move(payees);
  return p;
}

struct policy_fixture {
  cluster_keys k = test::thesis_keys();
  std::shared_ptr<memory_lock_table> table;
  std::unique_ptr<validator_core> core;
  owner_key ed = owner_key::generate(key_scheme::ed25519);
  owner_key secp = owner_key::generate(key_scheme::secp256k1);
  owner_key p256 = owner_key::generate(key_scheme::p256);
  address payee = test::addr(k, 4);
  uint64_t now = 1'800'000'000;

  policy_fixture() { fresh_validator(); }

  /// Validator 0 with an empty lock table and the test's clock.
  void fresh_validator() {
    table = std::make_shared<memory_lock_table>();
    core = std::make_unique<validator_core>(k.net, 0, k.validators[0], table);
    core->set_clock([this] { return now; });
  }

  /// 2-of-3 across the three schemes.
  policy two_of_three() {
    return thresh(2, {{1, key_policy(ed)}, {1, key_policy(secp)}, {1, key_policy(p256)}});
  }

  /// a0 pays 1,000 of the genesis to the address of `p` (certified by the committee).
  certified_transaction fund(const policy& p) {
    auto req = test::make_request(k, 0, {test::genesis_output(k)},
                                  {{policy_address(p), 1000}, {test::addr(k, 0), 999'000}});
    return certified_transaction{req.tx, test::certify(k, req.tx)};
  }

  /// A request spending the funded output of `p` into `outputs` (default: 300 to the payee, the
  /// rest back), signed by `signers` (key leaf index → key).
  sign_request spend(const policy& p,
                     const std::vector<std::pair<uint16_t, const owner_key*>>& signers,
                     std::vector<output> outputs = {}) {
    auto parent = fund(p);
    if (outputs.empty())
      outputs = {{payee, 300}, {policy_address(p), 700}};
    sign_request req;
    req.committee_id = k.net.id;
    req.tx.inputs = {output_ref{tx_hash(parent.tx), 0}};
    req.tx.outputs = std::move(outputs);
    req.parents = {parent};
    auto h = tx_hash(req.tx);
    policy_witness w{p, {}};
    for (const auto& [leaf, key] : signers)
      w.sigs.push_back(leaf_signature{leaf, key->sign_tx(h)});
    req.policy_witnesses = {w};
    return req;
  }

  /// The code validator 0 answers (ec::none: signed). Goes through the wire bytes, as a peer's
  /// request does.
  ec verdict(const sign_request& req) {
    auto raw = encode(req);
    auto out = core->handle(raw.data(), raw.size());
    sign_reply r = out.answer;
    if (out.kind == validator_core::outcome::commit)
      r = core->committed(out.tx_hash, table->commit({&out.record}));
    if (auto rej = std::get_if<rejected_reply>(&r)) {
      last_detail = rej->detail;
      return static_cast<ec>(rej->code);
    }
    return ec::none;
  }

  bool locked(const sign_request& req) { return table->lock_of(req.tx.inputs[0])->has_value(); }

  std::string last_detail;
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(policy_rules, policy_fixture)

CAF_TEST(two_of_three_across_three_schemes_is_signed_by_any_two) {
  for (auto pair : {std::pair{0, 1}, std::pair{0, 2}, std::pair{1, 2}}) {
    const owner_key* keys[] = {&ed, &secp, &p256};
    auto req = spend(two_of_three(), {{static_cast<uint16_t>(pair.first), keys[pair.first]},
                                      {static_cast<uint16_t>(pair.second), keys[pair.second]}});
    CAF_CHECK_EQUAL(verdict(req), ec::none);
    CAF_CHECK(locked(req));
    fresh_validator(); // the next pair spends the same output
  }
}

CAF_TEST(one_signature_of_two_is_refused_naming_the_missing_weight) {
  auto req = spend(two_of_three(), {{1, &secp}});
  CAF_CHECK_EQUAL(verdict(req), ec::policy_not_satisfied);
  CAF_CHECK(last_detail.find("weight 1 of 2, missing 1") != std::string::npos);
  CAF_CHECK(!locked(req));
}

CAF_TEST(weights_count) {
  auto p = thresh(3, {{2, key_policy(p256)}, {1, key_policy(ed)}, {1, key_policy(secp)}});
  CAF_CHECK_EQUAL(verdict(spend(p, {{0, &p256}, {2, &secp}})), ec::none);
  CAF_CHECK_EQUAL(verdict(spend(p, {{1, &ed}, {2, &secp}})), ec::policy_not_satisfied);
}

CAF_TEST(a_policy_that_does_not_hash_to_the_owner_is_refused) {
  auto req = spend(two_of_three(), {{0, &ed}, {1, &secp}});
  // Reveal another policy (the same keys, threshold 1) for the same input.
  auto other = thresh(1, {{1, key_policy(ed)}, {1, key_policy(secp)}, {1, key_policy(p256)}});
  req.policy_witnesses[0].spend_policy = other;
  CAF_CHECK_EQUAL(verdict(req), ec::policy_mismatch);
  CAF_CHECK(!locked(req));
}

CAF_TEST(a_valid_and_a_forged_signature_of_each_scheme) {
  for (const owner_key* key : {&ed, &secp, &p256}) {
    CAF_MESSAGE(name_of(key->scheme()));
    auto p = key_policy(*key);
    auto forged = spend(p, {{0, key}}, {{payee, 301}, {policy_address(p), 699}});
    forged.policy_witnesses[0].sigs[0].sig.data()[7] ^= 1;
    CAF_CHECK_EQUAL(verdict(forged), ec::invalid_witness);
    CAF_CHECK(!locked(forged));
    CAF_CHECK_EQUAL(verdict(spend(p, {{0, key}})), ec::none);
  }
}

CAF_TEST(a_signature_of_one_scheme_for_another_schemes_key_is_refused) {
  // Leaf 1 is secp256k1; the signature is an Ed25519 one over the same message.
  auto req = spend(two_of_three(), {{0, &ed}, {1, &secp}});
  req.policy_witnesses[0].sigs[1].sig = ed.sign_tx(tx_hash(req.tx));
  CAF_CHECK_EQUAL(verdict(req), ec::invalid_witness);
  auto p256_as_ed = spend(two_of_three(), {{0, &ed}, {2, &p256}});
  p256_as_ed.policy_witnesses[0].sigs[0].sig = p256.sign_tx(tx_hash(p256_as_ed.tx));
  CAF_CHECK_EQUAL(verdict(p256_as_ed), ec::invalid_witness);
  CAF_CHECK(!locked(p256_as_ed));
}

CAF_TEST(duplicate_signatures_for_one_leaf_count_once) {
  // Listed twice, a leaf's signature is refused by the decoder (one per leaf, in leaf order):
  // it cannot add weight.
  auto req = spend(two_of_three(), {{0, &ed}});
  req.policy_witnesses[0].sigs.push_back(req.policy_witnesses[0].sigs[0]);
  CAF_CHECK_EQUAL(verdict(req), ec::malformed_message);
  CAF_CHECK(!locked(req));
  // One key in two leaves signs each leaf it holds: the policy's author gave it that weight.
  auto twice = thresh(2, {{1, key_policy(ed)}, {1, key_policy(ed)}, {1, key_policy(p256)}});
  CAF_CHECK_EQUAL(verdict(spend(twice, {{0, &ed}})), ec::policy_not_satisfied);
  CAF_CHECK_EQUAL(verdict(spend(twice, {{0, &ed}, {1, &ed}})), ec::none);
}

CAF_TEST(only_as_many_signatures_as_the_threshold_needs_are_checked) {
  auto any = thresh(1, {{1, key_policy(ed)}, {1, key_policy(secp)}, {1, key_policy(p256)}});
  auto req = spend(any, {{0, &ed}, {1, &secp}, {2, &p256}});
  auto before = tx_signature_checks();
  CAF_CHECK_EQUAL(verdict(req), ec::none);
  CAF_CHECK_EQUAL(tx_signature_checks() - before, 1u);
}

CAF_TEST(each_limit_is_refused_before_any_signature_check) {
  std::vector<owner_key> many;
  for (int i = 0; i < 17; ++i)
    many.push_back(owner_key::generate(key_scheme::ed25519));
  auto keys = [&](size_t n) {
    std::vector<std::pair<uint8_t, policy>> out;
    for (size_t i = 0; i < n; ++i)
      out.emplace_back(1, key_policy(many[i]));
    return out;
  };
  policy deep = key_policy(ed);
  for (int i = 0; i < 4; ++i)
    deep = thresh(1, {{1, deep}});
  std::vector<std::pair<uint8_t, policy>> conditions;
  for (int i = 0; i < 33; ++i)
    conditions.emplace_back(1, condition(policy::kind::after, 1));
  conditions.emplace_back(1, key_policy(ed));
  std::vector<address> payees;
  for (int i = 0; i < 16; ++i)
    payees.push_back(test::filled<address>(static_cast<uint8_t>(i)));
  std::vector<std::pair<uint8_t, policy>> wide;
  for (int i = 0; i < 8; ++i)
    wide.emplace_back(1, only_to(payees));
  wide.emplace_back(1, key_policy(ed));
  struct over {
    const char* what;
    policy p;
  };
  for (auto& [what, p] : std::vector<over>{{"17 keys", thresh(1, keys(17))},
                                           {"depth 5", deep},
                                           {"34 nodes", thresh(1, conditions)},
                                           {"more than 4 KiB", thresh(1, wide)}}) {
    CAF_MESSAGE(what);
    auto before = tx_signature_checks();
    auto req = spend(p, {{0, &many[0]}});
    CAF_CHECK_EQUAL(verdict(req), ec::policy_over_limit);
    CAF_CHECK_EQUAL(tx_signature_checks(), before);
    CAF_CHECK(!locked(req));
  }
}

CAF_TEST(more_than_64_signatures_in_one_request_are_refused_before_any_check) {
  // Five inputs, each owned by its own 16-of-16 policy, fully signed: 80 signatures.
  std::vector<owner_key> many;
  for (int i = 0; i < 16; ++i)
    many.push_back(owner_key::generate(key_scheme::ed25519));
  sign_request req;
  req.committee_id = k.net.id;
  transaction funding;
  funding.inputs = {test::genesis_output(k)};
  std::vector<policy> policies;
  for (uint8_t n = 0; n < 5; ++n) {
    std::vector<std::pair<uint8_t, policy>> children;
    for (int i = 0; i < 16; ++i)
      children.emplace_back(1, key_policy(many[i]));
    children.emplace_back(1, condition(policy::kind::after, n)); // five different addresses
    policies.push_back(thresh(17, children));
    funding.outputs.push_back({policy_address(policies.back()), 10});
  }
  funding.outputs.push_back({test::addr(k, 0), 1'000'000 - 50});
  auto funding_cert = test::certify(k, funding);
  for (uint32_t n = 0; n < 5; ++n)
    req.tx.inputs.push_back({tx_hash(funding), n});
  req.tx.outputs = {{payee, 50}};
  req.parents = {{funding, funding_cert}};
  auto h = tx_hash(req.tx);
  for (const auto& p : policies) {
    policy_witness w{p, {}};
    for (uint16_t i = 0; i < 16; ++i)
      w.sigs.push_back({i, many[i].sign_tx(h)});
    req.policy_witnesses.push_back(w);
  }
  auto before = tx_signature_checks();
  CAF_CHECK_EQUAL(verdict(req), ec::policy_over_limit);
  CAF_CHECK_EQUAL(tx_signature_checks(), before);
}

CAF_TEST(max_out_caps_what_leaves_the_address) {
  auto capped = thresh(2, {{1, key_policy(ed)}, {1, condition(policy::kind::max_out, 300)}});
  auto over = spend(capped, {{0, &ed}}, {{payee, 301}, {policy_address(capped), 699}});
  CAF_CHECK_EQUAL(verdict(over), ec::policy_not_satisfied);
  CAF_CHECK(last_detail.find("failed: max_out(300): 301 would leave") != std::string::npos);
  CAF_CHECK(!locked(over));
  CAF_CHECK_EQUAL(verdict(spend(capped, {{0, &ed}})), ec::none); // 300 leaves, 700 stays
}

CAF_TEST(only_to_allows_listed_payees_and_the_address_itself) {
  auto listed = thresh(2, {{1, key_policy(secp)}, {1, only_to({payee})}});
  auto elsewhere =
    spend(listed, {{0, &secp}}, {{test::addr(k, 5), 300}, {policy_address(listed), 700}});
  CAF_CHECK_EQUAL(verdict(elsewhere), ec::policy_not_satisfied);
  CAF_CHECK(
    last_detail.find("failed: only_to: payee " + test::addr(k, 5).short_hex() + " is not allowed")
    != std::string::npos);
  CAF_CHECK(!locked(elsewhere));
  CAF_CHECK_EQUAL(verdict(spend(listed, {{0, &secp}})), ec::none);
}

CAF_TEST(after_and_before_are_judged_by_the_validators_clock) {
  auto window = thresh(3, {{1, key_policy(p256)},
                           {1, condition(policy::kind::after, 1'800'000'000)},
                           {1, condition(policy::kind::before, 1'800'000'100)}});
  now = 1'799'999'999;
  auto early = spend(window, {{0, &p256}});
  CAF_CHECK_EQUAL(verdict(early), ec::policy_not_satisfied);
  CAF_CHECK(last_detail.find("failed: after(1800000000): the validator's clock says 1799999999")
            != std::string::npos);
  CAF_CHECK(!locked(early));
  now = 1'800'000'100;
  CAF_CHECK_EQUAL(verdict(early), ec::policy_not_satisfied);
  now = 1'800'000'000;
  CAF_CHECK_EQUAL(verdict(early), ec::none);
}

CAF_TEST(a_guardian_can_approve_above_the_cap) {
  // The owner alone up to 300; above it, owner and guardian: thresh(3, 2*owner, max_out, guardian).
  auto p = thresh(
    3, {{2, key_policy(ed)}, {1, condition(policy::kind::max_out, 300)}, {1, key_policy(p256)}});
  CAF_CHECK_EQUAL(verdict(spend(p, {{0, &ed}})), ec::none);
  fresh_validator();
  auto big = spend(p, {{0, &ed}}, {{payee, 900}, {policy_address(p), 100}});
  CAF_CHECK_EQUAL(verdict(big), ec::policy_not_satisfied);
  auto approved = spend(p, {{0, &ed}, {1, &p256}}, {{payee, 900}, {policy_address(p), 100}});
  CAF_CHECK_EQUAL(verdict(approved), ec::none);
  auto guardian_alone = spend(p, {{1, &p256}}, {{payee, 100}, {policy_address(p), 900}});
  fresh_validator();
  CAF_CHECK_EQUAL(verdict(guardian_alone), ec::policy_not_satisfied);
}

CAF_TEST(a_policy_that_would_lock_its_coins_or_means_less_than_it_says_is_refused_when_made) {
  uint64_t today = 1'800'000'000;
  auto e = key_policy(ed), s = key_policy(secp);
  auto code = [&](const policy& p) { return code_of(lint_policy(p, today)); };
  CAF_CHECK_EQUAL(code(thresh(2, {{1, e}, {1, s}})), ec::none);
  // thresh(2, K, K): one signature would count twice.
  CAF_CHECK_EQUAL(code(thresh(2, {{1, e}, {1, e}})), ec::invalid_config);
  CAF_CHECK(describe(lint_policy(thresh(2, {{1, e}, {1, e}}), today)).find("twice")
            != std::string::npos);
  // The same key in two branches is a pattern (a guardian, a cap), not a mistake.
  CAF_CHECK_EQUAL(
    code(thresh(1, {{1, thresh(2, {{1, e}, {1, condition(policy::kind::max_out, 5)}})},
                    {1, thresh(2, {{1, e}, {1, s}})}})),
    ec::none);
  CAF_CHECK_EQUAL(code(thresh(3, {{1, e}, {1, s}})), ec::invalid_config); // unreachable
  CAF_CHECK_EQUAL(code(thresh(2, {{1, e}, {1, condition(policy::kind::before, today)}})),
                  ec::invalid_config); // a window already closed
  CAF_CHECK_EQUAL(code(thresh(2, {{1, e}, {1, condition(policy::kind::before, today + 1)}})),
                  ec::none);
  CAF_CHECK_EQUAL(code(thresh(2, {{1, e}, {1, condition(policy::kind::max_out, 0)}})),
                  ec::invalid_config);
  CAF_CHECK_EQUAL(code(thresh(2, {{1, e}, {1, condition(policy::kind::after, today + 99)}})),
                  ec::none); // a window not yet open is fine: the coins wait for it
}

CAF_TEST(a_policy_address_is_never_a_single_key_address) {
  auto p = key_policy(ed);
  public_key pk;
  std::copy(ed.public_key().key.begin(), ed.public_key().key.end(), pk.data());
  CAF_CHECK_NOT_EQUAL(policy_address(p), address_of(pk));
  // A policy without a key would be spendable by anyone: it is no policy at all.
  CAF_CHECK_EQUAL(code_of(check_policy_limits(condition(policy::kind::after, 1)).error()),
                  ec::malformed_message);
}

CAF_TEST(the_readable_form_round_trips_the_examples) {
  auto e = ed.public_key().text(), s = secp.public_key().text(), p = p256.public_key().text();
  auto other_p256 = owner_key::generate(key_scheme::p256).public_key().text();
  for (auto text : {"thresh(2, " + e + ", " + s + ", " + p + ")",
                    "thresh(3, 2*" + e + ", " + p + ", " + other_p256 + ")",
                    "or(and(" + e + ", max_out(1000)), thresh(2, " + e + ", " + p + ", " + s + "))",
                    "and(" + e + ", before(2027-01-01T00:00:00Z), max_out(50))",
                    "and(" + s + ", only_to(" + payee.hex() + "), after(1800000000))"}) {
    CAF_MESSAGE(text);
    auto parsed = parse_policy(text);
    CAF_REQUIRE(parsed);
    auto again = parse_policy(policy_text(*parsed));
    CAF_REQUIRE(again);
    CAF_CHECK(*again == *parsed);
  }
  auto dated = parse_policy("and(" + e + ", before(2027-01-01T00:00:00Z))");
  CAF_REQUIRE(dated);
  CAF_CHECK_EQUAL(dated->children[1].time, 1798761600u);
}

CAF_TEST(a_policy_file_in_json_gives_the_policy_of_its_readable_form) {
  auto e = ed.public_key().text(), s = secp.public_key().text(), p = p256.public_key().text();
  auto want = parse_policy("or(and(" + e + ", max_out(1000), before(2027-01-01T00:00:00Z)), "
                           + "thresh(3, 2*" + e + ", " + p + ", " + s + "), and(" + s + ", only_to("
                           + payee.hex() + "), after(1800000000)))");
  CAF_REQUIRE(want);
  auto json = R"({"or": [
      {"and": [{"key": ")"
              + e + R"("}, {"max_out": 1000}, {"before": "2027-01-01T00:00:00Z"}]},
      {"thresh": 3, "of": [{"key": ")"
              + e + R"(", "weight": 2}, {"key": ")" + p + R"("},
                           {"key": ")"
              + s + R"("}]},
      {"and": [{"key": ")"
              + s + R"("}, {"only_to": [")" + payee.hex() + R"("]},
               {"after": 1800000000}]}]})";
  auto got = parse_policy_json(json);
  CAF_REQUIRE(got);
  CAF_CHECK(*got == *want);
  auto text_form = parse_policy_json(R"({"policy": ")" + policy_text(*want) + R"("})");
  CAF_REQUIRE(text_form);
  CAF_CHECK(*text_form == *want);
  // Refused, with the reason: not JSON, an unknown or extra field, a wrong type, a string that
  // would add structure to the readable form, the readable form's own refusals.
  auto code = [](const std::string& j) { return code_of(parse_policy_json(j).error()); };
  CAF_CHECK_EQUAL(code("{\"or\": ["), ec::malformed_message);
  CAF_CHECK_EQUAL(code(R"({"xor": [{"key": ")" + e + R"("}]})"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(R"({"key": ")" + e + R"(", "max_out": 5})"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(R"({"thresh": "2", "of": [{"key": ")" + e + R"("}]})"),
                  ec::malformed_message);
  CAF_CHECK_EQUAL(code(R"({"thresh": -1, "of": [{"key": ")" + e + R"("}]})"),
                  ec::malformed_message);
  CAF_CHECK_EQUAL(code(R"({"key": ")" + e + ", " + s + R"("})"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(R"({"key": "rsa:00"})"), ec::unknown_scheme);
  CAF_CHECK_EQUAL(code(R"({"and": []})"), ec::malformed_message);
  std::string deep = R"({"key": ")" + e + R"("})";
  for (int i = 0; i < 5; ++i)
    deep = R"({"and": [)" + deep + "]}";
  CAF_CHECK_EQUAL(code(deep), ec::policy_over_limit);
}

CAF_TEST(a_malformed_readable_policy_is_refused_with_its_reason) {
  auto e = ed.public_key().text();
  CAF_CHECK_EQUAL(code_of(parse_policy("thresh(2, " + e).error()), ec::malformed_message);
  CAF_CHECK_EQUAL(code_of(parse_policy("thresh(0, " + e + ")").error()), ec::malformed_message);
  CAF_CHECK_EQUAL(code_of(parse_policy("and(" + e + ", 0*" + e + ")").error()),
                  ec::malformed_message);
  CAF_CHECK_EQUAL(code_of(parse_policy("rsa:00").error()), ec::unknown_scheme);
  CAF_CHECK_EQUAL(code_of(parse_policy("p256:" + std::string(66, '0')).error()), ec::invalid_key);
  CAF_CHECK_EQUAL(code_of(parse_policy("max_out(10)").error()), ec::malformed_message); // no key
  CAF_CHECK_EQUAL(code_of(parse_policy("and(" + e + ", after(tomorrow))").error()),
                  ec::malformed_message);
  CAF_CHECK_EQUAL(code_of(parse_policy("whatever(" + e + ")").error()), ec::malformed_message);
  std::string deep = e;
  for (int i = 0; i < 4; ++i)
    deep = "or(" + deep + ")";
  CAF_CHECK_EQUAL(code_of(parse_policy(deep).error()), ec::policy_over_limit);
}

CAF_TEST(a_nesting_of_a_hundred_thousand_is_refused_while_parsing_not_by_a_crash) {
  // The parser refuses at the fifth level, before it recurses further: linear time, a stack of
  // four frames. (Before, 100 KB of nesting overflowed the stack.)
  auto e = ed.public_key().text();
  constexpr size_t levels = 100000;
  std::string deep;
  deep.reserve(levels * 4 + e.size());
  for (size_t i = 0; i < levels; ++i)
    deep += "or(";
  deep += e;
  deep.append(levels, ')');
  auto refused = parse_policy(deep);
  CAF_REQUIRE(!refused);
  CAF_CHECK_EQUAL(code_of(refused.error()), ec::policy_over_limit);
  std::string shallow_but_long = "or(" + e;
  for (size_t i = 0; i < 40; ++i)
    shallow_but_long += ", " + e;
  CAF_CHECK_EQUAL(code_of(parse_policy(shallow_but_long + ")").error()), ec::policy_over_limit);
  std::string opened;
  for (size_t i = 0; i < levels; ++i)
    opened += "and(";
  CAF_CHECK_EQUAL(code_of(parse_policy(opened).error()), ec::policy_over_limit);
  CAF_CHECK_EQUAL(code_of(parse_policy(std::string(1 << 20, ' ')).error()), ec::policy_over_limit);
  std::string json_deep;
  for (size_t i = 0; i < levels; ++i)
    json_deep += R"({"or": [)";
  CAF_CHECK_EQUAL(code_of(parse_policy_json(json_deep).error()), ec::policy_over_limit);
  std::string arrays(10000, '['); // short enough to be read, too deep to be a policy
  CAF_CHECK_EQUAL(code_of(parse_policy_json(arrays).error()), ec::policy_over_limit);
}

CAF_TEST(signers_apart_combine_their_signatures_and_the_validator_signs) {
  auto p = two_of_three();
  auto req = spend(p, {});
  auto h = tx_hash(req.tx);
  // Two co-signers, each on their own machine with one key.
  policy_witness first{p, {}}, second{p, {}};
  CAF_CHECK_EQUAL(sign_policy(first, h, {&secp}), 1u);
  auto stranger = owner_key::generate(key_scheme::ed25519); // holds no key of this policy
  CAF_CHECK_EQUAL(sign_policy(second, h, {&p256, &stranger}), 1u);
  req.policy_witnesses = {first};
  CAF_CHECK_EQUAL(verdict(req), ec::policy_not_satisfied);
  auto both = combine(first, second);
  CAF_REQUIRE(both);
  CAF_CHECK_EQUAL(both->sigs.size(), 2u);
  req.policy_witnesses = {*both};
  CAF_CHECK_EQUAL(verdict(req), ec::none);
  policy_witness foreign{thresh(1, {{1, key_policy(ed)}}), {}};
  CAF_CHECK_EQUAL(code_of(combine(first, foreign).error()), ec::policy_mismatch);
}

CAF_TEST(a_cosigning_summary_says_who_signed_what_is_missing_and_which_signature_is_bad) {
  auto p = two_of_three();
  auto req = spend(p, {});
  auto h = tx_hash(req.tx);
  policy_witness w{p, {}};
  CAF_CHECK_EQUAL(sign_policy(w, h, {&secp}), 1u);
  req.policy_witnesses = {w};
  auto now = static_cast<uint64_t>(std::time(nullptr));
  auto one = summarize(req, now);
  CAF_CHECK(one.tx == h);
  CAF_REQUIRE_EQUAL(one.policies.size(), 1u);
  CAF_CHECK_EQUAL(one.policies[0].keys.size(), 3u);
  CAF_CHECK(!one.complete());
  CAF_CHECK_EQUAL(code_of(incomplete(one)), ec::policy_not_satisfied);
  CAF_CHECK_EQUAL(missing_text(one.policies[0].report), "weight 1 of 2, missing 1");
  CAF_CHECK_EQUAL(sign_policy(req.policy_witnesses[0], h, {&p256}), 1u);
  auto two = summarize(req, now);
  CAF_CHECK(two.complete());
  CAF_CHECK_EQUAL(incomplete(two), caf::error{});
  // A signature flipped in the file: the summary says so before any validator is asked.
  req.policy_witnesses[0].sigs[0].sig.bytes[0] ^= 1;
  auto bad = summarize(req, now);
  CAF_CHECK(bad.bad_signature);
  CAF_CHECK_EQUAL(code_of(incomplete(bad)), ec::invalid_witness);
}

CAF_TEST_FIXTURE_SCOPE_END()
