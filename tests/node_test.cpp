// Parts of the node processes that need no network: the reconnect backoff, payment URIs.
#define CAF_SUITE nodes
#include <caf/test/unit_test_impl.hpp>

#include "config/payment_uri.hpp"
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
  CAF_CHECK_EQUAL(code(a + "?amount=0"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?amount=-4"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?amount=99999999999999999999999"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?node=host"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?node=host:70000"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?node=:80"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?req-expiry=1"), ec::malformed_message);
  CAF_CHECK_EQUAL(code(a + "?amount"), ec::malformed_message);
}
