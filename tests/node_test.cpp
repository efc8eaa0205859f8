// Parts of the node processes that need no network: the reconnect backoff.
#define CAF_SUITE nodes
#include <caf/test/unit_test_impl.hpp>

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
