// appsink callbacks that feed a TsSegmenter.
#include "stream/segment_sink.hpp"

#include <gst/app/gstappsink.h>

#include "stream/gst_util.hpp"

namespace boai::stream {
namespace {

struct SegmentSink {
  explicit SegmentSink(TsSegmenterOptions options)
      : replay(options.replay), segmenter(std::move(options)) {}
  std::shared_ptr<ReplayRecording> replay;
  TsSegmenter segmenter;
  bool failing = false;  // an error is on the bus already
};

// The replay stopped (the disk is full): told once, as an element message, since the live stream
// goes on and is not in error.
void report_replay(GstAppSink* sink, SegmentSink& s) {
  if (!s.replay) {
    return;
  }
  auto error = s.replay->take_unreported();
  if (!error) {
    return;
  }
  GstStructure* what =
      gst_structure_new(kReplayStoppedMessage, "code", G_TYPE_STRING, error->code.c_str(),
                        "message", G_TYPE_STRING, error->message.c_str(), nullptr);
  gst_element_post_message(GST_ELEMENT(sink), gst_message_new_element(GST_OBJECT(sink), what));
}

void report(GstAppSink* sink, SegmentSink& s, const std::expected<void, Error>& result) {
  if (result) {
    s.failing = false;
    return;
  }
  if (s.failing) {
    return;
  }
  s.failing = true;
  GST_ELEMENT_ERROR(sink, RESOURCE, WRITE, ("%s", result.error().message.c_str()), (nullptr));
}

void feed(SegmentSink& s, GstBuffer* buffer, std::expected<void, Error>& result) {
  GstMapInfo map;
  if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    return;
  }
  auto written = s.segmenter.write(map.data, map.size);
  gst_buffer_unmap(buffer, &map);
  if (!written && result) {
    result = std::move(written);
  }
}

GstFlowReturn on_sample(GstAppSink* sink, gpointer data) {
  try {
    auto& s = *static_cast<SegmentSink*>(data);
    GstSampleRef sample(gst_app_sink_pull_sample(sink));
    if (!sample) {
      return GST_FLOW_OK;
    }
    std::expected<void, Error> result;
    if (GstBufferList* list = gst_sample_get_buffer_list(sample.get())) {
      guint n = gst_buffer_list_length(list);
      for (guint i = 0; i < n; ++i) {
        feed(s, gst_buffer_list_get(list, i), result);
      }
    } else if (GstBuffer* buffer = gst_sample_get_buffer(sample.get())) {
      feed(s, buffer, result);
    }
    report(sink, s, result);
    report_replay(sink, s);
  } catch (...) {
    // Never through GStreamer's C frames; the next sample tries again.
  }
  return GST_FLOW_OK;
}

void on_eos(GstAppSink* sink, gpointer data) {
  try {
    auto& s = *static_cast<SegmentSink*>(data);
    report(sink, s, s.segmenter.finish());
    report_replay(sink, s);
  } catch (...) {
  }
}

}  // namespace

void attach_segmenter(GstElement* appsink, TsSegmenterOptions options) {
  GstAppSinkCallbacks callbacks{};
  callbacks.eos = on_eos;
  callbacks.new_sample = on_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, new SegmentSink(std::move(options)),
                             [](gpointer data) { delete static_cast<SegmentSink*>(data); });
}

}  // namespace boai::stream
