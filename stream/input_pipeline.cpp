// Input pipelines: each source kind decoded, converted and scaled to the studio's fixed caps.
#include "stream/input_pipeline.hpp"

#include <fcntl.h>
#include <gst/video/video.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream/clock_face.hpp"

namespace boai::stream {
namespace {

// No videorate: intervideosrc samples the latest picture at the studio's own rate, so one here
// would only hold each frame back until the next one came (a frame of latency) and cost a copy's
// worth of work. Any rate goes in.
std::string video_tail(const InputChannels& out, bool sync) {
  return "videoconvert ! videoscale ! video/x-raw,format=I420,width=" + std::to_string(out.width) +
         ",height=" + std::to_string(out.height) +
         ",pixel-aspect-ratio=1/1 ! intervideosink name=vsink async=false sync=" +
         (sync ? "true" : "false");
}

std::string audio_tail(bool sync) {
  return "audioconvert ! audioresample ! " + raw_audio_caps() +
         " ! interaudiosink name=asink async=false sync=" + (sync ? "true" : "false");
}

// decodebin's pads appear once the stream is known: video to "vq", audio to "aq".
void on_pad_added(GstElement*, GstPad* pad, gpointer pipeline) {
  GstCapsRef caps(gst_pad_get_current_caps(pad));
  if (!caps) {
    caps.reset(gst_pad_query_caps(pad, nullptr));
  }
  if (!caps || gst_caps_is_empty(caps.get())) {
    return;
  }
  const char* media = gst_structure_get_name(gst_caps_get_structure(caps.get(), 0));
  const char* target = g_str_has_prefix(media, "video/")   ? "vq"
                       : g_str_has_prefix(media, "audio/") ? "aq"
                                                           : nullptr;
  if (target == nullptr) {
    return;
  }
  GstElementRef queue = child(GST_ELEMENT(pipeline), target);
  if (!queue) {
    return;
  }
  GstPadRef sink(gst_element_get_static_pad(queue.get(), "sink"));
  if (sink && !gst_pad_is_linked(sink.get())) {
    gst_pad_link(pad, sink.get());
  }
}

bool is_readable_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return false;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  ::close(fd);
  return true;
}

std::unexpected<Error> unavailable(const std::string& label, const std::string& why) {
  return std::unexpected(make_error("source_unavailable", label + " " + why + "."));
}

// The pipeline up to its decoder ("dec"), or a source_unavailable error when the camera or file
// is not there.
std::expected<std::string, Error> source_head(const SourceSpec& spec, const std::string& label) {
  switch (spec.kind) {
    case SourceKind::kTest:  // no decoder: source_description writes it whole
    case SourceKind::kClock:
      break;
    case SourceKind::kV4l2: {
      struct stat st {};
      if (::stat(spec.device.c_str(), &st) != 0) {
        return unavailable(label, "names a camera that does not exist");
      }
      if (!S_ISCHR(st.st_mode)) {
        return unavailable(label, "is not a camera device");
      }
      return std::string("v4l2src name=src ! decodebin name=dec");
    }
    case SourceKind::kSrt:
      return std::string("srtsrc name=src wait-for-connection=true ! decodebin name=dec");
    case SourceKind::kRtmp:
      return std::string("rtmp2src name=src ! decodebin name=dec");
    case SourceKind::kFile:
      if (!is_readable_file(spec.path)) {
        return unavailable(label, "is not a file the studio can read");
      }
      // Pushed in 64 KiB blocks through a queue: pulled, decodebin's typefind reads 4 KiB at a
      // time for a parser that cannot pull (y4mdec, tsdemux), a syscall and a buffer each.
      return std::string("filesrc name=src blocksize=65536 ! queue ! decodebin name=dec");
  }
  return std::string();
}

// The whole launch text: the test pattern (the clock's face is drawn on it by a probe) as it is,
// anything else decoded into the channels' fixed caps, with a camera's microphone as a source of
// its own.
std::expected<std::string, Error> source_description(const SourceSpec& spec,
                                                     const InputChannels& out,
                                                     const std::string& label) {
  if (spec.generated()) {
    return "videotestsrc name=pattern is-live=true pattern=smpte75 ! " +
           raw_video_caps(out.width, out.height, out.framerate) +
           " ! intervideosink name=vsink sync=false "
           "audiotestsrc is-live=true wave=sine freq=440 volume=0.05 ! " +
           raw_audio_caps() + " ! interaudiosink name=asink sync=false";
  }
  auto description = source_head(spec, label);
  if (!description) {
    return description;
  }
  std::string d = std::move(*description);
  if (spec.kind == SourceKind::kV4l2) {
    if (spec.audio_device.starts_with("pulse:")) {
      d += " pulsesrc name=mic ! queue name=aq max-size-buffers=20 ! " + audio_tail(false);
    } else if (spec.audio_device.starts_with("alsa:")) {
      d += " alsasrc name=mic ! queue name=aq max-size-buffers=20 ! " + audio_tail(false);
    }
  }
  // A file plays at its own pace, not as fast as it decodes.
  bool sync = spec.kind == SourceKind::kFile;
  d += " queue name=vq max-size-buffers=5 max-size-bytes=0 max-size-time=0 ! " +
       video_tail(out, sync);
  if (spec.kind != SourceKind::kV4l2) {
    d +=
        " queue name=aq max-size-buffers=20 max-size-bytes=0 max-size-time=0 ! " + audio_tail(sync);
  }
  return d;
}

// The clock's face goes on each frame as the pattern makes it, stamped with the wall clock at that
// moment: the capture time a viewer's player reads back. videotestsrc's fresh buffer is writable,
// so this is no copy. The GstVideoInfo (the channel's fixed caps) lives as long as the probe.
void add_clock_face(GstElement* pattern, const InputChannels& out) {
  GstVideoInfo* info = gst_video_info_new();
  gst_video_info_set_format(info, GST_VIDEO_FORMAT_I420, static_cast<guint>(out.width),
                            static_cast<guint>(out.height));
  GstPadRef pad(gst_element_get_static_pad(pattern, "src"));
  gst_pad_add_probe(
      pad.get(), GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad*, GstPadProbeInfo* probe, gpointer data) {
        auto* video = static_cast<GstVideoInfo*>(data);
        std::int64_t unix_ms = g_get_real_time() / 1000;
        GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(probe));
        GST_PAD_PROBE_INFO_DATA(probe) = buffer;
        GstVideoFrame frame;
        if (gst_video_frame_map(&frame, video, buffer, GST_MAP_READWRITE)) {
          draw_clock_face(
              I420Planes{static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)),
                         GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                         static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 1)),
                         GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 1),
                         static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 2)),
                         GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 2)},
              GST_VIDEO_INFO_WIDTH(video), GST_VIDEO_INFO_HEIGHT(video), unix_ms);
          gst_video_frame_unmap(&frame);
        }
        return GST_PAD_PROBE_OK;
      },
      info, [](gpointer data) { gst_video_info_free(static_cast<GstVideoInfo*>(data)); });
}

