// Defaults and checks of StudioConfig; a bad configuration is refused before any pipeline exists.
#include "stream/studio_config.hpp"

#include "stream/push_url.hpp"
#include "stream/source_spec.hpp"

namespace boai::stream {

std::string_view scene_name(Scene scene) {
  switch (scene) {
    case Scene::kCamera:
      return "camera";
    case Scene::kSlides:
      return "slides";
    case Scene::kSlate:
      return "slate";
  }
  return "slate";
}

std::optional<Scene> parse_scene(std::string_view name) {
  if (name == "camera") {
    return Scene::kCamera;
  }
  if (name == "slides") {
    return Scene::kSlides;
  }
  if (name == "slate") {
    return Scene::kSlate;
  }
  return std::nullopt;
}

std::vector<Rendition> default_ladder() {
  return {{"720p", 1280, 720, 2500}, {"360p", 640, 360, 800}};
}

namespace {

bool is_name(std::string_view s) {
  if (s.empty() || s.size() > 64) {
    return false;
  }
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::unexpected<Error> bad(std::string message) {
  return std::unexpected(make_error("config_invalid", std::move(message)));
}

}  // namespace

double part_seconds(const StudioConfig& c) {
  if (c.parts_per_segment <= 0 || c.hls_segmenter != HlsSegmenter::kStudio) {
    return 0;
  }
  int frames = c.framerate * c.segment_seconds;
  int per_part = (frames + c.parts_per_segment - 1) / c.parts_per_segment;
  return static_cast<double>(per_part) / c.framerate;
}

std::expected<void, Error> validate(const StudioConfig& c) {
  if (!is_name(c.room)) {
    return bad("The room name must be 1-64 letters, digits, '-' or '_'.");
  }
  if (c.hls_dir.empty()) {
    return bad("The HLS directory is not set.");
  }
  if (c.segment_seconds < 1 || c.segment_seconds > 10) {
    return bad("The segment length must be 1 to 10 seconds.");
  }
  if (c.playlist_length < 3 || c.segments_kept < c.playlist_length + 1) {
    return bad("The playlist needs at least 3 segments and more kept on disk than listed.");
  }
  if (c.framerate < 1 || c.framerate > 60) {
    return bad("The frame rate must be 1 to 60.");
  }
  if (c.gops_per_segment < 1 || c.gops_per_segment > 4 ||
      (c.framerate * c.segment_seconds) % c.gops_per_segment != 0) {
    return bad("A segment must hold 1 to 4 GOPs of whole frames.");
  }
  if (c.parts_per_segment < 0 || c.parts_per_segment > c.framerate * c.segment_seconds) {
    return bad("A segment is cut into 0 parts (no Low-Latency HLS) up to one a frame.");
  }
  if (c.audio_kbps < 32 || c.audio_kbps > 320) {
    return bad("The audio bitrate must be 32-320 kb/s.");
  }
  if (c.ladder.empty()) {
    return bad("The HLS ladder is empty.");
  }
  for (const Rendition& r : c.ladder) {
    if (!is_name(r.name)) {
      return bad("A rendition name must be letters, digits, '-' or '_'.");
    }
    if (r.width < 64 || r.height < 64 || r.width > 3840 || r.height > 2160 || r.width % 2 != 0 ||
        r.height % 2 != 0) {
      return bad("Rendition " + r.name + " has a size that cannot be encoded.");
    }
    if (r.video_kbps < 100 || r.video_kbps > 20000) {
      return bad("Rendition " + r.name + " needs a bitrate of 100-20000 kb/s.");
    }
  }
  if (c.x264_preset.empty() || c.x264_preset.find_first_of(" !\"'") != std::string::npos) {
    return bad("The x264 preset is not a preset name.");
  }
  if (auto source = parse_source(c.source); !source) {
    return std::unexpected(source.error());
  }
  for (const std::string& url : c.push_targets) {
    if (auto push = parse_push_url(url); !push) {
      return std::unexpected(push.error());
    }
  }
  return {};
}

}  // namespace boai::stream
