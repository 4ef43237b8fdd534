// The studio's main pipeline and its control. Inputs arrive through intervideo/interaudio channels
// from pipelines of their own; the compositor makes the scene, a pad probe blends the overlay, the
// encoders feed a segmenter per rendition (mpegtsmux into our own, or hlssink2) and, through
// appsinks, the recording and push pipelines.
// A 100 ms tick on the GLib main loop drains every bus, notices lost inputs and retries what
// failed.
#include "stream/studio.hpp"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <mutex>

#include "base/loop_timer.hpp"
#include "stream/encoded_output.hpp"
#include "stream/gst_util.hpp"
#include "stream/hls_playlist.hpp"
#include "stream/input_pipeline.hpp"
#include "stream/overlay_blend.hpp"
#include "stream/overlay_renderer.hpp"
#include "stream/push_url.hpp"
#include "stream/reaper.hpp"
#include "stream/recordings.hpp"
#include "stream/segment_sink.hpp"
#include "stream/source_spec.hpp"

namespace boai::stream {
namespace {

constexpr int kTickMs = 100;
constexpr std::int64_t kStallUs = 800'000;  // no picture this long: the input is lost
constexpr int kInputBackoffMaxMs = 5'000;
constexpr int kOutputBackoffMaxMs = 30'000;
constexpr std::int64_t kStopTimeoutUs = 3'000'000;
constexpr std::int64_t kPushSettleUs = 2'000'000;  // no error this long after bytes flow: live
constexpr size_t kMaxRungs = 8;

std::atomic<unsigned> studio_counter{0};

// What the streaming threads see. Owned by a shared_ptr that every probe and appsink callback also
// holds, so it outlives the last callback however the pipeline is torn down.
struct Shared {
  Shared(int width, int height) : renderer(width, height) {
    gst_video_info_set_format(&info, GST_VIDEO_FORMAT_I420, static_cast<guint>(width),
                              static_cast<guint>(height));
  }
  ~Shared() {
    if (latest != nullptr)
      gst_sample_unref(latest);
  }

  std::atomic<std::shared_ptr<const OverlayState>> overlay;
  std::atomic<bool> slate{true};
  std::atomic<std::uint64_t> frames{0};
  std::atomic<std::uint64_t> dropped{0};
  std::array<std::atomic<std::uint64_t>, kMaxRungs> encoded_bytes{};

  // The compositor's streaming thread only.
  OverlayRenderer renderer;
  GstVideoInfo info{};
  std::shared_ptr<const OverlayState> drawn_state;
  bool drawn_slate = false;
  bool drawn_alert = false;
  bool drawn = false;
  std::vector<PlanarLayer> layers;

  std::mutex frame_mutex;
  GstSample* latest = nullptr;

  std::mutex outputs_mutex;
  std::vector<std::shared_ptr<EncodedOutput>> outputs;

  std::vector<std::shared_ptr<EncodedOutput>> outputs_snapshot() {
    std::lock_guard lock(outputs_mutex);
    return outputs;
  }
};

using SharedHold = std::shared_ptr<Shared>;

gpointer hold(const SharedHold& shared) {
  return new SharedHold(shared);
}
void release(gpointer data) {
  delete static_cast<SharedHold*>(data);
}
Shared& held(gpointer data) {
  return **static_cast<SharedHold*>(data);
}

// Blends the overlay into each composed frame. Rendering happens only when the snapshot, the
// slate or the alert's visibility changed; every other frame only blends the cached layers.
GstPadProbeReturn on_composed(GstPad*, GstPadProbeInfo* info, gpointer data) {
  try {
    Shared& s = held(data);
    s.frames.fetch_add(1);
    std::shared_ptr<const OverlayState> state = s.overlay.load();
    bool slate = s.slate.load();
    auto now = std::chrono::system_clock::now();
    bool alert = state && state->alert && now < state->alert->until;
    if (!s.drawn || state != s.drawn_state || slate != s.drawn_slate || alert != s.drawn_alert) {
      static const OverlayState kEmpty;
      s.layers = to_planar(s.renderer.render(state ? *state : kEmpty, slate, now),
                           GST_VIDEO_INFO_WIDTH(&s.info), GST_VIDEO_INFO_HEIGHT(&s.info));
      s.drawn_state = state;
      s.drawn_slate = slate;
      s.drawn_alert = alert;
      s.drawn = true;
    }
    if (s.layers.empty())
      return GST_PAD_PROBE_OK;
    GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
    GST_PAD_PROBE_INFO_DATA(info) = buffer;
    GstVideoFrame frame;
    if (gst_video_frame_map(&frame, &s.info, buffer, GST_MAP_READWRITE)) {
      blend_i420(s.layers,
                 I420Planes{static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)),
                            GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                            static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 1)),
                            GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 1),
                            static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 2)),
                            GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 2)});
      gst_video_frame_unmap(&frame);
    }
  } catch (...) {
    // A frame without its overlay beats an exception through GStreamer's C frames.
  }
  return GST_PAD_PROBE_OK;
}

