// The overlay's thanks: the ticker of the latest donations and the few seconds' banner, kept in
// step with the room's donations, payments and hidden names. Apart from Show so that what the
// video says can be checked without a studio (tests/unit/show_thanks_test.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "stream/overlay_state.hpp"
#include "web/room_feed.hpp"

namespace boai::app {

class ShowThanks {
 public:
  using Clock = std::chrono::system_clock;
  static constexpr std::size_t kTickerLength = 5;
  static constexpr auto kAlertFor = std::chrono::seconds(5);

  explicit ShowThanks(stream::OverlayState& state) : state_(state) {}

  // A new donation: the ticker's first line and a banner thanking the donor by name.
  void donation(const web::RoomDonation& donation, Clock::time_point now);
  // Money that arrived for a gift: its own banner, and its line marked once paid in full.
  void payment(const web::RoomDonation& payment, Clock::time_point now);
  // A host hid a donation's name and message: gone from its ticker line and from a banner that
  // is still up, which keeps the amount only. True when the overlay changed.
  bool hidden(std::int64_t pledge);
  // Takes a banner down once its time is over. True when it did.
  bool expire(Clock::time_point now);

 private:
  stream::OverlayState& state_;
  std::vector<std::int64_t> ticker_pledges_;  // the pledge of each of state_.ticker's lines
  std::int64_t alert_pledge_ = 0;             // whose banner is up; 0: none
  std::string alert_if_hidden_;               // the banner's words without the donor's name
};

}  // namespace boai::app
