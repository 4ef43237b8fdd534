// Draws an OverlayState with cairo and Pango into a few small transparent layers (title, goal bar,
// ticker, alert, lower third, featured card, QR code, slate card) for the pipeline to blend.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "stream/overlay_state.hpp"

namespace boai::stream {

// One rectangle of the overlay: premultiplied ARGB32 as cairo writes it (BGRA bytes on
// little-endian), `width * 4` bytes a row, placed at (x, y) on the frame.
struct OverlayLayer {
  // "title", "goal", "ticker", "alert", "lower_third", "featured", "qr", "slate"
  std::string name;
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

// Not thread-safe: one renderer per thread (it owns its Pango font map).
class OverlayRenderer {
 public:
  OverlayRenderer(int frame_width, int frame_height);
  ~OverlayRenderer();
  OverlayRenderer(const OverlayRenderer&) = delete;
  OverlayRenderer& operator=(const OverlayRenderer&) = delete;

  // Every visible part of `state`; `slate` adds the be-right-back card. The alert is drawn while
  // `now` is before its end.
  std::vector<OverlayLayer> render(const OverlayState& state, bool slate,
                                   std::chrono::system_clock::time_point now);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace boai::stream