GstFlowReturn on_grab(GstAppSink* sink, gpointer data) {
  GstSample* sample = gst_app_sink_pull_sample(sink);
  if (sample == nullptr)
    return GST_FLOW_OK;
  Shared& s = held(data);
  std::lock_guard lock(s.frame_mutex);
  if (s.latest != nullptr)
    gst_sample_unref(s.latest);
  s.latest = sample;
  return GST_FLOW_OK;
}

template <bool kVideo>
GstFlowReturn on_encoded(GstAppSink* sink, gpointer data) {
  GstSampleRef sample(gst_app_sink_pull_sample(sink));
  if (!sample)
    return GST_FLOW_OK;
  for (const auto& out : held(data).outputs_snapshot()) {
    if constexpr (kVideo) {
      out->push_video(sample.get());
    } else {
      out->push_audio(sample.get());
    }
  }
  return GST_FLOW_OK;
}

void set_callback(GstElement* appsink, GstFlowReturn (*fn)(GstAppSink*, gpointer),
                  const SharedHold& shared) {
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = fn;
  gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, hold(shared), release);
}

bool is_slide_file(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

struct InputSlot {
  explicit InputSlot(std::string n) : name(std::move(n)) {}
  std::string name;  // "camera", "slides"
  std::unique_ptr<InputPipeline> pipeline;
  std::string state = "stopped";
  std::string last_error;
  std::int64_t retry_at_us = 0;  // 0: no retry planned
  int backoff_ms = 0;
};

struct OutputSlot {
  std::string id;
  std::string kind;    // "recording", "rtmp"
  std::string target;  // a path, or the URL with the key hidden
  std::string url;     // rtmp only, key included
  std::string state = "stopped";
  std::string last_error;
  std::uint32_t retries = 0;
  std::int64_t retry_at_us = 0;
  std::int64_t started_us = 0;
  int backoff_ms = 0;
  std::uint64_t bytes_before = 0;  // of earlier attempts
  std::shared_ptr<EncodedOutput> output;
};

}  // namespace

struct Studio::Impl {
  enum class Phase { kIdle, kLive, kStopping };

  Reaper reaper;  // first member: destroyed last, after every teardown it runs has finished

  StudioConfig config;
  SourceSpec source;
  StudioListener listener;
  SharedHold shared;
  std::string room_dir;
  std::string channel;  // prefix of this studio's inter channels
  Phase phase = Phase::kIdle;
  GstElementRef pipeline;
  GstPadRef camera_pad;
  GstPadRef slides_pad;
  std::vector<GstElementRef> encoder_queues;
  std::unique_ptr<LoopTimer> ticker;  // tick() every kTickMs on the loop
  InputSlot camera{"camera"};
  InputSlot slides{"slides"};
  std::vector<std::string> slide_files;
  size_t slide_at = 0;
  std::vector<OutputSlot> outputs;  // the recording first, when there is one, then push targets
  int next_push_id = 1;
  int recording_attempt = 0;
  std::string recording_path;
  Scene scene = Scene::kCamera;
  Scene on_air = Scene::kSlate;
  bool pip_shown = false;
  bool scene_applied = false;
  std::string last_error;
  std::int64_t stop_deadline_us = 0;
  std::int64_t stats_at_us = 0;
  std::uint64_t stats_frames = 0;
  std::array<std::uint64_t, kMaxRungs> stats_bytes{};
  double fps = 0;
  std::array<std::uint64_t, kMaxRungs> bitrates{};

  ~Impl() {
    ticker.reset();
    teardown();
  }

  void emit(StudioEvent::Kind kind, std::string subject, std::string code = {},
            std::string message = {}) {
    if (!listener)
      return;
    listener(StudioEvent{kind, std::move(subject), std::move(code), std::move(message)});
  }

  bool own_segmenter() const { return config.hls_segmenter == HlsSegmenter::kStudio; }
  int width() const { return config.ladder.front().width; }
  int height() const { return config.ladder.front().height; }

  InputChannels channels(bool with_audio, const char* which) const {
    return InputChannels{channel + which, with_audio ? channel + "mic" : std::string(), width(),
                         height(), config.framerate};
  }

