// The main pipeline: its launch text, its taps, its bus, and the compositor's layout of a scene.
#include "stream/main_pipeline.hpp"

#include <filesystem>

#include "stream/encoded_feed.hpp"
#include "stream/hls_playlist.hpp"
#include "stream/latest_frame.hpp"
#include "stream/live_edge.hpp"
#include "stream/overlay_painter.hpp"
#include "stream/segment_sink.hpp"
#include "stream/studio_events.hpp"
#include "stream/studio_meter.hpp"

namespace boai::stream {

MainPipeline::MainPipeline(StudioConfig config, std::string room_dir, InputChannels camera,
                           InputChannels slides, StudioListener listener)
    : config_(std::move(config)),
      room_dir_(std::move(room_dir)),
      camera_(std::move(camera)),
      slides_(std::move(slides)),
      listener_(std::move(listener)) {}

std::expected<void, Error> MainPipeline::prepare_hls() const {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const Rendition& r : config_.ladder) {
    fs::path dir = fs::path(room_dir_) / r.name;
    fs::create_directories(dir, ec);
    if (ec) {
      return std::unexpected(make_error("hls_dir_unwritable",
                                        "Cannot create the HLS directory " + dir.string() + "."));
    }
    // A new broadcast starts its numbering again: old segments would confuse players.
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      auto ext = it->path().extension();
      if (ext == ".ts" || ext == ".m3u8" || ext == ".tmp") {
        fs::remove(it->path(), ec);
      }
    }
  }
  return write_master_playlist(room_dir_, config_.ladder, config_.framerate, config_.audio_kbps);
}

// One rung: its own queue (not leaky: a full one holds the encoders' tee, so the shared leaky
// queue in front drops the frame for every rung at once and their key frames stay at the same
// frames), the scale for every rung after the first, x264, and the way into its segmenter. The
// first rung's H.264 also goes to the outputs' appsink.
std::string MainPipeline::rendition_description(std::size_t rung) const {
  const Rendition& r = config_.ladder[rung];
  std::string n = std::to_string(rung);
  int key_interval = config_.framerate * config_.segment_seconds / config_.gops_per_segment;
  std::string d =
      "et. ! queue name=encq" + n + " max-size-buffers=30 max-size-bytes=0 " + "max-size-time=0 ! ";
  if (rung > 0) {
    d += "videoscale ! video/x-raw,width=" + std::to_string(r.width) +
         ",height=" + std::to_string(r.height) + " ! ";
  }
  // Same key interval, no scene-cut key frames: every rendition cuts at the same frames.
  d += "x264enc name=enc" + n + " tune=zerolatency speed-preset=" + config_.x264_preset +
       " bitrate=" + std::to_string(r.video_kbps) + " key-int-max=" + std::to_string(key_interval) +
       " option-string=\"scenecut=0\" ! "
       "video/x-h264,profile=main,stream-format=byte-stream,alignment=au ! ";
  std::string hls_video = own_segmenter() ? "mux" + n + ". " : "hls" + n + ".video ";
  if (rung == 0) {
    d += "tee name=ht ! queue ! h264parse ! " + hls_video +
         "ht. ! queue leaky=downstream max-size-buffers=120 max-size-bytes=0 "
         "max-size-time=0 ! appsink name=encv sync=false async=false ";
  } else {
    d += "h264parse ! " + hls_video;
  }
  if (own_segmenter()) {
    // alignment=0: each packet as the muxer makes it, none held back to fill a buffer.
    return d + "mpegtsmux name=mux" + n + " alignment=0 ! appsink name=seg" + n +
           " sync=false async=false buffer-list=true ";
  }
  return d + "hlssink2 name=hls" + n +
         " target-duration=" + std::to_string(config_.segment_seconds) +
         " playlist-length=" + std::to_string(config_.playlist_length) +
         " max-files=" + std::to_string(config_.segments_kept) + " send-keyframe-requests=false ";
}

