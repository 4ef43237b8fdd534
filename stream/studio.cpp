// The studio's control surface, a facade over its stages: the inputs (studio_inputs), the main
// pipeline (main_pipeline), the outputs (studio_outputs) and the health bookkeeping
// (studio_meter). It owns and wires them, picks the scene on air, and drives them all from a
// 100 ms tick on the GLib main loop.
#include "stream/studio.hpp"

#include <atomic>
#include <chrono>

#include "base/loop_timer.hpp"
#include "stream/gst_util.hpp"
#include "stream/latest_frame.hpp"
#include "stream/main_pipeline.hpp"
#include "stream/overlay_painter.hpp"
#include "stream/reaper.hpp"
#include "stream/source_spec.hpp"
#include "stream/studio_events.hpp"
#include "stream/studio_inputs.hpp"
#include "stream/studio_meter.hpp"
#include "stream/studio_outputs.hpp"
#include "stream/studio_replay.hpp"

namespace boai::stream {
namespace {

constexpr int kTickMs = 100;
constexpr std::int64_t kStopTimeoutUs = 3'000'000;

std::atomic<unsigned> studio_counter{0};

// The intervideo/interaudio channels from the inputs to the main pipeline, named apart for each
// studio of the process. All pictures are at the ladder's first size.
struct Channels {
  InputChannels camera;
  InputChannels slides;
};

Channels make_channels(const StudioConfig& config) {
  std::string prefix =
      "boai-" + config.room + "-" + std::to_string(studio_counter.fetch_add(1)) + "-";
  const Rendition& size = config.ladder.front();
  return Channels{
      InputChannels{prefix + "camera", prefix + "mic", size.width, size.height, config.framerate},
      InputChannels{prefix + "slides", "", size.width, size.height, config.framerate}};
}

// What viewers see of the host's scene: an input without a picture gives way to the other or to
// the slate, and the camera shows over the slides only while it has a picture.
struct OnAir {
  Scene scene;
  bool pip;
};

OnAir choose_on_air(Scene chosen, bool camera_up, bool slides_up) {
  Scene next = chosen;
  if (chosen == Scene::kCamera && !camera_up) {
    next = Scene::kSlate;
  }
  if (chosen == Scene::kSlides && !slides_up) {
    next = camera_up ? Scene::kCamera : Scene::kSlate;
  }
  return OnAir{next, next == Scene::kSlides && camera_up};
}

std::shared_ptr<OverlayPainter> first_painter(const StudioConfig& config) {
  auto first = std::make_shared<OverlayState>();
  first->certificate_line = config.certificate_line;
  first->qr_url = config.viewer_url;
  const Rendition& size = config.ladder.front();
  return std::make_shared<OverlayPainter>(size.width, size.height, std::move(first));
}

}  // namespace

struct Studio::Impl {
  enum class Phase { kIdle, kLive, kStopping };

  Impl(const StudioConfig& config, SourceSpec source, StudioListener events, Channels channels)
      : listener(std::move(events)),
        room_dir(config.hls_dir + "/" + config.room),
        painter(first_painter(config)),
        meter(config.ladder),
        // A lost input changes what can be on air: the scene follows at once.
        inputs(std::move(source), channels.camera, channels.slides, reaper,
               [this](const StudioEvent& event) {
                 if (listener) {
                   listener(event);
                 }
                 if (event.kind == StudioEvent::Kind::kInputLost) {
                   reconcile_scene();
                 }
               }),
        main_pipeline(config, room_dir, channels.camera, channels.slides, listener),
        outputs(reaper, listener),
        replay(config) {}

  ~Impl() {
    ticker.reset();
    teardown();
  }

  Reaper reaper;  // first member: destroyed last, after every teardown it runs has finished
  StudioListener listener;
  std::string room_dir;
  std::shared_ptr<OverlayPainter> painter;
  std::shared_ptr<LatestFrame> latest = std::make_shared<LatestFrame>();
  StudioMeter meter;
  StudioInputs inputs;
  MainPipeline main_pipeline;
  StudioOutputs outputs;
  StudioReplay replay;
  std::shared_ptr<LiveEdge> live_edge = std::make_shared<LiveEdge>();
  Phase phase = Phase::kIdle;
  Scene scene = Scene::kCamera;  // the host's choice
  Scene on_air = Scene::kSlate;  // what viewers see
  bool pip_shown = false;
  bool scene_applied = false;
  std::int64_t stop_deadline_us = 0;
  std::unique_ptr<LoopTimer> ticker;  // tick() every kTickMs on the loop