  std::string main_description() const {
    std::string vcaps = raw_video_caps(width(), height(), config.framerate);
    int key_interval = config.framerate * config.segment_seconds / config.gops_per_segment;
    std::string d;
    d += "intervideosrc name=camsrc ! " + vcaps + " ! comp.sink_0 ";
    d += "intervideosrc name=slidesrc ! " + vcaps + " ! comp.sink_1 ";
    d += "compositor name=comp background=black ! " + vcaps + " ! tee name=vt ";
    for (size_t i = 0; i < config.ladder.size(); ++i) {
      const Rendition& r = config.ladder[i];
      std::string n = std::to_string(i);
      d += "vt. ! queue name=encq" + n +
           " max-size-buffers=30 max-size-bytes=0 max-size-time=0 leaky=downstream ! ";
      if (i > 0) {
        d += "videoscale ! video/x-raw,width=" + std::to_string(r.width) +
             ",height=" + std::to_string(r.height) + " ! ";
      }
      // Same key interval, no scene-cut key frames: every rendition cuts at the same frames.
      d += "x264enc name=enc" + n + " tune=zerolatency speed-preset=" + config.x264_preset +
           " bitrate=" + std::to_string(r.video_kbps) +
           " key-int-max=" + std::to_string(key_interval) +
           " option-string=\"scenecut=0\" ! "
           "video/x-h264,profile=main,stream-format=byte-stream,alignment=au ! ";
      std::string hls_video = own_segmenter() ? "mux" + n + ". " : "hls" + n + ".video ";
      if (i == 0) {
        d += "tee name=ht ! queue ! h264parse ! " + hls_video +
             "ht. ! queue leaky=downstream max-size-buffers=120 max-size-bytes=0 "
             "max-size-time=0 ! appsink name=encv sync=false async=false ";
      } else {
        d += "h264parse ! " + hls_video;
      }
      if (own_segmenter()) {
        // alignment=0: each packet as the muxer makes it, none held back to fill a buffer.
        d += "mpegtsmux name=mux" + n + " alignment=0 ! appsink name=seg" + n +
             " sync=false async=false buffer-list=true ";
      } else {
        d +=
            "hlssink2 name=hls" + n + " target-duration=" + std::to_string(config.segment_seconds) +
            " playlist-length=" + std::to_string(config.playlist_length) +
            " max-files=" + std::to_string(config.segments_kept) + " send-keyframe-requests=false ";
      }
    }
    d += "vt. ! queue leaky=downstream max-size-buffers=1 max-size-bytes=0 max-size-time=0 ! "
         "appsink name=grab sync=false async=false max-buffers=1 drop=true ";
    d += "interaudiosrc name=micsrc ! " + raw_audio_caps() +
         " ! audioconvert ! voaacenc bitrate=" + std::to_string(config.audio_kbps * 1000) +
         " ! aacparse ! tee name=at ";
    for (size_t i = 0; i < config.ladder.size(); ++i) {
      std::string n = std::to_string(i);
      d += "at. ! queue ! " + (own_segmenter() ? "mux" + n + ". " : "hls" + n + ".audio ");
    }
    d += "at. ! queue leaky=downstream max-size-buffers=200 max-size-bytes=0 max-size-time=0 ! "
         "appsink name=enca sync=false async=false ";
    return d;
  }

