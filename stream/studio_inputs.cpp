// The camera and slide inputs: started with the broadcast, watched every tick, retried when live.
#include "stream/studio_inputs.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "stream/gst_util.hpp"
#include "stream/studio_events.hpp"

namespace boai::stream {
namespace {

constexpr std::int64_t kStallUs = 800'000;  // no picture this long: the input is lost
constexpr int kCameraBackoffMinMs = 500;
constexpr int kCameraBackoffMaxMs = 5'000;

bool is_slide_file(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

}  // namespace

StudioInputs::StudioInputs(SourceSpec source, InputChannels camera, InputChannels slides,
                           Reaper& reaper, StudioListener listener)
    : source_(std::move(source)),
      camera_channels_(std::move(camera)),
      slides_channels_(std::move(slides)),
      reaper_(reaper),
      listener_(std::move(listener)) {}

void StudioInputs::start() {
  live_ = true;
  camera_.backoff_ms = 0;
  launch_camera();
  show_slide();
}

void StudioInputs::end() {
  live_ = false;
  reaper_.bury(std::move(camera_.pipeline));
  reaper_.bury(std::move(slides_.pipeline));
}

void StudioInputs::clear() {
  end();
  camera_.state = "stopped";
  camera_.retry_at_us = 0;
  slides_.state = "stopped";
}

void StudioInputs::tick(std::int64_t now) {
  tick_camera(now);
  tick_slides();
}

void StudioInputs::replace_source(SourceSpec source) {
  reaper_.bury(std::move(camera_.pipeline));
  camera_ = Slot{};
  source_ = std::move(source);
}

std::expected<void, Error> StudioInputs::start_camera() {
  if (!live_) {
    return {};
  }
  launch_camera();
  if (!camera_.pipeline) {
    return std::unexpected(make_error("source_unavailable", camera_.last_error));
  }
  return {};
}

std::expected<void, Error> StudioInputs::load_slides(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && is_slide_file(it->path())) {
      files.push_back(it->path().string());
    }
  }
  if (files.empty()) {
    return std::unexpected(make_error(
        "slides_empty", "Slides folder " + quote_for_message(dir) + " has no PNG or JPEG files."));
  }
  std::sort(files.begin(), files.end());
  slide_files_ = std::move(files);
  slide_at_ = 0;
  show_slide();
  return {};
}

std::expected<void, Error> StudioInputs::next_slide() {
  if (slide_at_ + 1 >= slide_files_.size()) {
    return std::unexpected(make_error("slide_out_of_range", "This is the last slide."));
  }
  ++slide_at_;
  show_slide();
  return {};
}

std::expected<void, Error> StudioInputs::previous_slide() {
  if (slide_at_ == 0 || slide_files_.empty()) {
    return std::unexpected(make_error("slide_out_of_range", "This is the first slide."));
  }
  --slide_at_;
  show_slide();
  return {};
}

void StudioInputs::report(std::vector<InputHealth>& rows) const {
  auto row = [](std::string name, const Slot& slot, std::string source) {
    return InputHealth{std::move(name), std::move(source), slot.state, slot.last_error,
                       slot.pipeline ? slot.pipeline->frames() : 0};
  };
  rows.push_back(row("camera", camera_, source_.text));
  if (!slide_files_.empty()) {
    rows.push_back(row("slides", slides_, slide_files_[slide_at_]));
  }
}

void StudioInputs::launch_camera() {
  camera_.retry_at_us = 0;
  auto started = InputPipeline::start(source_, camera_channels_);
  if (!started) {
    lose_camera(started.error(), false);
    return;
  }
  camera_.pipeline = std::move(*started);
  camera_.state = source_.kind == SourceKind::kSrt ? "waiting" : "starting";
}

void StudioInputs::lose_camera(const Error& error, bool ended) {
  reaper_.bury(std::move(camera_.pipeline));
  camera_.last_error = error.code + ": " + error.message;
  if (source_.retries() && live_) {
    camera_.state = "retrying";
    camera_.backoff_ms =
        std::min(std::max(kCameraBackoffMinMs, camera_.backoff_ms * 2), kCameraBackoffMaxMs);
    camera_.retry_at_us = now_us() + camera_.backoff_ms * 1000LL;
  } else {
    camera_.state = ended ? "ended" : "failed";
  }
  notify(listener_, StudioEvent::Kind::kInputLost, "camera", error.code, error.message);
}

void StudioInputs::tick_camera(std::int64_t now) {
  if (!camera_.pipeline) {
    if (camera_.retry_at_us != 0 && now >= camera_.retry_at_us) {
      launch_camera();
    }
    return;
  }
  if (auto outcome = camera_.pipeline->poll()) {
    lose_camera(outcome->error, outcome->ended);
    return;
  }
  if (camera_.state != "up" && camera_.pipeline->frames() > 0) {
    camera_.state = "up";
    camera_.backoff_ms = 0;
    notify(listener_, StudioEvent::Kind::kInputUp, "camera");
  } else if (camera_.state == "up" && !source_.generated() &&
             now - camera_.pipeline->last_frame_us() > kStallUs) {
    // The test pattern and the clock cannot be unplugged; a gap there only means a busy machine.
    lose_camera(make_error("source_stalled", "Source " + quote_for_message(source_.text) +
                                                 " sent no picture for a second."),
                false);
  }
}

// The previous slide stays in the channel until the new one arrives: no flash between them.
void StudioInputs::show_slide() {
  if (slide_files_.empty() || !live_) {
    return;
  }
  auto started = InputPipeline::start_slide(slide_files_[slide_at_], slides_channels_);
  if (!started) {
    lose_slides(started.error());
    return;
  }
  reaper_.bury(std::move(slides_.pipeline));
  slides_.pipeline = std::move(*started);
  if (slides_.state != "up") {
    slides_.state = "starting";
  }
}

void StudioInputs::lose_slides(const Error& error) {
  reaper_.bury(std::move(slides_.pipeline));
  slides_.state = "failed";
  slides_.last_error = error.code + ": " + error.message;
  notify(listener_, StudioEvent::Kind::kInputLost, "slides", error.code, error.message);
}

// Only an error loses a slide; an end of stream is not reported.
void StudioInputs::tick_slides() {
  if (!slides_.pipeline) {
    return;
  }
  if (auto outcome = slides_.pipeline->poll(); outcome && !outcome->ended) {
    lose_slides(outcome->error);
    return;
  }
  if (slides_.state != "up" && slides_.pipeline->frames() > 0) {
    slides_.state = "up";
    notify(listener_, StudioEvent::Kind::kInputUp, "slides");
  }
}

}  // namespace boai::stream
