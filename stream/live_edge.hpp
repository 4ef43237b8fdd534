// The live edge of each rendition's Low-Latency HLS playlist, shared between the studio's
// segmenters (streaming threads, which publish a new snapshot at every part) and the service's
// blocking playlist reloads (the loop, which reads them and is told when they change).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace boai::stream {

// One rendition's playlist as a player may ask for it (RFC 8216bis 6.2.5.2: _HLS_msn, _HLS_part).
struct EdgeSnapshot {
  std::string text;           // the media playlist, without rendition reports
  std::int64_t open_msn = 0;  // the segment being cut; `open_parts` of its parts are complete
  int open_parts = 0;
  int previous_parts = 0;  // parts of segment open_msn - 1; 0 when there is none
  int segment_parts = 1;   // parts a whole segment is cut into
  bool ended = false;      // the playlist has its end tag
  double part_target = 0;  // seconds
};

enum class EdgeAnswer {
  ready,    // the playlist already holds what was asked for
  wait,     // not yet: hold the request until it does
  too_far,  // more than two segments (or the advance part limit) ahead: answered 400 at once
};

// Whether `snapshot` holds segment `msn` (complete), or with `part` its part `part` or any later
// one. A part past the last of a complete segment means the next segment's first.
EdgeAnswer judge(const EdgeSnapshot& snapshot, std::int64_t msn, std::optional<int> part);

// The last complete part, for EXT-X-RENDITION-REPORT; nullopt before the first part.
struct EdgePosition {
  std::int64_t msn;
  int part;
};
std::optional<EdgePosition> last_part(const EdgeSnapshot& snapshot);

class LiveEdge {
 public:
  using Listener = std::function<void()>;

  // Any thread: the rendition's newest playlist. The listener is told after it is stored.
  void publish(const std::string& rendition, EdgeSnapshot snapshot);
  // Any thread: null before the rendition's first publish of this broadcast.
  std::shared_ptr<const EdgeSnapshot> get(const std::string& rendition) const;
  // Any thread: no rendition has published in this broadcast (or the studio cuts no parts).
  bool empty() const;
  // EXT-X-RENDITION-REPORT lines for every rendition but `rendition`, with URIs relative to a
  // sibling folder ("../360p/index.m3u8").
  std::string reports(const std::string& rendition) const;
  // A new broadcast: what the last one published is forgotten.
  void clear();
  // Called on the publishing thread (keep it short: hand the news to the loop).
  void on_change(Listener listener);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const EdgeSnapshot>> renditions_;
  Listener listener_;
};

}  // namespace boai::stream
