// The clock source's face: the capture time as a QR code ("boai-clock:<ms since the Unix epoch>")
// and as digits (HH:MM:SS.mmm, UTC), written straight into an I420 frame, so that a player's
// glass-to-glass latency is one frame read away (bench/latency).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "stream/overlay_blend.hpp"

namespace boai::stream {

// Where the face lies on a frame: in the middle, clear of the overlay's edges.
struct ClockLayout {
  int x = 0;  // the white panel, even coordinates and sizes
  int y = 0;
  int width = 0;
  int height = 0;
  int module = 0;  // a QR module's side in pixels
};

// "boai-clock:1765000000123"
std::string clock_text(std::int64_t unix_ms);
// The milliseconds of a clock_text, or nullopt for any other text.
std::optional<std::int64_t> parse_clock_text(std::string_view text);
// "HH:MM:SS.mmm" in UTC.
std::string clock_digits(std::int64_t unix_ms);

ClockLayout clock_layout(int frame_width, int frame_height);

// Draws the face for `unix_ms` into a `width` x `height` I420 frame. False when the frame is too
// small to hold it (it is then left as it was).
bool draw_clock_face(const I420Planes& frame, int width, int height, std::int64_t unix_ms);

}  // namespace boai::stream
