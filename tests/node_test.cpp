// Parts of the node processes that need no network: the reconnect backoff, payment URIs, the
// numbers users type.
#define CAF_SUITE nodes
#include <caf/test/unit_test_impl.hpp>

#include "config/payment_uri.hpp"
#include "config/wallet_backup.hpp"
#include "messages/decimal.hpp"
#include "messages/error.hpp"
#include "nodes/reconnect_backoff.hpp"

using namespace acfts;
using std::chrono::milliseconds;

CAF_TEST(backoff_doubles_up_to_its_cap_with_jitter_in_the_upper_half) {
  reconnect_backoff b{milliseconds(100), milliseconds(1000), 7};
  for (auto d : {100, 200, 400, 800, 1000, 1000, 1000}) {
    auto wait = b.next();
    CAF_CHECK_GREATER_OR_EQUAL(wait.count(), d / 2);
    CAF_CHECK_LESS_OR_EQUAL(wait.count(), d);
  }
}

CAF_TEST(backoff_starts_afresh_after_a_reset) {
  reconnect_backoff b{milliseconds(100), milliseconds(10000), 7};
  for (int i = 0; i < 6; ++i)
    b.next();
  b.reset();
  CAF_CHECK_LESS_OR_EQUAL(b.next().count(), 100);
}

CAF_TEST(backoffs_with_different_seeds_do_not_retry_in_step) {
  reconnect_backoff a{milliseconds(1000), milliseconds(1000), 1};
  reconnect_backoff b{milliseconds(1000), milliseconds(1000), 2};
  int same = 0;
  for (int i = 0; i < 20; ++i)
    same += a.next() == b.next();
  CAF_CHECK_LESS(same, 5);
}

