// Media playlist text, its sliding window and its atomic rewrite.
#include "stream/media_playlist.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "stream/hls_playlist.hpp"

namespace boai::stream {
std::string segment_file_name(std::int64_t sequence) {
  char name[32];
  std::snprintf(name, sizeof name, "segment%05lld.ts", static_cast<long long>(sequence));
  return name;
}

MediaPlaylistWriter::MediaPlaylistWriter(MediaPlaylistOptions options)
    : options_(std::move(options)), target_(std::max(1, options_.target_seconds)) {
  options_.listed = std::max(1, options_.listed);
  // A segment stays on disk after it leaves the playlist, for a player that read it just before.
  options_.kept = std::max(options_.listed + 1, options_.kept);
}

std::expected<void, Error> MediaPlaylistWriter::add(std::int64_t sequence, double seconds,
                                                    WallClock::time_point start) {
  if (ended_) {
    return {};
  }
  entries_.push_back(Entry{sequence, seconds, start});
  target_ = std::max(target_, static_cast<int>(std::lround(seconds)));
  // Listed first, deleted after: a player that just read the old playlist still finds what it
  // lists, since more are kept than listed.
  auto written = write();
  if (!written) {
    return written;  // the playlist on disk still lists the oldest: keep them
  }
  while (entries_.size() > static_cast<size_t>(options_.kept)) {
    std::error_code ec;
    std::filesystem::remove(options_.dir + "/" + segment_file_name(entries_.front().sequence), ec);
    entries_.pop_front();
  }
  return written;
}

std::expected<void, Error> MediaPlaylistWriter::end() {
  if (ended_) {
    return {};
  }
  ended_ = true;
  return write();
}

std::string MediaPlaylistWriter::text() const {
  size_t first = entries_.size() > static_cast<size_t>(options_.listed)
                     ? entries_.size() - static_cast<size_t>(options_.listed)
                     : 0;
  std::int64_t media_sequence = first < entries_.size() ? entries_[first].sequence : 0;
  std::string out = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" + std::to_string(target_) +
                    "\n#EXT-X-MEDIA-SEQUENCE:" + std::to_string(media_sequence) + "\n";
  char extinf[48];
  for (size_t i = first; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (options_.program_date_time) {
      out += "#EXT-X-PROGRAM-DATE-TIME:" + program_date_time(e.start) + "\n";
    }
    std::snprintf(extinf, sizeof extinf, "#EXTINF:%.3f,\n", e.seconds);
    out += extinf;
    out += segment_file_name(e.sequence) + "\n";
  }
  if (ended_) {
    out += "#EXT-X-ENDLIST\n";
  }
  return out;
}

std::expected<void, Error> MediaPlaylistWriter::write() const {
  std::string path = playlist_path();
  if (!replace_file(path, text())) {
    return std::unexpected(
        make_error("hls_write_failed", "Cannot write the HLS playlist " + path + "."));
  }
  return {};
}

}  // namespace boai::stream
