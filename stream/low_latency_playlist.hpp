// Inside stream/ only: one rendition's Low-Latency HLS media playlist (RFC 8216bis), beside the
// classic one. The same closed segments, the parts (EXT-X-PART) of the last three and of the
// segment being cut, the next part as EXT-X-PRELOAD-HINT, and EXT-X-SERVER-CONTROL for blocking
// reloads. Kept in memory: the service serves it from the LiveEdge. A part's file is deleted with
// its segment.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "stream/live_edge.hpp"

namespace boai::stream {

struct LowLatencyOptions {
  std::string dir;           // the parts' folder (the segments' too)
  int target_seconds = 1;    // the configured segment length
  double part_target = 0.5;  // seconds; no part is longer
  int segment_parts = 2;     // parts a whole segment is cut into
  int listed = 5;            // closed segments listed
  int kept = 10;             // segments whose parts stay on disk
};

// "segment00012.part1.ts": a part of segment00012.ts.
std::string part_file_name(std::int64_t sequence, int part);

class LowLatencyPlaylist {
 public:
  using WallClock = std::chrono::system_clock;

  explicit LowLatencyPlaylist(LowLatencyOptions options);

  // A segment begins; its parts follow. The open one, if any, must be closed or dropped first.
  void open(std::int64_t sequence, WallClock::time_point start);
  // A part of the open segment is complete on disk.
  void add_part(double seconds, bool independent);
  int open_parts() const { return open_ ? static_cast<int>(open_->parts.size()) : 0; }
  // The open segment is complete (and listed in the classic playlist).
  void close(double seconds);
  // The open segment was lost: its parts leave the playlist, their files the disk.
  void drop();
  void end();

  std::string text() const;
  EdgeSnapshot snapshot() const;

 private:
  struct Part {
    double seconds;
    bool independent;
  };
  struct Segment {
    std::int64_t sequence;
    double seconds;
    WallClock::time_point start;
    std::vector<Part> parts;
  };
  void remove_parts(const Segment& segment) const;
  void add_parts(std::string& out, const Segment& segment) const;

  LowLatencyOptions options_;
  std::deque<Segment> closed_;  // the kept window, oldest first
  std::optional<Segment> open_;
  int target_;
  bool ended_ = false;
};

}  // namespace boai::stream