CAF_TEST(payment_uris_round_trip_and_malformed_ones_are_refused_with_the_reason) {
  payment_uri uri;
  uri.payee = address::from_hex(std::string(64, 'a')).value();
  uri.host = "wallet.example";
  uri.port = 7004;
  uri.value = amount{25};
  CAF_CHECK_EQUAL(uri.text(),
                  "acfts:" + std::string(64, 'a') + "?node=wallet.example:7004&amount=25");
  auto back = parse_payment_uri(uri.text());
  CAF_REQUIRE(back);
  CAF_CHECK(back->payee == uri.payee);
  CAF_CHECK(back->host == uri.host);
  CAF_CHECK_EQUAL(back->port, 7004u);
  CAF_CHECK(back->value == uri.value);
  // Parameters in any order, unknown optional ones ignored, none at all.
  auto swapped = parse_payment_uri("acfts:" + std::string(64, 'a') + "?amount=3&label=x&node=h:1");
  CAF_REQUIRE(swapped);
  CAF_CHECK_EQUAL(swapped->value->units(), 3u);
  CAF_CHECK(parse_payment_uri("acfts:" + std::string(64, 'b')));
  auto code = [](const std::string& text) { return code_of(parse_payment_uri(text).error()); };
  auto a = "acfts:" + std::string(64, 'a');
  CAF_CHECK_EQUAL(code("bitcoin:" + std::string(64, 'a')), ec::malformed_message);
  CAF_CHECK_EQUAL(code("acfts:" + std::string(63, 'a')), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?amount=0"), ec::zero_payment);
  CAF_CHECK_EQUAL(code(a + "?amount=-4"), ec::invalid_number);
  CAF_CHECK_EQUAL(code(a + "?amount=010"), ec::invalid_number);
  CAF_CHECK_EQUAL(code(a + "?amount=0x10"), ec::invalid_number);
  CAF_CHECK_EQUAL(code(a + "?amount=99999999999999999999999"), ec::amount_out_of_range);
  CAF_CHECK_EQUAL(code(a + "?node=host"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?node=host:70000"), ec::amount_out_of_range);
  CAF_CHECK_EQUAL(code(a + "?node=host:080"), ec::invalid_number);
  CAF_CHECK_EQUAL(code(a + "?node=:80"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?req-expiry=1"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?amount"), ec::malformed_message);
}

CAF_TEST(a_payment_uri_that_names_a_parameter_twice_is_refused_not_read_last_wins) {
  auto a = "acfts:" + std::string(64, 'a');
  auto twice = parse_payment_uri(a + "?amount=3&amount=900");
  CAF_REQUIRE(!twice);
  CAF_CHECK_EQUAL(code_of(twice.error()), ec::malformed_message);
  CAF_CHECK(describe(twice.error()).find("amount appears twice") != std::string::npos);
  CAF_CHECK(!parse_payment_uri(a + "?node=h:1&amount=3&node=evil:2"));
}

CAF_TEST(amounts_are_decimal_digits_exactly_as_typed) {
  auto units = [](const std::string& text) { return parse_amount(text, "--amount"); };
  auto code = [&](const std::string& text) { return code_of(units(text).error()); };
  for (auto [text, want] : {std::pair<const char*, uint64_t>{"1", 1},
                            {"10", 10},
                            {"18446744073709551615", UINT64_MAX}}) {
    auto got = units(text);
    CAF_REQUIRE(got);
    CAF_CHECK_EQUAL(got->units(), want);
  }
  // C literals are not amounts: 010 is not eight, 0x10 not sixteen, -5 not 2^64-5.
  for (auto text : {"010", "00", "0x10", "0X10", "0b1", "-5", "+5", " 5", "5 ", "5\n", "1e3", "1.0",
                    "1,000", "1_000", "", "five", "\xd9\xa3"})
    CAF_CHECK_EQUAL(code(text), ec::invalid_number);
  // Never clamped: 2^64 and beyond are out of range, however many digits.
  CAF_CHECK_EQUAL(code("18446744073709551616"), ec::amount_out_of_range);
  CAF_CHECK_EQUAL(code("99999999999999999999"), ec::amount_out_of_range);
  CAF_CHECK_EQUAL(code(std::string(400, '9')), ec::amount_out_of_range);
  CAF_CHECK_EQUAL(code("0"), ec::zero_payment);
  // The error names what was typed and where.
  auto err = describe(units("010").error());
  CAF_CHECK(err.find("--amount") != std::string::npos);
  CAF_CHECK(err.find("'010'") != std::string::npos);
}

CAF_TEST(other_typed_numbers_follow_the_same_rules_within_their_range) {
  auto zero = parse_decimal("0", "--limit");
  CAF_REQUIRE(zero);
  CAF_CHECK_EQUAL(*zero, 0u);
  auto top = parse_decimal("65535", "--port", 0, 65535);
  CAF_REQUIRE(top);
  CAF_CHECK_EQUAL(*top, 65535u);
  CAF_CHECK_EQUAL(code_of(parse_decimal("65536", "--port", 0, 65535).error()),
                  ec::amount_out_of_range);
  CAF_CHECK_EQUAL(code_of(parse_decimal("0", "--count", 1).error()), ec::amount_out_of_range);
  CAF_CHECK_EQUAL(code_of(parse_decimal("07", "--count", 1).error()), ec::invalid_number);
}

namespace {

wallet_backup sample_backup() {
  wallet_backup b;
  b.wallet_name = "w0";
  b.wallet_file = "name = 'w0'\n";
  b.committee_file = "f = 1\n";
  b.files = {{"keys/a0.key", bytes{'s', 'e', 'c', 'r', 'e', 't'}}};
  b.records = {{"M", std::string(32, 'c')}, {std::string("u") + std::string(68, '\1'), "8bytes.."}};
  return b;
}

} // namespace

CAF_TEST(a_backup_opens_with_its_passphrase_only_and_holds_what_was_sealed) {
  auto sealed = seal_backup(sample_backup(), "correct horse");
  CAF_REQUIRE(sealed);
  // The secrets are not readable in the file.
  std::string text(sealed->begin(), sealed->end());
  CAF_CHECK_EQUAL(text.find("secret"), std::string::npos);
  CAF_CHECK_EQUAL(text.find("name = 'w0'"), std::string::npos);
  auto back = open_backup(*sealed, "correct horse");
  CAF_REQUIRE(back);
  CAF_CHECK_EQUAL(back->wallet_name, "w0");
  CAF_CHECK_EQUAL(back->wallet_file, "name = 'w0'\n");
  CAF_CHECK(back->files == sample_backup().files);
  CAF_CHECK(back->records == sample_backup().records);
  auto wrong = open_backup(*sealed, "correct horse ");
  CAF_REQUIRE(!wrong);
  CAF_CHECK(describe(wrong.error()).find("wrong passphrase") != std::string::npos);
}

CAF_TEST(a_tampered_truncated_or_unknown_backup_is_refused) {
  auto sealed = seal_backup(sample_backup(), "pw");
  CAF_REQUIRE(sealed);
  auto refused = [&](bytes b, const char* why) {
    auto r = open_backup(b, "pw");
    CAF_REQUIRE(!r);
    CAF_CHECK_EQUAL(code_of(r.error()), ec::invalid_config);
    CAF_MESSAGE(describe(r.error()));
    CAF_CHECK(describe(r.error()).find(why) != std::string::npos);
  };
  for (size_t at : {size_t{17}, size_t{40}, size_t{60}, sealed->size() - 1}) {
    auto b = *sealed; // the salt, the limits' neighbourhood, the stream header, the tag
    b[at] = static_cast<char>(b[at] ^ 1);
    auto r = open_backup(b, "pw");
    CAF_CHECK(!r);
  }
  auto body = *sealed;
  body[sealed->size() / 2] ^= 0x20;
  refused(body, "altered");
  refused(bytes(sealed->begin(), sealed->begin() + 50), "truncated");
  refused(bytes(sealed->begin(), sealed->end() - 1), "altered or cut short");
  auto v2 = *sealed;
  v2[14] = '2'; // "acfts-backup-v2"
  refused(v2, "version");
  refused(bytes{'h', 'i'}, "not an acfts backup");
  auto greedy = *sealed; // memlimit raised to 2^62: refused before any work
  greedy[16 + 16 + 8] = 0x40;
  refused(greedy, "limits");
}
