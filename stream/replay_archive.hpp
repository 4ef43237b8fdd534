// Inside stream/ only: the broadcast's replay, made of the live segments themselves. Each
// rendition's segmenter hands every segment it lists to its ReplayArchive, which links the file
// into the replay's folder (a copy when the recordings are on another filesystem) and lists it in
// the replay playlist. The live window may then delete its name; the replay keeps the bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "stream/replay_playlist.hpp"

namespace boai::stream {

// The space free on the disk of `dir` now; nullopt when it cannot be told (then no disk is judged
// full, and no replay removed, for want of knowing).
std::optional<std::uint64_t> free_space(const std::string& dir);

// One broadcast's replay, shared by its renditions' archives (on their streaming threads) and the
// studio (on the loop).
class ReplayRecording {
 public:
  ReplayRecording(std::string dir, std::uint64_t min_free_bytes)
      : dir_(std::move(dir)), min_free_bytes_(min_free_bytes) {}

  const std::string& dir() const { return dir_; }
  std::uint64_t min_free_bytes() const { return min_free_bytes_; }

  // Recording stops for every rendition at the first failure ("recording_failed",
  // "recording_disk_full"); the live stream goes on.
  void stop(Error error);
  bool stopped() const { return stopped_.load(); }
  std::optional<Error> error() const;
  // The failure once, for the one who reports it.
  std::optional<Error> take_unreported();

  void started_at(std::int64_t wall_us);  // the first segment's start; later calls ignored
  // Seconds since the first segment began: where a chapter mark points. 0 before it.
  double position(std::int64_t now_wall_us) const;
  void add_bytes(std::uint64_t n) { bytes_.fetch_add(n); }
  std::uint64_t bytes() const { return bytes_.load(); }

 private:
  std::string dir_;
  std::uint64_t min_free_bytes_;
  std::atomic<bool> stopped_{false};
  std::atomic<std::int64_t> started_wall_us_{0};
  std::atomic<std::uint64_t> bytes_{0};
  mutable std::mutex mutex_;
  std::optional<Error> error_;
  bool reported_ = false;
};

// One rendition's part of the replay: <recording dir>/<rendition>/.
class ReplayArchive {
 public:
  ReplayArchive(std::shared_ptr<ReplayRecording> recording, const std::string& rendition,
                int target_seconds);

  // `live_path` is complete and listed live. On a failure the recording stops; the error is
  // kept in the recording for the studio to report.
  void add(const std::string& live_path, std::int64_t sequence, double seconds,
           std::int64_t start_wall_us);
  void end();  // the broadcast ended: the playlist becomes VOD

 private:
  std::shared_ptr<ReplayRecording> recording_;
  std::string dir_;
  ReplayPlaylist playlist_;
};

}  // namespace boai::stream
