// A token bucket: `rate` tokens a second, up to `burst` saved. Used for messages per connection,
// pledges per session and logins per address.
#pragma once

#include <algorithm>
#include <chrono>

namespace boai::web {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}

  bool take(Clock::time_point now = Clock::now()) {
    refill(now);
    if (tokens_ < 1.0) {
      return false;
    }
    tokens_ -= 1.0;
    return true;
  }

 private:
  void refill(Clock::time_point now) {
    if (last_ != Clock::time_point{}) {
      std::chrono::duration<double> gone = now - last_;
      tokens_ = std::min(burst_, tokens_ + gone.count() * rate_);
    }
    last_ = now;
  }
  double rate_, burst_, tokens_;
  Clock::time_point last_{};
};

}  // namespace boai::web
