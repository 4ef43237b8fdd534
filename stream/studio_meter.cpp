// The studio's counters and the rates taken from them once a second.
#include "stream/studio_meter.hpp"

#include "stream/gst_util.hpp"

namespace boai::stream {

StudioMeter::StudioMeter(std::vector<Rendition> ladder) : ladder_(std::move(ladder)) {}

void StudioMeter::count_composed(GstPad* pad) {
  gst_pad_add_probe(
      pad, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad*, GstPadProbeInfo*, gpointer data) {
        held_shared<Counters>(data).frames.fetch_add(1);
        return GST_PAD_PROBE_OK;
      },
      hold_shared(counters_), release_shared<Counters>);
}

void StudioMeter::count_dropped(GstElement* queue) {
  g_signal_connect_data(
      queue, "overrun", G_CALLBACK(+[](GstElement*, gpointer data) {
        held_shared<Counters>(data).dropped.fetch_add(1);
      }),
      hold_shared(counters_), [](gpointer data, GClosure*) { release_shared<Counters>(data); },
      GConnectFlags{});
}

void StudioMeter::count_encoded(GstPad* pad, std::size_t rung) {
  gst_pad_add_probe(
      pad, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad*, GstPadProbeInfo* info, gpointer data) {
        auto* r = static_cast<Rung*>(data);
        r->counters->encoded_bytes[r->index].fetch_add(
            gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info)));
        return GST_PAD_PROBE_OK;
      },
      new Rung{counters_, rung}, [](gpointer data) { delete static_cast<Rung*>(data); });
}

void StudioMeter::sample(std::int64_t now) {
  if (now - sampled_at_us_ < 1'000'000) {
    return;
  }
  double seconds = static_cast<double>(now - sampled_at_us_) / 1e6;
  std::uint64_t frames = counters_->frames.load();
  if (sampled_at_us_ != 0) {
    fps_ = static_cast<double>(frames - sampled_frames_) / seconds;
  }
  sampled_frames_ = frames;
  for (std::size_t i = 0; i < ladder_.size(); ++i) {
    std::uint64_t bytes = counters_->encoded_bytes[i].load();
    if (sampled_at_us_ != 0) {
      bitrates_[i] =
          static_cast<std::uint64_t>(static_cast<double>(bytes - sampled_bytes_[i]) * 8 / seconds);
    }
    sampled_bytes_[i] = bytes;
  }
  sampled_at_us_ = now;
}

void StudioMeter::stop() {
  fps_ = 0;
  bitrates_ = {};
}

void StudioMeter::report(StudioHealth& health) const {
  health.fps = fps_;
  health.frames = counters_->frames.load();
  health.dropped_frames = counters_->dropped.load();
  for (std::size_t i = 0; i < ladder_.size(); ++i) {
    RenditionHealth rendition;
    rendition.name = ladder_[i].name;
    rendition.bitrate_bps = bitrates_[i];
    health.renditions.push_back(std::move(rendition));
  }
}

std::uint64_t StudioMeter::encoded_bytes() const {
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < ladder_.size(); ++i) {
    bytes += counters_->encoded_bytes[i].load();
  }
  return bytes;
}

}  // namespace boai::stream