// Tells the elements which device, address or file to open and which channels to feed.
void configure_source(GstElement* p, const SourceSpec& spec, const InputChannels& out) {
  if (GstElementRef src = child(p, "src")) {
    const char* property = spec.kind == SourceKind::kV4l2  ? "device"
                           : spec.kind == SourceKind::kSrt ? "uri"
                                                           : "location";
    const std::string& value = spec.kind == SourceKind::kV4l2   ? spec.device
                               : spec.kind == SourceKind::kFile ? spec.path
                                                                : spec.uri;
    g_object_set(src.get(), property, value.c_str(), nullptr);
  }
  if (GstElementRef mic = child(p, "mic")) {
    std::string device = spec.audio_device.substr(spec.audio_device.find(':') + 1);
    if (!device.empty()) {
      g_object_set(mic.get(), "device", device.c_str(), nullptr);
    }
  }
  if (GstElementRef dec = child(p, "dec")) {
    g_signal_connect(dec.get(), "pad-added", G_CALLBACK(on_pad_added), p);
  }
  if (spec.kind == SourceKind::kClock) {
    add_clock_face(child(p, "pattern").get(), out);
  }
  g_object_set(child(p, "vsink").get(), "channel", out.video.c_str(), nullptr);
  if (GstElementRef asink = child(p, "asink")) {
    g_object_set(asink.get(), "channel", out.audio.c_str(), nullptr);
  }
}

}  // namespace