  std::expected<void, Error> go_live();
  void apply_scene(bool force);
  void reconcile_scene() { apply_scene(false); }
  void teardown();
  void finish_stop();
  void tick();
};

std::expected<void, Error> Studio::Impl::go_live() {
  if (auto dirs = main_pipeline.prepare_hls(); !dirs) {
    return dirs;
  }
  if (auto dirs = replay.prepare(); !dirs) {
    return dirs;
  }
  live_edge->clear();  // the last broadcast's playlists are not this one's
  if (auto recorded = replay.start(); !recorded) {
    // On air without a replay: the host is told, the viewers still get the class.
    notify(listener, StudioEvent::Kind::kOutputFailed, "recording", recorded.error().code,
           recorded.error().message);
  }
  auto started = main_pipeline.build(
      MainPipeline::Taps{painter, latest, outputs.feed(), meter, replay.recording(), live_edge});
  if (started) {
    scene_applied = false;
    apply_scene(true);  // the pads laid out before the first frame
    started = main_pipeline.play();
  }
  if (!started) {
    teardown();
    return started;
  }
  phase = Phase::kLive;
  meter.restart();
  inputs.start();
  outputs.start();
  reconcile_scene();
  return {};
}

void Studio::Impl::apply_scene(bool force) {
  OnAir next = choose_on_air(scene, inputs.camera_up(), inputs.slides_up());
  bool changed = next.scene != on_air;
  if (!force && !changed && scene_applied && next.pip == pip_shown) {
    return;
  }
  on_air = next.scene;
  pip_shown = next.pip;
  scene_applied = true;
  painter->set_slate(on_air == Scene::kSlate);
  main_pipeline.show(on_air, pip_shown);
  if (changed) {
    notify(listener, StudioEvent::Kind::kSceneChanged, std::string(scene_name(on_air)));
  }
}

void Studio::Impl::teardown() {
  outputs.clear();
  replay.clear();
  inputs.clear();
  main_pipeline.teardown();
  phase = Phase::kIdle;
}

void Studio::Impl::finish_stop() {
  teardown();
  meter.stop();
  notify(listener, StudioEvent::Kind::kStopped, "studio");
}

void Studio::Impl::tick() {
  std::int64_t now = now_us();
  if (main_pipeline.poll() && phase == Phase::kStopping) {
    finish_stop();
  }
  if (phase == Phase::kLive) {
    inputs.tick(now);
    outputs.tick(now);
    reconcile_scene();
    meter.sample(now);
  } else if (phase == Phase::kStopping && now >= stop_deadline_us) {
    finish_stop();
  }
}

Studio::Studio(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Studio::~Studio() = default;

std::expected<std::unique_ptr<Studio>, Error> Studio::create(StudioConfig config,
                                                             StudioListener listener) {
  if (auto valid = validate(config); !valid) {
    return std::unexpected(valid.error());
  }
  if (config.ladder.size() > StudioMeter::kMaxRungs) {
    return std::unexpected(make_error("config_invalid", "The ladder has more than 8 renditions."));
  }
  if (config.hls_dir.find('%') != std::string::npos) {
    return std::unexpected(make_error("config_invalid", "The HLS directory may not contain '%'."));
  }
  std::unique_ptr<Studio> studio(new Studio(std::make_unique<Impl>(
      config, *parse_source(config.source), std::move(listener), make_channels(config))));
  for (const std::string& url : config.push_targets) {
    if (auto added = studio->add_push_target(url); !added) {
      return std::unexpected(added.error());
    }
  }
  if (!config.slides_dir.empty()) {
    if (auto loaded = studio->load_slides(config.slides_dir); !loaded) {
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
  if (impl_->phase != Impl::Phase::kIdle) {
    return std::unexpected(make_error("already_live", "The studio is already on air."));
  }
  return impl_->go_live();
}

void Studio::stop() {
  Impl& s = *impl_;
  if (s.phase != Impl::Phase::kLive) {
    return;
  }
  s.phase = Impl::Phase::kStopping;
  s.stop_deadline_us = now_us() + kStopTimeoutUs;
  s.inputs.end();
  s.outputs.end();
  s.main_pipeline.end();
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
  if (!spec) {
    return std::unexpected(spec.error());
  }
  impl_->inputs.replace_source(std::move(*spec));
  impl_->reconcile_scene();
  return impl_->inputs.start_camera();
}

std::expected<void, Error> Studio::load_slides(const std::string& dir) {
  return impl_->inputs.load_slides(dir);
}
std::expected<void, Error> Studio::next_slide() {
  return impl_->inputs.next_slide();
}
std::expected<void, Error> Studio::previous_slide() {
  return impl_->inputs.previous_slide();
}
std::size_t Studio::slide_index() const {
  return impl_->inputs.slide_index();
}
std::size_t Studio::slide_count() const {
  return impl_->inputs.slide_count();
}

void Studio::set_overlay(std::shared_ptr<const OverlayState> state) {
  impl_->painter->set_state(std::move(state));
}
std::shared_ptr<const OverlayState> Studio::overlay() const {
  return impl_->painter->state();
}

std::expected<std::string, Error> Studio::add_push_target(std::string_view url) {
  return impl_->outputs.add_push(url);
}
std::expected<void, Error> Studio::remove_push_target(std::string_view id) {
  return impl_->outputs.remove_push(id);
}

StudioHealth Studio::health() const {
  const Impl& s = *impl_;
  StudioHealth h;
  h.live = s.phase == Impl::Phase::kLive;
  h.scene = s.scene;
  h.on_air = s.on_air;
  h.last_error = s.main_pipeline.last_error();
  s.meter.report(h);
  for (std::size_t i = 0; i < h.renditions.size(); ++i) {
    h.renditions[i].queue_buffers = s.main_pipeline.queue_level(i);
  }
  s.inputs.report(h.inputs);
  h.outputs.push_back(OutputHealth{"hls", "hls", s.room_dir,
                                   s.main_pipeline.built() ? "live" : "stopped",
                                   s.main_pipeline.last_error(), 0, s.meter.encoded_bytes()});
  s.replay.report(h.outputs);
  s.outputs.report(h.outputs);
  return h;
}

std::optional<Frame> Studio::last_frame() const {
  return impl_->latest->rgb();
}
std::expected<std::vector<std::uint8_t>, Error> Studio::snapshot_png() const {
  return impl_->latest->png();
}

std::string Studio::room_dir() const {
  return impl_->room_dir;
}
std::shared_ptr<LiveEdge> Studio::live_edge() const {
  return impl_->live_edge;
}
std::string Studio::recording_path() const {
  return impl_->replay.path();
}
std::optional<double> Studio::recording_position() const {
  const auto& recording = impl_->replay.recording();
  if (!recording || recording->stopped()) {
    return std::nullopt;
  }
  auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return recording->position(now);
}

}  // namespace boai::stream
