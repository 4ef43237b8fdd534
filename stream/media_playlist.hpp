// Inside stream/ only: one rendition's HLS media playlist, written by the studio's own segmenter.
// A sliding window of closed segments, rewritten through a temporary file and a rename each time a
// segment closes, so a player never reads half a playlist; segments past the kept ones are deleted.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <expected>
#include <string>

#include "base/error.hpp"

namespace boai::stream {

struct MediaPlaylistOptions {
  std::string dir;         // index.m3u8 and the segments
  int target_seconds = 1;  // the configured segment length
  int listed = 5;          // segments in the playlist
  int kept = 10;           // segments left on disk (at least `listed`)
  bool program_date_time = false;
};

// "segment00012.ts": the name hlssink2 gave, so links and tests read both the same.
std::string segment_file_name(std::int64_t sequence);

class MediaPlaylistWriter {
 public:
  using WallClock = std::chrono::system_clock;

  explicit MediaPlaylistWriter(MediaPlaylistOptions options);

  // Lists a closed segment (already complete on disk), rewrites the playlist and deletes the
  // segment that left the kept window. Sequences go up by one; the first may be any number.
  // "hls_write_failed" names the playlist.
  std::expected<void, Error> add(std::int64_t sequence, double seconds,
                                 WallClock::time_point start);
  // The end tag: players stop asking for more. Later add() calls are ignored.
  std::expected<void, Error> end();

  std::string text() const;
  // The configured length, or more once a segment rounds above it: RFC 8216 wants every EXTINF,
  // rounded to the nearest integer, at most the target. It never goes down again.
  int target_duration() const { return target_; }
  std::string playlist_path() const { return options_.dir + "/index.m3u8"; }

 private:
  struct Entry {
    std::int64_t sequence;
    double seconds;
    WallClock::time_point start;
  };
  std::expected<void, Error> write() const;

  MediaPlaylistOptions options_;
  std::deque<Entry> entries_;  // the kept window, oldest first; the last `listed` are listed
  int target_;
  bool ended_ = false;
};

}  // namespace boai::stream