std::string MainPipeline::description() const {
  std::string vcaps = raw_video_caps(width(), height(), config_.framerate);
  std::string d;
  d += "intervideosrc name=camsrc ! " + vcaps + " ! comp.sink_0 ";
  d += "intervideosrc name=slidesrc ! " + vcaps + " ! comp.sink_1 ";
  d += "compositor name=comp background=black ! " + vcaps + " ! tee name=vt ";
  // A busy encoder drops frames here rather than stall the compositor, the same frames for all.
  d += "vt. ! queue name=encq max-size-buffers=30 max-size-bytes=0 max-size-time=0 "
       "leaky=downstream ! tee name=et ";
  for (std::size_t i = 0; i < config_.ladder.size(); ++i) {
    d += rendition_description(i);
  }
  d += "vt. ! queue leaky=downstream max-size-buffers=1 max-size-bytes=0 max-size-time=0 ! "
       "appsink name=grab sync=false async=false max-buffers=1 drop=true ";
  d += "interaudiosrc name=micsrc ! " + raw_audio_caps() +
       " ! audioconvert ! voaacenc bitrate=" + std::to_string(config_.audio_kbps * 1000) +
       " ! aacparse ! tee name=at ";
  for (std::size_t i = 0; i < config_.ladder.size(); ++i) {
    std::string n = std::to_string(i);
    d += "at. ! queue ! " + (own_segmenter() ? "mux" + n + ". " : "hls" + n + ".audio ");
  }
  d += "at. ! queue leaky=downstream max-size-buffers=200 max-size-bytes=0 max-size-time=0 ! "
       "appsink name=enca sync=false async=false ";
  return d;
}

std::expected<void, Error> MainPipeline::build(const Taps& taps) {
  auto built = launch(description(), "studio_failed");
  if (!built) {
    return std::unexpected(built.error());
  }
  pipeline_ = std::move(*built);
  GstElement* p = pipeline_.get();
  g_object_set(child(p, "camsrc").get(), "channel", camera_.video.c_str(), nullptr);
  g_object_set(child(p, "slidesrc").get(), "channel", slides_.video.c_str(), nullptr);
  g_object_set(child(p, "micsrc").get(), "channel", camera_.audio.c_str(), nullptr);
  for (std::size_t i = 0; i < config_.ladder.size(); ++i) {
    set_segmenter(i, taps.replay, taps.live_edge);
    tap_rendition(i, taps);
  }
  GstElementRef comp = child(p, "comp");
  camera_pad_.reset(gst_element_get_static_pad(comp.get(), "sink_0"));
  slides_pad_.reset(gst_element_get_static_pad(comp.get(), "sink_1"));
  taps.meter.count_dropped(child(p, "encq").get());
  GstPadRef composed(gst_element_get_static_pad(comp.get(), "src"));
  taps.meter.count_composed(composed.get());
  OverlayPainter::attach(taps.painter, composed.get());
  LatestFrame::attach(taps.latest, child(p, "grab").get());
  EncodedFeed::attach(taps.feed, child(p, "encv").get(), child(p, "enca").get());
  return {};
}

void MainPipeline::set_segmenter(std::size_t rung, const std::shared_ptr<ReplayRecording>& replay,
                                 const std::shared_ptr<LiveEdge>& live_edge) {
  std::string n = std::to_string(rung);
  std::string dir = room_dir_ + "/" + config_.ladder[rung].name;
  if (own_segmenter()) {
    TsSegmenterOptions options;
    options.playlist = MediaPlaylistOptions{dir, config_.segment_seconds, config_.playlist_length,
                                            config_.segments_kept};
    options.key_frames_per_segment = config_.gops_per_segment;
    options.frame_seconds = 1.0 / config_.framerate;
    options.replay = replay;
    options.replay_rendition = config_.ladder[rung].name;
    options.part_seconds = part_seconds(config_);
    options.live_edge = live_edge;
    options.rendition = config_.ladder[rung].name;
    attach_segmenter(child(pipeline_.get(), ("seg" + n).c_str()).get(), std::move(options));
  } else {
    GstElementRef hls = child(pipeline_.get(), ("hls" + n).c_str());
    g_object_set(hls.get(), "location", (dir + "/segment%05d.ts").c_str(), "playlist-location",
                 (dir + "/index.m3u8").c_str(), nullptr);
  }
}