  std::expected<void, Error> prepare_dirs() {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const Rendition& r : config.ladder) {
      fs::path dir = fs::path(room_dir) / r.name;
      fs::create_directories(dir, ec);
      if (ec) {
        return std::unexpected(make_error("hls_dir_unwritable",
                                          "Cannot create the HLS directory " + dir.string() + "."));
      }
      // A new broadcast starts its numbering again: old segments would confuse players.
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        auto ext = it->path().extension();
        if (ext == ".ts" || ext == ".m3u8" || ext == ".tmp")
          fs::remove(it->path(), ec);
      }
    }
    if (!config.recordings_dir.empty()) {
      fs::create_directories(config.recordings_dir, ec);
      if (ec) {
        return std::unexpected(
            make_error("recordings_dir_unwritable",
                       "Cannot create the recordings directory " + config.recordings_dir + "."));
      }
    }
    return write_master_playlist(room_dir, config.ladder, config.framerate, config.audio_kbps);
  }

  std::expected<void, Error> build() {
    auto built = launch(main_description(), "studio_failed");
    if (!built)
      return std::unexpected(built.error());
    pipeline = std::move(*built);
    GstElement* p = pipeline.get();
    g_object_set(child(p, "camsrc").get(), "channel", (channel + "camera").c_str(), nullptr);
    g_object_set(child(p, "slidesrc").get(), "channel", (channel + "slides").c_str(), nullptr);
    g_object_set(child(p, "micsrc").get(), "channel", (channel + "mic").c_str(), nullptr);
    for (size_t i = 0; i < config.ladder.size(); ++i) {
      std::string n = std::to_string(i);
      std::string dir = room_dir + "/" + config.ladder[i].name;
      if (own_segmenter()) {
        TsSegmenterOptions options;
        options.playlist = MediaPlaylistOptions{dir, config.segment_seconds, config.playlist_length,
                                                config.segments_kept};
        options.key_frames_per_segment = config.gops_per_segment;
        options.frame_seconds = 1.0 / config.framerate;
        attach_segmenter(child(p, ("seg" + n).c_str()).get(), std::move(options));
      } else {
        GstElementRef hls = child(p, ("hls" + n).c_str());
        g_object_set(hls.get(), "location", (dir + "/segment%05d.ts").c_str(), "playlist-location",
                     (dir + "/index.m3u8").c_str(), nullptr);
      }
      GstElementRef queue = child(p, ("encq" + n).c_str());
      g_signal_connect_data(
          queue.get(), "overrun",
          G_CALLBACK(+[](GstElement*, gpointer data) { held(data).dropped.fetch_add(1); }),
          hold(shared), [](gpointer data, GClosure*) { release(data); }, GConnectFlags{});
      encoder_queues.push_back(std::move(queue));
      GstElementRef encoder = child(p, ("enc" + n).c_str());
      GstPadRef src(gst_element_get_static_pad(encoder.get(), "src"));
      struct Counter {
        SharedHold shared;
        size_t index;
      };
      gst_pad_add_probe(
          src.get(), GST_PAD_PROBE_TYPE_BUFFER,
          [](GstPad*, GstPadProbeInfo* info, gpointer data) {
            auto* c = static_cast<Counter*>(data);
            c->shared->encoded_bytes[c->index].fetch_add(
                gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info)));
            return GST_PAD_PROBE_OK;
          },
          new Counter{shared, i}, [](gpointer data) { delete static_cast<Counter*>(data); });
    }
    GstElementRef comp = child(p, "comp");
    camera_pad.reset(gst_element_get_static_pad(comp.get(), "sink_0"));
    slides_pad.reset(gst_element_get_static_pad(comp.get(), "sink_1"));
    GstPadRef composed(gst_element_get_static_pad(comp.get(), "src"));
    gst_pad_add_probe(composed.get(), GST_PAD_PROBE_TYPE_BUFFER, on_composed, hold(shared),
                      release);
    set_callback(child(p, "grab").get(), on_grab, shared);
    set_callback(child(p, "encv").get(), on_encoded<true>, shared);
    set_callback(child(p, "enca").get(), on_encoded<false>, shared);
    scene_applied = false;
    apply_scene(true);
    return {};
  }

  void teardown() {
    {
      std::lock_guard lock(shared->outputs_mutex);
      shared->outputs.clear();
    }
    for (OutputSlot& slot : outputs) {
      if (slot.output)
        slot.bytes_before += slot.output->bytes();
      reaper.bury(std::move(slot.output));
      slot.state = "stopped";
      slot.retry_at_us = 0;
    }
    reaper.bury(std::move(camera.pipeline));
    camera.state = "stopped";
    camera.retry_at_us = 0;
    reaper.bury(std::move(slides.pipeline));
    slides.state = "stopped";
    if (pipeline)
      gst_element_set_state(pipeline.get(), GST_STATE_NULL);
    camera_pad.reset();
    slides_pad.reset();
    encoder_queues.clear();
    pipeline.reset();
    phase = Phase::kIdle;
  }

  // ----- inputs -----

  void start_camera() {
    camera.retry_at_us = 0;
    auto started = InputPipeline::start(source, channels(true, "camera"));
    if (!started) {
      lose_camera(started.error(), false);
      return;
    }
    camera.pipeline = std::move(*started);
    camera.state = source.kind == SourceKind::kSrt ? "waiting" : "starting";
  }

  void lose_camera(const Error& error, bool ended) {
    reaper.bury(std::move(camera.pipeline));
    camera.last_error = error.code + ": " + error.message;
    if (source.retries() && phase == Phase::kLive) {
      camera.state = "retrying";
      camera.backoff_ms = std::min(std::max(500, camera.backoff_ms * 2), kInputBackoffMaxMs);
      camera.retry_at_us = now_us() + camera.backoff_ms * 1000LL;
    } else {
      camera.state = ended ? "ended" : "failed";
    }
    emit(StudioEvent::Kind::kInputLost, "camera", error.code, error.message);
    reconcile_scene();
  }

  void tick_camera(std::int64_t now) {
    if (camera.pipeline) {
      if (auto outcome = camera.pipeline->poll()) {
        lose_camera(outcome->error, outcome->ended);
        return;
      }
      if (camera.state != "up" && camera.pipeline->frames() > 0) {
        camera.state = "up";
        camera.backoff_ms = 0;
        emit(StudioEvent::Kind::kInputUp, "camera");
      } else if (camera.state == "up" && source.kind != SourceKind::kTest &&
                 now - camera.pipeline->last_frame_us() > kStallUs) {
        // The test pattern cannot be unplugged; a gap there only means a busy machine.
        lose_camera(make_error("source_stalled", "Source " + quote_for_message(source.text) +
                                                     " sent no picture for a second."),
                    false);
      }
    } else if (camera.retry_at_us != 0 && now >= camera.retry_at_us) {
      start_camera();
    }
  }

  void start_slide() {
    if (slide_files.empty() || phase != Phase::kLive)
      return;
    auto started = InputPipeline::start_slide(slide_files[slide_at], channels(false, "slides"));
    if (!started) {
      reaper.bury(std::move(slides.pipeline));
      slides.state = "failed";
      slides.last_error = started.error().code + ": " + started.error().message;
      emit(StudioEvent::Kind::kInputLost, "slides", started.error().code, started.error().message);
      return;
    }
    // The previous slide stays in the channel until the new one arrives: no flash between them.
    reaper.bury(std::move(slides.pipeline));
    slides.pipeline = std::move(*started);
    if (slides.state != "up")
      slides.state = "starting";
  }

  void tick_slides() {
    if (!slides.pipeline)
      return;
    if (auto outcome = slides.pipeline->poll(); outcome && !outcome->ended) {
      reaper.bury(std::move(slides.pipeline));
      slides.state = "failed";
      slides.last_error = outcome->error.code + ": " + outcome->error.message;
      emit(StudioEvent::Kind::kInputLost, "slides", outcome->error.code, outcome->error.message);
      reconcile_scene();
      return;
    }
    if (slides.state != "up" && slides.pipeline->frames() > 0) {
      slides.state = "up";
      emit(StudioEvent::Kind::kInputUp, "slides");
    }
  }

  // ----- scenes -----

  void apply_scene(bool force) {
    bool camera_up = camera.state == "up";
    Scene next = scene;
    if (scene == Scene::kCamera && !camera_up)
      next = Scene::kSlate;
    if (scene == Scene::kSlides && slides.state != "up") {
      next = camera_up ? Scene::kCamera : Scene::kSlate;
    }
    bool pip = next == Scene::kSlides && camera_up;
    bool changed = next != on_air;
    if (!force && !changed && scene_applied && pip == pip_shown)
      return;
    on_air = next;
    pip_shown = pip;
    scene_applied = true;
    shared->slate.store(next == Scene::kSlate);
    if (camera_pad && slides_pad) {
      int w = width(), h = height();
      if (next == Scene::kSlides) {
        // Picture-in-picture: bottom right, above the ticker, three tenths of the width.
        int pw = (w * 3 / 10) & ~1;
        int ph = (pw * h / w) & ~1;
        int px = (w - pw - w * 24 / 1280) & ~1;
        int py = (h - ph - h * 66 / 720) & ~1;
        g_object_set(camera_pad.get(), "xpos", px, "ypos", py, "width", pw, "height", ph, "alpha",
                     pip ? 1.0 : 0.0, "zorder", 2u, nullptr);
        g_object_set(slides_pad.get(), "xpos", 0, "ypos", 0, "width", w, "height", h, "alpha", 1.0,
                     "zorder", 1u, nullptr);
      } else {
        g_object_set(camera_pad.get(), "xpos", 0, "ypos", 0, "width", w, "height", h, "alpha",
                     next == Scene::kCamera ? 1.0 : 0.0, "zorder", 2u, nullptr);
        g_object_set(slides_pad.get(), "alpha", 0.0, "zorder", 1u, nullptr);
      }
    }
    if (changed)
      emit(StudioEvent::Kind::kSceneChanged, std::string(scene_name(next)));
  }

  void reconcile_scene() { apply_scene(false); }

  // ----- outputs -----

  void start_output(OutputSlot& slot) {
    slot.retry_at_us = 0;
    std::expected<std::shared_ptr<EncodedOutput>, Error> started;
    if (slot.kind == "recording") {
      recording_path =
          config.recordings_dir + "/" + recording_file_name(config.room, recording_attempt++);
      slot.target = recording_path;
      started = EncodedOutput::record(recording_path);
    } else {
      started = EncodedOutput::push(slot.url, slot.target);
    }
    if (!started) {
      fail_output(slot, started.error());
      return;
    }
    slot.output = std::move(*started);
    slot.state = "starting";
    slot.started_us = now_us();
    std::lock_guard lock(shared->outputs_mutex);
    shared->outputs.push_back(slot.output);
  }

  void detach(OutputSlot& slot) {
    if (!slot.output)
      return;
    {
      std::lock_guard lock(shared->outputs_mutex);
      std::erase(shared->outputs, slot.output);
    }
    slot.bytes_before += slot.output->bytes();
    reaper.bury(std::move(slot.output));
  }

  void fail_output(OutputSlot& slot, const Error& error) {
    detach(slot);
    slot.last_error = error.code + ": " + error.message;
    slot.retries++;
    slot.state = "retrying";
    slot.backoff_ms = std::min(std::max(1000, slot.backoff_ms * 2), kOutputBackoffMaxMs);
    slot.retry_at_us = now_us() + slot.backoff_ms * 1000LL;
    emit(StudioEvent::Kind::kOutputFailed, slot.id, error.code, error.message);
  }

  void tick_outputs(std::int64_t now) {
    for (OutputSlot& slot : outputs) {
      if (slot.output) {
        if (auto error = slot.output->poll()) {
          fail_output(slot, *error);
        } else if (slot.state == "starting" && slot.output->bytes() > 0 &&
                   (slot.kind == "recording" || now - slot.started_us > kPushSettleUs)) {
          slot.state = "live";
          slot.backoff_ms = 0;
          emit(StudioEvent::Kind::kOutputUp, slot.id);
        }
      } else if (slot.retry_at_us != 0 && now >= slot.retry_at_us) {
        start_output(slot);
      }
    }
  }

  // ----- the main pipeline's bus, stats, stopping -----

  void tick_main() {
    if (!pipeline)
      return;
    GstBusRef bus(gst_element_get_bus(pipeline.get()));
    while (true) {
      GstMessageRef message(gst_bus_pop_filtered(
          bus.get(), static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS)));
      if (!message)
        break;
      if (GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS) {
        if (phase == Phase::kStopping)
          finish_stop();
        return;
      }
      // A segment sink ("seg<rendition>") that cannot write says so and goes on cutting; the
      // host is told the HLS output is failing, not that the studio is.
      std::string from = GST_OBJECT_NAME(GST_MESSAGE_SRC(message.get()));
      const char* code = from.starts_with("seg") ? "hls_write_failed" : "studio_failed";
      last_error = std::string(code) + ": " + describe_error(message.get());
      emit(StudioEvent::Kind::kError, "studio", code, describe_error(message.get()));
    }
  }

  void tick_stats(std::int64_t now) {
    if (now - stats_at_us < 1'000'000)
      return;
    double seconds = static_cast<double>(now - stats_at_us) / 1e6;
    std::uint64_t frames = shared->frames.load();
    if (stats_at_us != 0)
      fps = static_cast<double>(frames - stats_frames) / seconds;
    stats_frames = frames;
    for (size_t i = 0; i < config.ladder.size(); ++i) {
      std::uint64_t bytes = shared->encoded_bytes[i].load();
      if (stats_at_us != 0) {
        bitrates[i] =
            static_cast<std::uint64_t>(static_cast<double>(bytes - stats_bytes[i]) * 8 / seconds);
      }
      stats_bytes[i] = bytes;
    }
    stats_at_us = now;
  }

  void finish_stop() {
    teardown();
    fps = 0;
    bitrates = {};
    emit(StudioEvent::Kind::kStopped, "studio");
  }

  void tick() {
    std::int64_t now = now_us();

    tick_main();
    if (phase == Phase::kLive) {
      tick_camera(now);
      tick_slides();
      tick_outputs(now);
      reconcile_scene();
      tick_stats(now);
    } else if (phase == Phase::kStopping && now >= stop_deadline_us) {
      finish_stop();
    }
  }
};

