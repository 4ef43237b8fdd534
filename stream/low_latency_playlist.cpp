// The Low-Latency HLS playlist's window of segments and parts, and its text.
#include "stream/low_latency_playlist.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "stream/hls_playlist.hpp"
#include "stream/media_playlist.hpp"

namespace boai::stream {
namespace {

// Parts are listed for the last three segments only: about three target durations (the spec's
// advice), which is all a player at PART-HOLD-BACK can still want.
constexpr std::size_t kSegmentsWithParts = 3;

std::string seconds_text(const char* format, double seconds) {
  char out[96];
  std::snprintf(out, sizeof out, format, seconds);
  return out;
}

}  // namespace

std::string part_file_name(std::int64_t sequence, int part) {
  char name[48];
  std::snprintf(name, sizeof name, "segment%05lld.part%d.ts", static_cast<long long>(sequence),
                part);
  return name;
}

LowLatencyPlaylist::LowLatencyPlaylist(LowLatencyOptions options)
    : options_(std::move(options)), target_(std::max(1, options_.target_seconds)) {
  options_.listed = std::max(1, options_.listed);
  options_.kept = std::max(options_.listed + 1, options_.kept);
  options_.segment_parts = std::max(1, options_.segment_parts);
}

void LowLatencyPlaylist::open(std::int64_t sequence, WallClock::time_point start) {
  open_ = Segment{sequence, 0, start, {}};
}

void LowLatencyPlaylist::add_part(double seconds, bool independent) {
  if (open_) {
    open_->parts.push_back(Part{seconds, independent});
  }
}

void LowLatencyPlaylist::close(double seconds) {
  if (!open_) {
    return;
  }
  open_->seconds = seconds;
  target_ = std::max(target_, static_cast<int>(std::lround(seconds)));
  closed_.push_back(std::move(*open_));
  open_.reset();
  while (closed_.size() > static_cast<std::size_t>(options_.kept)) {
    remove_parts(closed_.front());
    closed_.pop_front();
  }
}

void LowLatencyPlaylist::drop() {
  if (open_) {
    remove_parts(*open_);
    open_.reset();
  }
}

void LowLatencyPlaylist::end() {
  open_.reset();
  ended_ = true;
}

void LowLatencyPlaylist::remove_parts(const Segment& segment) const {
  for (std::size_t i = 0; i < segment.parts.size(); ++i) {
    std::error_code ec;
    std::filesystem::remove(
        options_.dir + "/" + part_file_name(segment.sequence, static_cast<int>(i)), ec);
  }
}

void LowLatencyPlaylist::add_parts(std::string& out, const Segment& segment) const {
  for (std::size_t i = 0; i < segment.parts.size(); ++i) {
    const Part& part = segment.parts[i];
    out += seconds_text("#EXT-X-PART:DURATION=%.5f", part.seconds) + ",URI=\"" +
           part_file_name(segment.sequence, static_cast<int>(i)) + "\"" +
           (part.independent ? ",INDEPENDENT=YES\n" : "\n");
  }
}

std::string LowLatencyPlaylist::text() const {
  std::size_t first = closed_.size() > static_cast<std::size_t>(options_.listed)
                          ? closed_.size() - static_cast<std::size_t>(options_.listed)
                          : 0;
  std::int64_t media_sequence = first < closed_.size() ? closed_[first].sequence
                                : open_                ? open_->sequence
                                                       : 0;
  // PART-TARGET rounded up to the millisecond: a part's timestamps may run a 90 kHz tick long.
  double part_target = std::ceil(options_.part_target * 1000 - 1e-6) / 1000;
  std::string out = "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:" + std::to_string(target_) +
                    "\n" +
                    seconds_text("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=%.3f\n",
                                 3 * part_target) +
                    seconds_text("#EXT-X-PART-INF:PART-TARGET=%.3f\n", part_target) +
                    "#EXT-X-MEDIA-SEQUENCE:" + std::to_string(media_sequence) + "\n";
  std::size_t with_parts =
      closed_.size() > kSegmentsWithParts ? closed_.size() - kSegmentsWithParts : 0;
  for (std::size_t i = first; i < closed_.size(); ++i) {
    const Segment& s = closed_[i];
    out += "#EXT-X-PROGRAM-DATE-TIME:" + program_date_time(s.start) + "\n";
    if (i >= with_parts) {
      add_parts(out, s);
    }
    out += seconds_text("#EXTINF:%.3f,\n", s.seconds) + segment_file_name(s.sequence) + "\n";
  }
  if (open_) {
    out += "#EXT-X-PROGRAM-DATE-TIME:" + program_date_time(open_->start) + "\n";
    add_parts(out, *open_);
    out += "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"" +
           part_file_name(open_->sequence, static_cast<int>(open_->parts.size())) + "\"\n";
  }
  if (ended_) {
    out += "#EXT-X-ENDLIST\n";
  }
  return out;
}

EdgeSnapshot LowLatencyPlaylist::snapshot() const {
  EdgeSnapshot s;
  s.text = text();
  s.open_msn = open_ ? open_->sequence : closed_.empty() ? 0 : closed_.back().sequence + 1;
  s.open_parts = open_parts();
  if (!closed_.empty() && closed_.back().sequence == s.open_msn - 1) {
    s.previous_parts = static_cast<int>(closed_.back().parts.size());
  }
  s.segment_parts = options_.segment_parts;
  s.ended = ended_;
  s.part_target = options_.part_target;
  return s;
}

}  // namespace boai::stream
