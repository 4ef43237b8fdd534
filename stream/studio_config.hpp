// How a studio is set up: source, room, where HLS and recordings go, the ladder, push targets.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace boai::stream {

enum class Scene { kCamera, kSlides, kSlate };

std::string_view scene_name(Scene scene);  // "camera", "slides", "slate"
std::optional<Scene> parse_scene(std::string_view name);

// One HLS rendition. The first rung is the size the studio composes at; the others are scaled.
struct Rendition {
  std::string name;  // directory and label: "720p"
  int width = 0;
  int height = 0;
  int video_kbps = 0;
};

std::vector<Rendition> default_ladder();  // 720p30 at 2500 kb/s, 360p at 800 kb/s

// Who cuts the HLS segments. kStudio: the studio's own segmenter (mpegtsmux, then a cut and a
// playlist rewrite at each key frame) lists a segment the moment the next key frame closes it.
// kHlssink2: GStreamer's hlssink2, whose splitmuxsink lists a segment only once the GOP after it is
// complete too, a segment later; kept to compare against.
enum class HlsSegmenter { kStudio, kHlssink2 };

struct StudioConfig {
  std::string source = "test";  // see source_spec.hpp
  std::string room = "main";    // [A-Za-z0-9_-], 1..64 characters
  std::string hls_dir;          // <hls_dir>/<room>/master.m3u8
  std::string recordings_dir;   // <recordings_dir>/<room>-<UTC start>/; empty: no replay
  // Recording stops ("recording_disk_full") when the recordings' disk has less free than this.
  std::uint64_t recordings_min_free_bytes = 0;
  std::string slides_dir;  // PNG/JPEG files stepped through in name order; may be empty
  int segment_seconds = 1;
  HlsSegmenter hls_segmenter = HlsSegmenter::kStudio;
  // Key frames per segment, at the same frames in every rendition. The studio's segmenter cuts at
  // every this many key frames; more GOPs only cost compression. With hlssink2 two GOPs a segment
  // take half a segment off its latency, but splitmuxsink cuts as soon as one more GOP would pass
  // the target, so the slightest timestamp jitter (a busy machine) makes half-length segments.
  int gops_per_segment = 1;
  // Low-Latency HLS (the studio's own segmenter only): each segment is also cut into this many
  // parts, as whole frames (1 s at 30 fps: parts of 10 frames, 333 ms). 0: no parts.
  int parts_per_segment = 3;
  int playlist_length = 5;  // segments listed in each media playlist
  int segments_kept = 10;   // segments left on disk; older ones are deleted
  int framerate = 30;
  int audio_kbps = 128;
  std::string x264_preset = "veryfast";
  std::vector<Rendition> ladder = default_ladder();
  std::vector<std::string> push_targets;  // rtmp:// or rtmps:// URLs with their keys
  // Seeds for the first overlay; later snapshots from set_overlay() carry their own.
  std::string certificate_line;
  std::string viewer_url;
};

// The longest part (whole frames, rounded up); 0 when the studio cuts no parts.
double part_seconds(const StudioConfig& config);

// Code "config_invalid" naming the field, "source_invalid" for the source.
std::expected<void, Error> validate(const StudioConfig& config);

}  // namespace boai::stream
