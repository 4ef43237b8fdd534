// The overlay's pad probe: renders the layers when what they show changed, blends them always.
#include "stream/overlay_painter.hpp"

#include "stream/gst_util.hpp"

namespace boai::stream {

OverlayPainter::OverlayPainter(int width, int height, std::shared_ptr<const OverlayState> first)
    : renderer_(width, height) {
  gst_video_info_set_format(&info_, GST_VIDEO_FORMAT_I420, static_cast<guint>(width),
                            static_cast<guint>(height));
  renderer_.render(*first, true, std::chrono::system_clock::now());
  state_.store(std::move(first));
}

void OverlayPainter::attach(const std::shared_ptr<OverlayPainter>& painter, GstPad* pad) {
  gst_pad_add_probe(
      pad, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad*, GstPadProbeInfo* info, gpointer data) {
        try {
          held_shared<OverlayPainter>(data).paint(info);
        } catch (...) {
          // A frame without its overlay beats an exception through GStreamer's C frames.
        }
        return GST_PAD_PROBE_OK;
      },
      hold_shared(painter), release_shared<OverlayPainter>);
}

// Rendering happens only when the snapshot, the slate or the alert's visibility changed; every
// other frame only blends the cached layers.
void OverlayPainter::paint(GstPadProbeInfo* info) {
  std::shared_ptr<const OverlayState> state = state_.load();
  bool slate = slate_.load();
  auto now = std::chrono::system_clock::now();
  bool alert = state && state->alert && now < state->alert->until;
  if (!drawn_ || state != drawn_state_ || slate != drawn_slate_ || alert != drawn_alert_) {
    static const OverlayState kEmpty;
    layers_ = to_planar(renderer_.render(state ? *state : kEmpty, slate, now),
                        GST_VIDEO_INFO_WIDTH(&info_), GST_VIDEO_INFO_HEIGHT(&info_));
    drawn_state_ = state;
    drawn_slate_ = slate;
    drawn_alert_ = alert;
    drawn_ = true;
  }
  if (layers_.empty()) {
    return;
  }
  GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  GstVideoFrame frame;
  if (!gst_video_frame_map(&frame, &info_, buffer, GST_MAP_READWRITE)) {
    return;
  }
  blend_i420(layers_, I420Planes{static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)),
                                 GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                                 static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 1)),
                                 GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 1),
                                 static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 2)),
                                 GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 2)});
  gst_video_frame_unmap(&frame);
}

}  // namespace boai::stream
