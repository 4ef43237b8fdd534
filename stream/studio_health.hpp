// What the studio reports: health for /metrics and the host console, events as they happen.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stream/studio_config.hpp"

namespace boai::stream {

// state: "starting", "up", "waiting" (a listener with no publisher yet), "lost", "retrying",
// "ended", "failed", "stopped".
struct InputHealth {
  std::string name;    // "camera", "slides"
  std::string source;  // what the host chose, e.g. "srt://:9000"
  std::string state;
  std::string last_error;  // "source_failed: ..." with the input named; empty when none
  std::uint64_t frames = 0;
};

// state: "starting", "live", "retrying", "failed", "stopped".
struct OutputHealth {
  std::string id;      // "hls", "recording", "push-1"
  std::string kind;    // "hls", "recording", "rtmp"
  std::string target;  // a directory, a file, or an RTMP URL with its key hidden
  std::string state;
  std::string last_error;
  std::uint32_t retries = 0;
  std::uint64_t bytes = 0;
};

struct RenditionHealth {
  std::string name;
  std::uint64_t bitrate_bps = 0;    // measured over the last second
  std::uint32_t queue_buffers = 0;  // frames waiting before the encoder
};

struct StudioHealth {
  bool live = false;
  Scene scene = Scene::kCamera;  // what the host chose
  Scene on_air = Scene::kSlate;  // what viewers see (slate while the camera is lost)
  double fps = 0;                // composed frames per second, over the last second
  std::uint64_t frames = 0;
  std::uint64_t dropped_frames = 0;  // frames a full encoder queue threw away
  std::vector<RenditionHealth> renditions;
  std::vector<InputHealth> inputs;
  std::vector<OutputHealth> outputs;
  std::string last_error;  // the studio's own pipeline
};

// Events, always called on the GLib main loop thread.
struct StudioEvent {
  enum class Kind {
    kInputUp,       // subject: "camera"/"slides"
    kInputLost,     // code and message say why
    kSceneChanged,  // subject: the scene now on air
    kOutputUp,      // subject: output id
    kOutputFailed,  // code and message name the output; it is retried when it can be
    kStopped,       // the broadcast ended
    kError,         // the studio's own pipeline failed
  };
  Kind kind;
  std::string subject;
  std::string code;
  std::string message;
};

using StudioListener = std::function<void(const StudioEvent&)>;

}  // namespace boai::stream