Studio::Studio(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Studio::~Studio() = default;

std::expected<std::unique_ptr<Studio>, Error> Studio::create(StudioConfig config,
                                                             StudioListener listener) {
  if (auto valid = validate(config); !valid)
    return std::unexpected(valid.error());
  if (config.ladder.size() > kMaxRungs) {
    return std::unexpected(make_error("config_invalid", "The ladder has more than 8 renditions."));
  }
  if (config.hls_dir.find('%') != std::string::npos) {
    return std::unexpected(make_error("config_invalid", "The HLS directory may not contain '%'."));
  }
  auto impl = std::make_unique<Impl>();
  impl->source = *parse_source(config.source);
  impl->room_dir = config.hls_dir + "/" + config.room;
  impl->channel = "boai-" + config.room + "-" + std::to_string(studio_counter.fetch_add(1)) + "-";
  impl->listener = std::move(listener);
  impl->shared =
      std::make_shared<Shared>(config.ladder.front().width, config.ladder.front().height);
  auto first = std::make_shared<OverlayState>();
  first->certificate_line = config.certificate_line;
  first->qr_url = config.viewer_url;
  impl->shared->overlay.store(first);
  // Load the fonts now, not in the streaming thread on the first frame.
  impl->shared->renderer.render(*first, true, std::chrono::system_clock::now());
  if (!config.recordings_dir.empty()) {
    OutputSlot slot;
    slot.id = "recording";
    slot.kind = "recording";
    slot.target = config.recordings_dir;
    impl->outputs.push_back(std::move(slot));
  }
  impl->config = std::move(config);
  std::unique_ptr<Studio> studio(new Studio(std::move(impl)));
  for (const std::string& url : studio->impl_->config.push_targets) {
    if (auto added = studio->add_push_target(url); !added)
      return std::unexpected(added.error());
  }
  if (!studio->impl_->config.slides_dir.empty()) {
    if (auto loaded = studio->load_slides(studio->impl_->config.slides_dir); !loaded) {
      return std::unexpected(loaded.error());
    }
  }
  Impl* raw = studio->impl_.get();
  raw->ticker = std::make_unique<LoopTimer>(nullptr, std::chrono::milliseconds(kTickMs), [raw] {
    try {
      raw->tick();
    } catch (...) {
      // Never let an exception unwind through GLib; the next tick tries again.
    }
  });
  return studio;
}

std::expected<void, Error> Studio::go_live() {
  Impl& s = *impl_;
  if (s.phase != Impl::Phase::kIdle) {
    return std::unexpected(make_error("already_live", "The studio is already on air."));
  }
  if (auto dirs = s.prepare_dirs(); !dirs)
    return dirs;
  if (auto built = s.build(); !built) {
    s.teardown();
    return built;
  }
  if (gst_element_set_state(s.pipeline.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    std::string why = "The studio pipeline would not start.";
    GstBusRef bus(gst_element_get_bus(s.pipeline.get()));
    GstMessageRef message(gst_bus_pop_filtered(bus.get(), GST_MESSAGE_ERROR));
    if (message)
      why = describe_error(message.get());
    s.teardown();
    return std::unexpected(make_error("studio_failed", why));
  }
  s.phase = Impl::Phase::kLive;
  s.last_error.clear();
  s.stats_at_us = 0;
  s.recording_attempt = 0;
  s.camera.backoff_ms = 0;
  s.start_camera();
  s.start_slide();
  for (OutputSlot& slot : s.outputs) {
    slot.backoff_ms = 0;
    s.start_output(slot);
  }
  s.reconcile_scene();
  return {};
}

void Studio::stop() {
  Impl& s = *impl_;
  if (s.phase != Impl::Phase::kLive)
    return;
  s.phase = Impl::Phase::kStopping;
  s.stop_deadline_us = now_us() + kStopTimeoutUs;
  s.reaper.bury(std::move(s.camera.pipeline));
  s.reaper.bury(std::move(s.slides.pipeline));
  for (OutputSlot& slot : s.outputs) {
    if (slot.output)
      slot.output->end_of_stream();
  }
  gst_element_send_event(s.pipeline.get(), gst_event_new_eos());
}

bool Studio::live() const {
  return impl_->phase != Impl::Phase::kIdle;
}

void Studio::switch_scene(Scene scene) {
  impl_->scene = scene;
  impl_->reconcile_scene();
}

Scene Studio::scene() const {
  return impl_->scene;
}
Scene Studio::on_air() const {
  return impl_->on_air;
}

std::expected<void, Error> Studio::switch_source(std::string_view text) {
  auto spec = parse_source(text);
  if (!spec)
    return std::unexpected(spec.error());
  Impl& s = *impl_;
  s.reaper.bury(std::move(s.camera.pipeline));
  s.camera.state = "stopped";
  s.camera.last_error.clear();
  s.camera.backoff_ms = 0;
  s.camera.retry_at_us = 0;
  s.source = std::move(*spec);
  s.config.source = s.source.text;
  s.reconcile_scene();
  if (s.phase != Impl::Phase::kLive)
    return {};
  s.start_camera();
  if (!s.camera.pipeline) {
    return std::unexpected(make_error("source_unavailable", s.camera.last_error));
  }
  return {};
}

std::expected<void, Error> Studio::load_slides(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && is_slide_file(it->path()))
      files.push_back(it->path().string());
  }
  if (files.empty()) {
    return std::unexpected(make_error(
        "slides_empty", "Slides folder " + quote_for_message(dir) + " has no PNG or JPEG files."));
  }
  std::sort(files.begin(), files.end());
  impl_->slide_files = std::move(files);
  impl_->slide_at = 0;
  impl_->start_slide();
  return {};
}