void MainPipeline::tap_rendition(std::size_t rung, const Taps& taps) {
  std::string n = std::to_string(rung);
  encoder_queues_.push_back(child(pipeline_.get(), ("encq" + n).c_str()));
  GstElementRef encoder = child(pipeline_.get(), ("enc" + n).c_str());
  GstPadRef src(gst_element_get_static_pad(encoder.get(), "src"));
  taps.meter.count_encoded(src.get(), rung);
}

std::expected<void, Error> MainPipeline::play() {
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    std::string why = "The studio pipeline would not start.";
    GstBusRef bus(gst_element_get_bus(pipeline_.get()));
    GstMessageRef message(gst_bus_pop_filtered(bus.get(), GST_MESSAGE_ERROR));
    if (message) {
      why = describe_error(message.get());
    }
    return std::unexpected(make_error("studio_failed", why));
  }
  last_error_.clear();
  return {};
}

void MainPipeline::end() {
  gst_element_send_event(pipeline_.get(), gst_event_new_eos());
}

void MainPipeline::teardown() {
  if (pipeline_) {
    gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  }
  camera_pad_.reset();
  slides_pad_.reset();
  encoder_queues_.clear();
  pipeline_.reset();
}

bool MainPipeline::poll() {
  if (!pipeline_) {
    return false;
  }
  GstBusRef bus(gst_element_get_bus(pipeline_.get()));
  while (true) {
    GstMessageRef message(gst_bus_pop_filtered(
        bus.get(),
        static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS | GST_MESSAGE_ELEMENT)));
    if (!message) {
      return false;
    }
    if (GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS) {
      return true;
    }
    if (GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_ELEMENT) {
      const GstStructure* s = gst_message_get_structure(message.get());
      if (s != nullptr && gst_structure_has_name(s, kReplayStoppedMessage)) {
        const char* code = gst_structure_get_string(s, "code");
        const char* text = gst_structure_get_string(s, "message");
        notify(listener_, StudioEvent::Kind::kOutputFailed, "recording",
               code != nullptr ? code : "recording_failed", text != nullptr ? text : "");
      }
      continue;
    }
    // A segment sink ("seg<rendition>") that cannot write says so and goes on cutting; the
    // host is told the HLS output is failing, not that the studio is.
    std::string from = GST_OBJECT_NAME(GST_MESSAGE_SRC(message.get()));
    const char* code = from.starts_with("seg") ? "hls_write_failed" : "studio_failed";
    last_error_ = std::string(code) + ": " + describe_error(message.get());
    notify(listener_, StudioEvent::Kind::kError, "studio", code, describe_error(message.get()));
  }
}

void MainPipeline::show(Scene on_air, bool pip) {
  if (!camera_pad_ || !slides_pad_) {
    return;
  }
  int w = width();
  int h = height();
  if (on_air == Scene::kSlides) {
    // Picture-in-picture: bottom right, above the ticker, three tenths of the width.
    int pw = (w * 3 / 10) & ~1;
    int ph = (pw * h / w) & ~1;
    int px = (w - pw - w * 24 / 1280) & ~1;
    int py = (h - ph - h * 66 / 720) & ~1;
    g_object_set(camera_pad_.get(), "xpos", px, "ypos", py, "width", pw, "height", ph, "alpha",
                 pip ? 1.0 : 0.0, "zorder", 2u, nullptr);
    g_object_set(slides_pad_.get(), "xpos", 0, "ypos", 0, "width", w, "height", h, "alpha", 1.0,
                 "zorder", 1u, nullptr);
  } else {
    g_object_set(camera_pad_.get(), "xpos", 0, "ypos", 0, "width", w, "height", h, "alpha",
                 on_air == Scene::kCamera ? 1.0 : 0.0, "zorder", 2u, nullptr);
    g_object_set(slides_pad_.get(), "alpha", 0.0, "zorder", 1u, nullptr);
  }
}

std::uint32_t MainPipeline::queue_level(std::size_t rung) const {
  if (rung >= encoder_queues_.size()) {
    return 0;
  }
  guint level = 0;
  g_object_get(encoder_queues_[rung].get(), "current-level-buffers", &level, nullptr);
  return level;
}

}  // namespace boai::stream
