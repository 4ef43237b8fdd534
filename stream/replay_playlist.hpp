// Inside stream/ only: a replay's media playlist. Every segment of the broadcast stays listed:
// EXT-X-PLAYLIST-TYPE:EVENT while the class is on (players may start from the beginning and
// follow the live end), VOD with EXT-X-ENDLIST once it is over. Rewritten through a temporary file
// and a rename after each segment, so a studio killed at any moment leaves a playlist that lists
// only complete segments.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "base/error.hpp"

namespace boai::stream {

class ReplayPlaylist {
 public:
  ReplayPlaylist(std::string dir, int target_seconds);

  // Lists a segment already complete in `dir`. "recording_failed" names the playlist.
  std::expected<void, Error> add(std::int64_t sequence, double seconds);
  // VOD and the end tag. Later add() calls are ignored.
  std::expected<void, Error> end();

  std::string text() const;
  double seconds() const { return seconds_; }
  std::int64_t segments() const { return segments_; }
  std::string path() const { return dir_ + "/index.m3u8"; }

 private:
  std::expected<void, Error> write() const;

  std::string dir_;
  int target_;
  std::string entries_;  // the EXTINF lines and names, appended as segments come
  std::int64_t first_sequence_ = -1;
  std::int64_t segments_ = 0;
  double seconds_ = 0;
  bool ended_ = false;
};

// A replay playlist left as EVENT by a studio that was killed, made VOD with its end tag (kept as
// it is when it has one). True when it closed it now, false when it was closed already, nullopt
// when it cannot be read or written.
std::optional<bool> close_replay_playlist(const std::string& path);

}  // namespace boai::stream
