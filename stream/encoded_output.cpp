// Push pipelines: appsrc (H.264 byte-stream, AAC) -> parse -> mux -> sink.
#include "stream/encoded_output.hpp"

#include <gst/app/gstappsrc.h>

namespace boai::stream {
namespace {

constexpr guint64 kQueueBytes = 8 * 1024 * 1024;

std::string appsrcs() {
  // Non-live sources: the muxer orders by timestamps; the main pipeline already paces them.
  return "appsrc name=vsrc format=time is-live=false block=false leaky-type=downstream "
         "max-bytes=" +
         std::to_string(kQueueBytes) +
         " ! h264parse ! queue ! mux. "
         "appsrc name=asrc format=time is-live=false block=false leaky-type=downstream "
         "max-bytes=" +
         std::to_string(kQueueBytes) + " ! aacparse ! queue ! mux. ";
}

}  // namespace

EncodedOutput::EncodedOutput(GstElementRef pipeline, std::string label, const char* code)
    : pipeline_(std::move(pipeline)),
      video_src_(child(pipeline_.get(), "vsrc")),
      audio_src_(child(pipeline_.get(), "asrc")),
      label_(std::move(label)),
      code_(code) {}

EncodedOutput::~EncodedOutput() {
  if (pipeline_) {
    gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  }
}

std::expected<std::shared_ptr<EncodedOutput>, Error> EncodedOutput::push(
    const std::string& url, const std::string& display) {
  std::string label = "Push target " + display;
  auto pipeline = launch(appsrcs() +
                             "flvmux name=mux streamable=true ! "
                             "rtmp2sink name=sink sync=false async=false",
                         "push_failed");
  if (!pipeline) {
    return std::unexpected(make_error("push_failed", label + ": " + pipeline.error().message));
  }
  g_object_set(child(pipeline->get(), "sink").get(), "location", url.c_str(), nullptr);
  std::shared_ptr<EncodedOutput> out(new EncodedOutput(std::move(*pipeline), label, "push_failed"));
  if (auto played = out->play(); !played) {
    return std::unexpected(played.error());
  }
  return out;
}

std::expected<void, Error> EncodedOutput::play() {
  GstElementRef sink = child(pipeline_.get(), "sink");
  GstPadRef pad(gst_element_get_static_pad(sink.get(), "sink"));
  gst_pad_add_probe(
      pad.get(),
      static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
      [](GstPad*, GstPadProbeInfo* info, gpointer data) {
        // matroskamux pushes buffer lists, flvmux single buffers.
        auto& bytes = held_shared<std::atomic<std::uint64_t>>(data);
        if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
          bytes.fetch_add(gst_buffer_list_calculate_size(GST_PAD_PROBE_INFO_BUFFER_LIST(info)));
        } else {
          bytes.fetch_add(gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info)));
        }
        return GST_PAD_PROBE_OK;
      },
      hold_shared(bytes_), release_shared<std::atomic<std::uint64_t>>);
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    std::string why = label_ + " could not be started.";
    if (auto error = poll()) {
      why = error->message;
    }
    gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
    return std::unexpected(make_error(code_, why));
  }
  return {};
}

void EncodedOutput::push_video(GstSample* sample) {
  push(video_src_.get(), sample, true);
}
void EncodedOutput::push_audio(GstSample* sample) {
  push(audio_src_.get(), sample, false);
}

void EncodedOutput::push(GstElement* appsrc, GstSample* sample, bool video) {
  GstBuffer* in = gst_sample_get_buffer(sample);
  if (in == nullptr || !GST_BUFFER_PTS_IS_VALID(in)) {
    return;
  }
  // Running time, so both streams share one timeline (x264enc shifts its timestamps by an hour
  // and says so in its segment).
  const GstSegment* segment = gst_sample_get_segment(sample);
  GstClockTime pts = GST_BUFFER_PTS(in);
  if (segment != nullptr && segment->format == GST_FORMAT_TIME) {
    pts = gst_segment_to_running_time(segment, GST_FORMAT_TIME, GST_BUFFER_PTS(in));
    if (!GST_CLOCK_TIME_IS_VALID(pts)) {
      return;
    }
  }
  GstClockTime dts = GST_CLOCK_TIME_NONE;
  if (GST_BUFFER_DTS_IS_VALID(in) && GST_BUFFER_DTS(in) + pts >= GST_BUFFER_PTS(in)) {
    dts = GST_BUFFER_DTS(in) + pts - GST_BUFFER_PTS(in);
  }
  GstClockTime origin = GST_CLOCK_TIME_NONE;
  {
    std::lock_guard lock(mutex_);
    if (!started_) {
      // Everything starts at a video key frame, which also carries SPS and PPS.
      if (!video || GST_BUFFER_FLAG_IS_SET(in, GST_BUFFER_FLAG_DELTA_UNIT)) {
        return;
      }
      started_ = true;
      origin_ = GST_CLOCK_TIME_IS_VALID(dts) ? std::min(dts, pts) : pts;
    }
    origin = origin_;
  }
  if (pts < origin) {
    return;
  }
  GstAppSrc* src = GST_APP_SRC(appsrc);
  GstCapsRef current(gst_app_src_get_caps(src));
  if (!current) {
    gst_app_src_set_caps(src, gst_sample_get_caps(sample));
  }
  GstBuffer* out = gst_buffer_copy(in);  // shares the memory; only the timestamps change
  GST_BUFFER_PTS(out) = pts - origin;
  GST_BUFFER_DTS(out) =
      GST_CLOCK_TIME_IS_VALID(dts) && dts >= origin ? dts - origin : GST_CLOCK_TIME_NONE;
  gst_app_src_push_buffer(src, out);
}

std::optional<Error> EncodedOutput::poll() {
  GstBusRef bus(gst_element_get_bus(pipeline_.get()));
  while (true) {
    GstMessageRef message(gst_bus_pop_filtered(
        bus.get(), static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS)));
    if (!message) {
      return std::nullopt;
    }
    if (GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS) {
      eos_seen_ = true;
      continue;
    }
    return make_error(code_, label_ + " failed: " + describe_error(message.get()) + ".");
  }
}

void EncodedOutput::end_of_stream() {
  gst_app_src_end_of_stream(GST_APP_SRC(video_src_.get()));
  gst_app_src_end_of_stream(GST_APP_SRC(audio_src_.get()));
}

bool EncodedOutput::ended() {
  poll();
  return eos_seen_;
}

}  // namespace boai::stream