std::expected<void, Error> Studio::next_slide() {
  Impl& s = *impl_;
  if (s.slide_at + 1 >= s.slide_files.size()) {
    return std::unexpected(make_error("slide_out_of_range", "This is the last slide."));
  }
  ++s.slide_at;
  s.start_slide();
  return {};
}

std::expected<void, Error> Studio::previous_slide() {
  Impl& s = *impl_;
  if (s.slide_at == 0 || s.slide_files.empty()) {
    return std::unexpected(make_error("slide_out_of_range", "This is the first slide."));
  }
  --s.slide_at;
  s.start_slide();
  return {};
}

std::size_t Studio::slide_index() const {
  return impl_->slide_at;
}
std::size_t Studio::slide_count() const {
  return impl_->slide_files.size();
}

void Studio::set_overlay(std::shared_ptr<const OverlayState> state) {
  impl_->shared->overlay.store(std::move(state));
}

std::shared_ptr<const OverlayState> Studio::overlay() const {
  return impl_->shared->overlay.load();
}

std::expected<std::string, Error> Studio::add_push_target(std::string_view url) {
  auto parsed = parse_push_url(url);
  if (!parsed)
    return std::unexpected(parsed.error());
  Impl& s = *impl_;
  OutputSlot slot;
  slot.id = "push-" + std::to_string(s.next_push_id++);
  slot.kind = "rtmp";
  slot.url = parsed->url;
  slot.target = parsed->display;
  s.outputs.push_back(std::move(slot));
  if (s.phase == Impl::Phase::kLive)
    s.start_output(s.outputs.back());
  return s.outputs.back().id;
}

