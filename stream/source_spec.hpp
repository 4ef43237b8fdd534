// The --source string: which camera the studio takes pictures and sound from.
// "test", "v4l2:/dev/video0[?audio=pulse:NAME|alsa:hw:1]", "srt://[host]:PORT",
// "rtmp://host/app/key", "file:/path/clip.mp4".
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::stream {

enum class SourceKind { kTest, kV4l2, kSrt, kRtmp, kFile };

struct SourceSpec {
  SourceKind kind = SourceKind::kTest;
  std::string text;          // what the host typed, for messages and health
  std::string device;        // v4l2: /dev/videoN
  std::string audio_device;  // v4l2: "pulse:NAME" or "alsa:hw:1"; empty for none
  std::string host;          // srt: address to listen on ("" = every address)
  std::uint16_t port = 0;    // srt
  std::string uri;           // srt: the srtsrc URI (listener mode); rtmp: the stream to pull
  std::string path;          // file

  // Live inputs come back: a lost SRT publisher or camera is waited for again.
  bool retries() const { return kind != SourceKind::kFile && kind != SourceKind::kTest; }
};

// Error code "source_invalid", with the offending input named in the message.
std::expected<SourceSpec, Error> parse_source(std::string_view text);

// A printable, bounded copy of untrusted text for error messages.
std::string quote_for_message(std::string_view text);

}  // namespace boai::stream
