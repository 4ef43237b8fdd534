// Key-frame cuts of a transport stream into segment files, and the headers it reads to find them.
#include "stream/ts_segmenter.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

namespace boai::stream {
namespace ts {
namespace {

constexpr std::uint8_t kSync = 0x47;

bool unit_start(const std::uint8_t* p) {
  return (p[1] & 0x40) != 0;
}
bool has_adaptation(const std::uint8_t* p) {
  return (p[3] & 0x20) != 0;
}

// Where the payload begins, or 188 when there is none.
std::size_t payload_offset(const std::uint8_t* p) {
  if ((p[3] & 0x10) == 0) {
    return 188;
  }
  std::size_t offset = 4;
  if (has_adaptation(p)) {
    offset += 1 + std::size_t{p[4]};
  }
  return offset < 188 ? offset : 188;
}

}  // namespace

int pid(const std::uint8_t* p) {
  return ((p[1] & 0x1f) << 8) | p[2];
}

bool random_access(const std::uint8_t* p) {
  return p[0] == kSync && has_adaptation(p) && p[4] > 0 && (p[5] & 0x40) != 0;
}

std::optional<std::int64_t> video_pes_pts(const std::uint8_t* p) {
  if (p[0] != kSync || !unit_start(p)) {
    return std::nullopt;
  }
  std::size_t o = payload_offset(p);
  if (o + 14 > 188) {
    return std::nullopt;
  }
  const std::uint8_t* pes = p + o;
  // Start code, a video stream id (0xE0-0xEF), and a PTS in the optional header.
  if (pes[0] != 0 || pes[1] != 0 || pes[2] != 1 || (pes[3] & 0xf0) != 0xe0) {
    return std::nullopt;
  }
  if ((pes[7] & 0x80) == 0) {
    return std::nullopt;
  }
  const std::uint8_t* t = pes + 9;
  return (std::int64_t{t[0] & 0x0e} << 29) | (std::int64_t{t[1]} << 22) |
         (std::int64_t{t[2] & 0xfe} << 14) | (std::int64_t{t[3]} << 7) | (t[4] >> 1);
}

std::optional<int> pmt_pid(const std::uint8_t* p) {
  if (p[0] != kSync || pid(p) != 0 || !unit_start(p)) {
    return std::nullopt;
  }
  std::size_t o = payload_offset(p);
  if (o >= 188) {
    return std::nullopt;
  }
  o += 1 + std::size_t{p[o]};  // pointer field
  if (o + 8 > 188 || p[o] != 0x00) {
    return std::nullopt;
  }
  std::size_t length = (std::size_t{p[o + 1] & 0x0fu} << 8) | p[o + 2];
  std::size_t end = o + 3 + length - 4;  // before the CRC
  if (length < 9 || end > 188) {
    return std::nullopt;
  }
  for (std::size_t i = o + 8; i + 4 <= end; i += 4) {
    int program = (p[i] << 8) | p[i + 1];
    if (program != 0) {
      return ((p[i + 2] & 0x1f) << 8) | p[i + 3];  // 0 names the NIT
    }
  }
  return std::nullopt;
}

}  // namespace ts

namespace {

constexpr std::int64_t kPtsWrap = std::int64_t{1} << 33;

double pts_seconds(std::int64_t from, std::int64_t to) {
  return static_cast<double>(((to - from) % kPtsWrap + kPtsWrap) % kPtsWrap) / 90000.0;
}

}  // namespace

TsSegmenter::TsSegmenter(TsSegmenterOptions options)
    : options_(std::move(options)), playlist_(options_.playlist) {
  if (options_.key_frames_per_segment < 1) {
    options_.key_frames_per_segment = 1;
  }
  if (options_.replay) {
    replay_.emplace(options_.replay, options_.replay_rendition, options_.playlist.target_seconds);
  }
  if (options_.part_seconds > 0) {
    const MediaPlaylistOptions& p = options_.playlist;
    int parts = static_cast<int>(std::ceil(p.target_seconds / options_.part_seconds - 1e-6));
    low_latency_.emplace(LowLatencyOptions{p.dir, p.target_seconds, options_.part_seconds,
                                           std::max(1, parts), p.listed, p.kept});
  }
}

TsSegmenter::~TsSegmenter() {
  if (file_ != nullptr) {
    std::fclose(file_);
  }
  if (part_file_ != nullptr) {
    std::fclose(part_file_);
  }
}

std::expected<void, Error> TsSegmenter::write(const std::uint8_t* data, std::size_t size) {
  std::expected<void, Error> result;
  auto keep_first_error = [&](std::expected<void, Error> r) {
    if (!r && result) {
      result = std::move(r);
    }
  };
  if (pending_size_ > 0) {
    std::size_t n = std::min(kPacket - pending_size_, size);
    std::memcpy(pending_ + pending_size_, data, n);
    pending_size_ += n;
    data += n;
    size -= n;
    if (pending_size_ < kPacket) {
      return result;
    }
    keep_first_error(packet(pending_));
    pending_size_ = 0;
  }
  for (; size >= kPacket; data += kPacket, size -= kPacket) {
    keep_first_error(packet(data));
  }
  std::memcpy(pending_, data, size);
  pending_size_ = size;
  return result;
}

std::expected<void, Error> TsSegmenter::packet(const std::uint8_t* p) {
  std::expected<void, Error> result;
  int pid = ts::pid(p);
  if (pid == 0) {
    if (auto pmt = ts::pmt_pid(p)) {
      std::memcpy(pat_, p, kPacket);
      have_pat_ = true;
      pmt_pid_ = *pmt;
    }
  } else if (pid == pmt_pid_ && (p[1] & 0x40) != 0) {
    std::memcpy(pmt_, p, kPacket);
    have_pmt_ = true;
  }
  if (auto pts = ts::video_pes_pts(p)) {
    bool key = ts::random_access(p);
    if (key && (!open_ || ++key_frames_ >= options_.key_frames_per_segment)) {
      result = cut(*pts);
    } else if (open_ && part_due(*pts)) {
      close_part(*pts);
      open_part(*pts, key);
      publish();
    }
    last_pts_ = *pts;
  }
  if (open_) {
    append(p);
  }
  return result;
}

std::expected<void, Error> TsSegmenter::cut(std::int64_t pts) {
  std::expected<void, Error> closed;
  if (open_) {
    closed = close(pts, pts_seconds(start_pts_, pts));
  }
  open_ = true;
  failed_ = false;
  key_frames_ = 0;
  start_pts_ = pts;
  start_wall_ = MediaPlaylistWriter::WallClock::now();
  std::string path = options_.playlist.dir + "/" + segment_file_name(next_sequence_);
  file_ = std::fopen(path.c_str(), "wb");
  if (low_latency_) {
    low_latency_->open(next_sequence_, start_wall_);
    open_part(pts, true);  // the tables below go into both files
    publish();
  }
  if (file_ == nullptr) {
    failed_ = true;
    return std::unexpected(
        make_error("hls_write_failed", "Cannot write the HLS segment " + path + "."));
  }
  // Copies of the latest tables: a player that starts here finds its programs at once.
  if (have_pat_ && have_pmt_) {
    append(pat_);
    append(pmt_);
  }
  return closed;
}

void TsSegmenter::append(const std::uint8_t* p) {
  for (FILE* f : {file_, part_file_}) {
    if (f != nullptr && std::fwrite(p, 1, kPacket, f) != kPacket) {
      failed_ = true;
    }
  }
}

// Cut before the frame that would make the part longer than the target: then no part is.
bool TsSegmenter::part_due(std::int64_t pts) const {
  return low_latency_ &&
         pts_seconds(part_start_pts_, pts) + options_.frame_seconds > options_.part_seconds + 1e-4;
}

void TsSegmenter::open_part(std::int64_t pts, bool independent) {
  part_start_pts_ = pts;
  part_independent_ = independent;
  std::string path =
      options_.playlist.dir + "/" + part_file_name(next_sequence_, low_latency_->open_parts());
  part_file_ = std::fopen(path.c_str(), "wb");
  if (part_file_ == nullptr) {
    failed_ = true;  // the whole segment is lost with its part
    return;
  }
  // A key frame inside a segment: its part, too, decodes on its own.
  if (independent && start_pts_ != pts && have_pat_ && have_pmt_) {
    std::fwrite(pat_, 1, kPacket, part_file_);
    std::fwrite(pmt_, 1, kPacket, part_file_);
  }
}

void TsSegmenter::close_part(std::int64_t end_pts) {
  if (part_file_ != nullptr && std::fclose(part_file_) != 0) {
    failed_ = true;
  }
  part_file_ = nullptr;
  if (failed_) {
    std::remove(
        (options_.playlist.dir + "/" + part_file_name(next_sequence_, low_latency_->open_parts()))
            .c_str());
  } else {
    low_latency_->add_part(pts_seconds(part_start_pts_, end_pts), part_independent_);
  }
}

void TsSegmenter::publish() {
  if (low_latency_ && options_.live_edge) {
    options_.live_edge->publish(options_.rendition, low_latency_->snapshot());
  }
}

std::expected<void, Error> TsSegmenter::close(std::int64_t end_pts, double seconds) {
  if (low_latency_) {
    close_part(end_pts);
  }
  open_ = false;
  std::string path = options_.playlist.dir + "/" + segment_file_name(next_sequence_);
  if (file_ != nullptr && std::fclose(file_) != 0) {
    failed_ = true;
  }
  file_ = nullptr;
  if (failed_) {
    // Never listed: the number is used again, so the playlist stays without a gap.
    std::remove(path.c_str());
    if (low_latency_) {
      low_latency_->drop();
    }
    return std::unexpected(
        make_error("hls_write_failed", "Cannot write the HLS segment " + path + "."));
  }
  std::int64_t sequence = next_sequence_++;
  auto listed = playlist_.add(sequence, seconds, start_wall_);
  if (low_latency_) {
    low_latency_->close(seconds);
  }
  if (listed && replay_) {
    auto start_us =
        std::chrono::duration_cast<std::chrono::microseconds>(start_wall_.time_since_epoch())
            .count();
    replay_->add(path, sequence, seconds, start_us);
  }
  return listed;
}

std::expected<void, Error> TsSegmenter::finish() {
  std::expected<void, Error> closed;
  if (open_) {
    std::int64_t end_pts = last_pts_ + static_cast<std::int64_t>(options_.frame_seconds * 90000);
    closed = close(end_pts, pts_seconds(start_pts_, end_pts));
  }
  auto ended = playlist_.end();
  if (low_latency_) {
    low_latency_->end();
    publish();
  }
  if (replay_) {
    replay_->end();
  }
  return closed ? ended : closed;
}

}  // namespace boai::stream
