// What the overlay shows: an immutable snapshot that app/ builds and hands to the studio.
// Plain data only; stream/ knows nothing of donations, it draws what it is given.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace boai::stream {

// One line of the donation ticker. The name arrives already masked ("张*", "爱心人士").
struct TickerEntry {
  std::string name;
  std::int64_t amount_fen = 0;
  std::string message;
};

// A few seconds' banner, shown while the wall clock is before `until`.
struct Alert {
  std::string text;
  std::chrono::system_clock::time_point until;
};

struct LowerThird {
  std::string name;
  std::string role;
};

// A wish or a sale item; the amount is optional (a wish's target, an item's price).
struct FeaturedCard {
  std::string title;
  std::string subtitle;
  std::optional<std::int64_t> amount_fen;
};

struct OverlayState {
  std::string campaign_title;
  std::int64_t goal_fen = 0;
  std::int64_t raised_fen = 0;      // pledged, settled included
  std::int64_t settled_fen = 0;     // money the providers confirmed
  std::vector<TickerEntry> ticker;  // newest first; the first few are drawn
  std::optional<Alert> alert;
  std::optional<LowerThird> lower_third;
  std::optional<FeaturedCard> featured;
  std::string qr_url;  // the viewer page with the campaign preselected
  bool qr_visible = true;
  std::string certificate_line;  // the station's fundraising certificate and credit code
};

}  // namespace boai::stream
