// Inside stream/ only: blends the overlay into every composed frame, from a pad probe on the
// compositor's source pad. Any thread swaps the state and the slate; the streaming thread draws.
#pragma once

#include <gst/gst.h>
#include <gst/video/video.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "stream/overlay_blend.hpp"
#include "stream/overlay_renderer.hpp"
#include "stream/overlay_state.hpp"

namespace boai::stream {

class OverlayPainter {
 public:
  // Draws `first` once, so the fonts are loaded here and not on the first frame.
  OverlayPainter(int width, int height, std::shared_ptr<const OverlayState> first);
  OverlayPainter(const OverlayPainter&) = delete;
  OverlayPainter& operator=(const OverlayPainter&) = delete;

  // Any thread. The next frame shows the new state; the old one is released once none uses it.
  void set_state(std::shared_ptr<const OverlayState> state) { state_.store(std::move(state)); }
  std::shared_ptr<const OverlayState> state() const { return state_.load(); }
  void set_slate(bool slate) { slate_.store(slate); }

  // Paints every buffer through `pad` (I420 at the painter's size); the probe holds the painter.
  static void attach(const std::shared_ptr<OverlayPainter>& painter, GstPad* pad);

 private:
  void paint(GstPadProbeInfo* info);  // the pad's streaming thread only

  std::atomic<std::shared_ptr<const OverlayState>> state_;
  std::atomic<bool> slate_{true};

  // The streaming thread's own: the renderer and the layers of what it drew last.
  OverlayRenderer renderer_;
  GstVideoInfo info_{};
  std::shared_ptr<const OverlayState> drawn_state_;
  bool drawn_slate_ = false;
  bool drawn_alert_ = false;
  bool drawn_ = false;
  std::vector<PlanarLayer> layers_;
};

}  // namespace boai::stream
