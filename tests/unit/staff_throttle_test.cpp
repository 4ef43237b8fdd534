// Sign-in throttling's delays: free failures, then a wait after the last failure that doubles
// with every further one, up to the window.
#include <catch2/catch.hpp>

#include "web/staff_accounts.hpp"

using boai::web::kFailureWindowSeconds;
using boai::web::kFirstDelaySeconds;
using boai::web::throttle_wait_seconds;

TEST_CASE("a sign-in waits longer with every failure past the free ones") {
  CHECK(throttle_wait_seconds(0, 0, 5) == 0);
  CHECK(throttle_wait_seconds(4, 0, 5) == 0);
  CHECK(throttle_wait_seconds(5, 0, 5) == kFirstDelaySeconds);
  CHECK(throttle_wait_seconds(6, 0, 5) == 2 * kFirstDelaySeconds);
  CHECK(throttle_wait_seconds(7, 0, 5) == 4 * kFirstDelaySeconds);
  CHECK(throttle_wait_seconds(1000, 0, 5) == kFailureWindowSeconds);
}

TEST_CASE("the wait counts from the last failure") {
  CHECK(throttle_wait_seconds(5, 10, 5) == kFirstDelaySeconds - 10);
  CHECK(throttle_wait_seconds(5, 29.2, 5) == 1);
  CHECK(throttle_wait_seconds(5, kFirstDelaySeconds, 5) == 0);
  CHECK(throttle_wait_seconds(6, 2 * kFirstDelaySeconds + 1, 5) == 0);
}
