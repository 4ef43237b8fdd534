// What the overlay shows: an immutable snapshot that app/ builds and hands to the studio.
// Plain data only; stream/ knows nothing of donations: amounts arrive as text app/ formatted, and
// fen only where the renderer draws a fraction (the goal bar, a card's progress bar).
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
  std::string amount_text;  // "¥50.00"
  std::string message;
  bool paid = false;  // the money arrived: drawn with 已到账
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

// How far a card's target is funded: the bar's fraction from the fen, the words from the texts.
struct CardProgress {
  std::int64_t raised_fen = 0;
  std::int64_t goal_fen = 0;
  std::string raised_text;  // "¥1,200.00", drawn after 已筹
  std::string left_text;    // "¥3,800.00", drawn after 还差 while raised_fen < goal_fen
};

// A wish or a sale item; the amount is optional (an item's price), and so is the progress bar
// (a wish's gifts against its target).
struct FeaturedCard {
  std::string title;
  std::string subtitle;
  std::optional<std::string> amount_text;  // "¥880.00"
  std::optional<CardProgress> progress;
};

struct OverlayState {
  std::string campaign_title;
  std::int64_t goal_fen = 0;     // no goal bar while 0
  std::int64_t raised_fen = 0;   // pledged, settled included
  std::int64_t settled_fen = 0;  // money the providers confirmed
  std::string goal_text;         // the same three as text: "¥100,000.00"
  std::string raised_text;
  std::string settled_text;
  std::vector<TickerEntry> ticker;  // newest first; the first few are drawn
  std::optional<Alert> alert;
  std::optional<LowerThird> lower_third;
  std::optional<FeaturedCard> featured;
  std::string qr_url;  // the viewer page with the campaign preselected
  bool qr_visible = true;
  std::string certificate_line;  // the station's fundraising certificate and credit code
};

}  // namespace boai::stream