std::expected<void, Error> Studio::remove_push_target(std::string_view id) {
  Impl& s = *impl_;
  auto it = std::find_if(s.outputs.begin(), s.outputs.end(), [&](const OutputSlot& slot) {
    return slot.kind == "rtmp" && slot.id == id;
  });
  if (it == s.outputs.end()) {
    return std::unexpected(make_error("push_target_unknown",
                                      "There is no push target " + quote_for_message(id) + "."));
  }
  s.detach(*it);
  s.outputs.erase(it);
  return {};
}

StudioHealth Studio::health() const {
  const Impl& s = *impl_;
  StudioHealth h;
  h.live = s.phase == Impl::Phase::kLive;
  h.scene = s.scene;
  h.on_air = s.on_air;
  h.fps = s.fps;
  h.frames = s.shared->frames.load();
  h.dropped_frames = s.shared->dropped.load();
  h.last_error = s.last_error;
  std::uint64_t hls_bytes = 0;
  for (size_t i = 0; i < s.config.ladder.size(); ++i) {
    RenditionHealth r;
    r.name = s.config.ladder[i].name;
    r.bitrate_bps = s.bitrates[i];
    if (i < s.encoder_queues.size()) {
      guint level = 0;
      g_object_get(s.encoder_queues[i].get(), "current-level-buffers", &level, nullptr);
      r.queue_buffers = level;
    }
    hls_bytes += s.shared->encoded_bytes[i].load();
    h.renditions.push_back(std::move(r));
  }
  auto input = [](const InputSlot& slot, std::string source) {
    return InputHealth{slot.name, std::move(source), slot.state, slot.last_error,
                       slot.pipeline ? slot.pipeline->frames() : 0};
  };
  h.inputs.push_back(input(s.camera, s.source.text));
  if (!s.slide_files.empty())
    h.inputs.push_back(input(s.slides, s.slide_files[s.slide_at]));
  h.outputs.push_back(OutputHealth{"hls", "hls", s.room_dir, s.pipeline ? "live" : "stopped",
                                   s.last_error, 0, hls_bytes});
  for (const OutputSlot& slot : s.outputs) {
    h.outputs.push_back(OutputHealth{slot.id, slot.kind, slot.target, slot.state, slot.last_error,
                                     slot.retries,
                                     slot.bytes_before + (slot.output ? slot.output->bytes() : 0)});
  }
  return h;
}