InputPipeline::InputPipeline(GstElementRef pipeline, std::string label)
    : pipeline_(std::move(pipeline)), label_(std::move(label)) {}

InputPipeline::~InputPipeline() {
  if (pipeline_) {
    gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  }
}

std::expected<std::unique_ptr<InputPipeline>, Error> InputPipeline::start(
    const SourceSpec& spec, const InputChannels& out) {
  std::string label = "Source " + quote_for_message(spec.text);
  auto description = source_description(spec, out, label);
  if (!description) {
    return std::unexpected(description.error());
  }
  auto pipeline = launch(*description, "source_failed");
  if (!pipeline) {
    return std::unexpected(make_error("source_failed", label + ": " + pipeline.error().message));
  }
  configure_source(pipeline->get(), spec, out);
  std::unique_ptr<InputPipeline> input(new InputPipeline(std::move(*pipeline), label));
  if (auto played = input->play(); !played) {
    return std::unexpected(played.error());
  }
  return input;
}

std::expected<std::unique_ptr<InputPipeline>, Error> InputPipeline::start_slide(
    const std::string& path, const InputChannels& out) {
  std::string label = "Slide " + quote_for_message(path);
  if (!is_readable_file(path)) {
    return unavailable(label, "is not a file the studio can read");
  }
  // imagefreeze repeats the one decoded picture at the studio's frame rate, as a live source.
  std::string description =
      "filesrc name=src ! decodebin name=dec queue name=vq ! videoconvert ! videoscale ! "
      "imagefreeze is-live=true ! " +
      raw_video_caps(out.width, out.height, out.framerate) +
      " ! intervideosink name=vsink sync=false";
  auto pipeline = launch(description, "source_failed");
  if (!pipeline) {
    return std::unexpected(make_error("source_failed", label + ": " + pipeline.error().message));
  }
  GstElement* p = pipeline->get();
  g_object_set(child(p, "src").get(), "location", path.c_str(), nullptr);
  g_signal_connect(child(p, "dec").get(), "pad-added", G_CALLBACK(on_pad_added), p);
  g_object_set(child(p, "vsink").get(), "channel", out.video.c_str(), nullptr);
  std::unique_ptr<InputPipeline> input(new InputPipeline(std::move(*pipeline), label));
  if (auto played = input->play(); !played) {
    return std::unexpected(played.error());
  }
  return input;
}

std::expected<void, Error> InputPipeline::play() {
  GstElementRef vsink = child(pipeline_.get(), "vsink");
  GstPadRef pad(gst_element_get_static_pad(vsink.get(), "sink"));
  // The end of the picture is the end of the input, even while a stream it never had (a clip
  // without sound) keeps the pipeline from posting EOS.
  gst_pad_add_probe(
      pad.get(),
      static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM),
      [](GstPad*, GstPadProbeInfo* info, gpointer data) {
        auto& c = held_shared<Counters>(data);
        if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
          c.frames.fetch_add(1);
          c.last_frame_us.store(now_us());
        } else if (GST_EVENT_TYPE(GST_PAD_PROBE_INFO_EVENT(info)) == GST_EVENT_EOS) {
          c.ended.store(true);
        }
        return GST_PAD_PROBE_OK;
      },
      hold_shared(counters_), release_shared<Counters>);
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    std::string why = "could not be started";
    if (auto outcome = poll()) {
      why = outcome->error.message;
    }
    gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
    return std::unexpected(make_error("source_failed", why));
  }
  return {};
}

std::optional<InputPipeline::Outcome> InputPipeline::poll() {
  GstBusRef bus(gst_element_get_bus(pipeline_.get()));
  while (true) {
    GstMessageRef message(gst_bus_pop_filtered(
        bus.get(), static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS)));
    if (!message) {
      if (counters_->ended.load()) {
        return Outcome{true, make_error("source_ended", label_ + " ended.")};
      }
      return std::nullopt;
    }
    if (GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS) {
      return Outcome{true, make_error("source_ended", label_ + " ended.")};
    }
    return Outcome{false, make_error("source_failed",
                                     label_ + " failed: " + describe_error(message.get()) + ".")};
  }
}

}  // namespace boai::stream
