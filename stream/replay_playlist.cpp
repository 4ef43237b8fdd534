// The replay's EVENT-then-VOD playlist, and closing one a killed studio left open.
#include "stream/replay_playlist.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "stream/hls_playlist.hpp"
#include "stream/media_playlist.hpp"

namespace boai::stream {
namespace {

constexpr std::string_view kEventType = "#EXT-X-PLAYLIST-TYPE:EVENT\n";
constexpr std::string_view kVodType = "#EXT-X-PLAYLIST-TYPE:VOD\n";
constexpr std::string_view kEndList = "#EXT-X-ENDLIST\n";

}  // namespace

ReplayPlaylist::ReplayPlaylist(std::string dir, int target_seconds)
    : dir_(std::move(dir)), target_(std::max(1, target_seconds)) {}

std::expected<void, Error> ReplayPlaylist::add(std::int64_t sequence, double seconds) {
  if (ended_) {
    return {};
  }
  if (first_sequence_ < 0) {
    first_sequence_ = sequence;
  }
  char extinf[48];
  std::snprintf(extinf, sizeof extinf, "#EXTINF:%.3f,\n", seconds);
  entries_ += extinf;
  entries_ += segment_file_name(sequence) + "\n";
  segments_++;
  seconds_ += seconds;
  // Apple's rule: every EXTINF, rounded, at most the target duration.
  target_ = std::max(target_, static_cast<int>(std::lround(seconds)));
  return write();
}

std::expected<void, Error> ReplayPlaylist::end() {
  if (ended_) {
    return {};
  }
  ended_ = true;
  return write();
}

std::string ReplayPlaylist::text() const {
  std::string out =
      "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + std::to_string(target_) +
      "\n#EXT-X-MEDIA-SEQUENCE:" + std::to_string(std::max<std::int64_t>(0, first_sequence_)) +
      "\n";
  out += ended_ ? kVodType : kEventType;
  out += entries_;
  if (ended_) {
    out += kEndList;
  }
  return out;
}

std::expected<void, Error> ReplayPlaylist::write() const {
  if (!replace_file(path(), text())) {
    return std::unexpected(
        make_error("recording_failed", "Cannot write the replay playlist " + path() + "."));
  }
  return {};
}

std::optional<bool> close_replay_playlist(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream read;
  read << in.rdbuf();
  std::string text = read.str();
  if (text.ends_with(kEndList)) {
    return false;
  }
  if (auto at = text.find(kEventType); at != std::string::npos) {
    text.replace(at, kEventType.size(), kVodType);
  }
  if (!text.empty() && text.back() != '\n') {
    text.erase(text.rfind('\n') + 1);  // a line cut short is not a segment
  }
  text += kEndList;
  return replace_file(path, text) ? std::optional(true) : std::nullopt;
}

}  // namespace boai::stream