namespace {

GstSampleRef latest_sample(Shared& shared) {
  std::lock_guard lock(shared.frame_mutex);
  return GstSampleRef(shared.latest ? gst_sample_ref(shared.latest) : nullptr);
}

}  // namespace

std::optional<Frame> Studio::last_frame() const {
  GstSampleRef sample = latest_sample(*impl_->shared);
  if (!sample)
    return std::nullopt;
  GstCapsRef caps(gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "RGB", nullptr));
  GError* raw_error = nullptr;
  GstSampleRef rgb(gst_video_convert_sample(sample.get(), caps.get(), 5 * GST_SECOND, &raw_error));
  GErrorRef error(raw_error);
  if (!rgb)
    return std::nullopt;
  GstVideoInfo info;
  if (!gst_video_info_from_caps(&info, gst_sample_get_caps(rgb.get())))
    return std::nullopt;
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

std::expected<std::vector<std::uint8_t>, Error> Studio::snapshot_png() const {
  GstSampleRef sample = latest_sample(*impl_->shared);
  if (!sample)
    return std::unexpected(make_error("no_frame", "No frame has been composed yet."));
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

std::string Studio::room_dir() const {
  return impl_->room_dir;
}
std::string Studio::recording_path() const {
  return impl_->recording_path;
}

}  // namespace boai::stream
