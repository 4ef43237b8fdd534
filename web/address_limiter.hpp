// Token buckets by client address, for requests nobody should make by the thousand (looking up
// gifts by reference). Used on the loop thread only.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "web/token_bucket.hpp"

namespace boai::web {

class AddressLimiter {
 public:
  AddressLimiter(double per_minute, double burst) : rate_(per_minute / 60.0), burst_(burst) {}

  bool take(const std::string& address,
            TokenBucket::Clock::time_point now = TokenBucket::Clock::now()) {
    // Forgetting everyone at once when the map is large only ever lets in more requests, and
    // keeps the memory bounded whatever the addresses.
    if (buckets_.size() >= kMaxAddresses && !buckets_.contains(address)) {
      buckets_.clear();
    }
    return buckets_.try_emplace(address, rate_, burst_).first->second.take(now);
  }

 private:
  static constexpr std::size_t kMaxAddresses = 100000;
  double rate_, burst_;
  std::unordered_map<std::string, TokenBucket> buckets_;
};

}  // namespace boai::web
