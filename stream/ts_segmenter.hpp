// Inside stream/ only: cuts one rendition's MPEG-TS (as mpegtsmux writes it) into HLS segments at
// video key frames and lists each segment the moment the next key frame closes it. splitmuxsink
// (inside hlssink2) lists a segment only once the GOP after it is complete as well: a segment
// later. Knows nothing of GStreamer: it reads the transport stream's own headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "stream/live_edge.hpp"
#include "stream/low_latency_playlist.hpp"
#include "stream/media_playlist.hpp"
#include "stream/replay_archive.hpp"

namespace boai::stream {

struct TsSegmenterOptions {
  MediaPlaylistOptions playlist;
  int key_frames_per_segment = 1;
  double frame_seconds = 1.0 / 30;  // the last frame's length, for the last segment's duration
  // The broadcast's replay, when it is recorded: every listed segment is kept in it, in
  // `replay_rendition`'s folder.
  std::shared_ptr<ReplayRecording> replay;
  std::string replay_rendition;
  // Low-Latency HLS: each segment is also cut into parts of at most `part_seconds` (at video frame
  // starts), each written to a file of its own, and the rendition's LL playlist is published to
  // `live_edge` under `rendition` at every part. 0: no parts.
  double part_seconds = 0;
  std::shared_ptr<LiveEdge> live_edge;
  std::string rendition;
};

class TsSegmenter {
 public:
  explicit TsSegmenter(TsSegmenterOptions options);
  ~TsSegmenter();  // an open segment is left unlisted
  TsSegmenter(const TsSegmenter&) = delete;
  TsSegmenter& operator=(const TsSegmenter&) = delete;

  // Transport stream bytes in order, split anywhere. A packet that starts a video key frame (a
  // PES start with the random-access flag) closes the open segment, lists it, and opens the next
  // with copies of the latest PAT and PMT, so every segment decodes on its own. With parts, a
  // packet that starts a video frame closes the open part once the next frame would make it longer
  // than `part_seconds`. Bytes before the first key frame are dropped. "hls_write_failed": that
  // segment (and its parts) is lost, the next one is tried.
  std::expected<void, Error> write(const std::uint8_t* data, std::size_t size);
  // Lists the open segment and ends the playlist (and the replay's).
  std::expected<void, Error> finish();

  std::int64_t listed() const { return next_sequence_; }  // segments listed so far
  const MediaPlaylistWriter& playlist() const { return playlist_; }

 private:
  static constexpr std::size_t kPacket = 188;

  std::expected<void, Error> packet(const std::uint8_t* p);
  std::expected<void, Error> cut(std::int64_t pts);
  std::expected<void, Error> close(std::int64_t end_pts, double seconds);
  void append(const std::uint8_t* p);
  bool part_due(std::int64_t pts) const;
  void open_part(std::int64_t pts, bool independent);
  void close_part(std::int64_t end_pts);
  void publish();

  TsSegmenterOptions options_;
  MediaPlaylistWriter playlist_;
  std::optional<ReplayArchive> replay_;
  std::optional<LowLatencyPlaylist> low_latency_;
  std::uint8_t pending_[kPacket] = {};  // a packet split across two writes
  std::size_t pending_size_ = 0;
  std::uint8_t pat_[kPacket] = {};
  std::uint8_t pmt_[kPacket] = {};
  bool have_pat_ = false;
  bool have_pmt_ = false;
  int pmt_pid_ = -1;
  FILE* file_ = nullptr;       // the open segment
  FILE* part_file_ = nullptr;  // its open part
  bool open_ = false;          // a segment is being cut (its file may have failed)
  bool failed_ = false;        // the open segment lost bytes: it is dropped, not listed
  std::int64_t next_sequence_ = 0;
  std::int64_t start_pts_ = 0;  // 90 kHz, of the open segment's key frame
  std::int64_t last_pts_ = 0;   // the latest video frame's
  int key_frames_ = 0;          // in the open segment
  std::int64_t part_start_pts_ = 0;
  bool part_independent_ = false;  // the open part starts with a key frame
  MediaPlaylistWriter::WallClock::time_point start_wall_;
};

// The transport stream's headers, for the segmenter and its tests.
namespace ts {
int pid(const std::uint8_t* packet);
bool random_access(const std::uint8_t* packet);
// The PTS (90 kHz) of a video PES that starts in this packet.
std::optional<std::int64_t> video_pes_pts(const std::uint8_t* packet);
// The PMT's PID from a PAT packet: its first program's.
std::optional<int> pmt_pid(const std::uint8_t* packet);
}  // namespace ts

}  // namespace boai::stream
