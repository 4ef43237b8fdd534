// The last composed frame: swapped in by the appsink's thread, converted on the caller's.
#include "stream/latest_frame.hpp"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include <algorithm>
#include <string>

namespace boai::stream {

LatestFrame::~LatestFrame() {
  if (latest_ != nullptr) {
    gst_sample_unref(latest_);
  }
}

void LatestFrame::attach(const std::shared_ptr<LatestFrame>& latest, GstElement* appsink) {
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = [](GstAppSink* sink, gpointer data) {
    GstSample* sample = gst_app_sink_pull_sample(sink);
    if (sample == nullptr) {
      return GST_FLOW_OK;
    }
    LatestFrame& self = held_shared<LatestFrame>(data);
    std::lock_guard lock(self.mutex_);
    if (self.latest_ != nullptr) {
      gst_sample_unref(self.latest_);
    }
    self.latest_ = sample;
    return GST_FLOW_OK;
  };
  gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, hold_shared(latest),
                             release_shared<LatestFrame>);
}

GstSampleRef LatestFrame::sample() const {
  std::lock_guard lock(mutex_);
  return GstSampleRef(latest_ ? gst_sample_ref(latest_) : nullptr);
}

std::optional<Frame> LatestFrame::rgb() const {
  GstSampleRef sample = this->sample();
  if (!sample) {
    return std::nullopt;
  }
  GstCapsRef caps(gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "RGB", nullptr));
  GError* raw_error = nullptr;
  GstSampleRef rgb(gst_video_convert_sample(sample.get(), caps.get(), 5 * GST_SECOND, &raw_error));
  GErrorRef error(raw_error);
  if (!rgb) {
    return std::nullopt;
  }
  GstVideoInfo info;
  if (!gst_video_info_from_caps(&info, gst_sample_get_caps(rgb.get()))) {
    return std::nullopt;
  }
  GstVideoFrame frame;
  if (!gst_video_frame_map(&frame, &info, gst_sample_get_buffer(rgb.get()), GST_MAP_READ)) {
    return std::nullopt;
  }
  Frame out;
  out.width = GST_VIDEO_INFO_WIDTH(&info);
  out.height = GST_VIDEO_INFO_HEIGHT(&info);
  size_t row = static_cast<size_t>(out.width) * 3;
  out.rgb.resize(row * static_cast<size_t>(out.height));
  auto* data = static_cast<const std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0));
  auto stride = static_cast<size_t>(GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0));
  for (int y = 0; y < out.height; ++y) {
    std::copy_n(data + stride * static_cast<size_t>(y), row,
                out.rgb.data() + row * static_cast<size_t>(y));
  }
  gst_video_frame_unmap(&frame);
  return out;
}

std::expected<std::vector<std::uint8_t>, Error> LatestFrame::png() const {
  GstSampleRef sample = this->sample();
  if (!sample) {
    return std::unexpected(make_error("no_frame", "No frame has been composed yet."));
  }
  GstCapsRef caps(gst_caps_new_empty_simple("image/png"));
  GError* raw_error = nullptr;
  GstSampleRef png(gst_video_convert_sample(sample.get(), caps.get(), 5 * GST_SECOND, &raw_error));
  GErrorRef error(raw_error);
  if (!png) {
    return std::unexpected(make_error(
        "snapshot_failed",
        std::string("PNG encoding failed: ") + (error ? error->message : "unknown error")));
  }
  GstBuffer* buffer = gst_sample_get_buffer(png.get());
  std::vector<std::uint8_t> out(gst_buffer_get_size(buffer));
  gst_buffer_extract(buffer, 0, out.data(), out.size());
  return out;
}

}  // namespace boai::stream
