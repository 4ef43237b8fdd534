// The --source string: which camera the studio takes pictures and sound from.
// "test", "clock", "v4l2:/dev/video0[?audio=pulse:NAME|alsa:hw:1]", "srt://[host]:PORT",
// "rtmp://host/app/key", "file:/path/clip.mp4".
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::stream {

// kClock: the test pattern with its capture time drawn in (stream/clock_face.hpp).
enum class SourceKind { kTest, kClock, kV4l2, kSrt, kRtmp, kFile };

struct SourceSpec {
  SourceKind kind = SourceKind::kTest;
  std::string text;          // what the host typed, for messages and health
  std::string device;        // v4l2: /dev/videoN
  std::string audio_device;  // v4l2: "pulse:NAME" or "alsa:hw:1"; empty for none
  std::string host;          // srt: address to listen on ("" = every address)
  std::uint16_t port = 0;    // srt
  std::string uri;           // srt: the srtsrc URI (listener mode); rtmp: the stream to pull
  std::string path;          // file

  // Made in the studio itself: cannot be unplugged, so a gap in it means only a busy machine.
  bool generated() const { return kind == SourceKind::kTest || kind == SourceKind::kClock; }
  // Live inputs come back: a lost SRT publisher or camera is waited for again.
  bool retries() const { return kind != SourceKind::kFile && !generated(); }
};

// Error code "source_invalid", with the offending input named in the message.
std::expected<SourceSpec, Error> parse_source(std::string_view text);

// A printable, bounded copy of untrusted text for error messages.
std::string quote_for_message(std::string_view text);

}  // namespace boai::stream
