// Inside stream/ only: the broadcast's replay as a stage of the studio. go_live makes its folder
// (<recordings_dir>/<room>-<UTC start>/, with the master playlist and a folder per rendition);
// the segmenters then keep every live segment in it (ReplayArchive). Runs on the GLib main loop.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "stream/replay_archive.hpp"
#include "stream/studio_config.hpp"
#include "stream/studio_health.hpp"

namespace boai::stream {

class StudioReplay {
 public:
  // No replay when config.recordings_dir is empty.
  explicit StudioReplay(const StudioConfig& config);

  // Creates the recordings folder: "recordings_dir_unwritable".
  std::expected<void, Error> prepare() const;
  // A new replay for a broadcast starting now; when it cannot be made, the broadcast goes on
  // without one and the error is reported ("recording_failed").
  std::expected<void, Error> start();
  void clear() { recording_.reset(); }  // the broadcast is over

  // What the segmenters keep segments in; null when nothing is recorded.
  const std::shared_ptr<ReplayRecording>& recording() const { return recording_; }
  const std::string& path() const { return path_; }  // the last replay's folder
  void report(std::vector<OutputHealth>& rows) const;

 private:
  std::string recordings_dir_;
  std::string room_;
  std::vector<Rendition> ladder_;
  int framerate_;
  int audio_kbps_;
  std::uint64_t min_free_bytes_;
  std::shared_ptr<ReplayRecording> recording_;
  std::string path_;
  std::optional<Error> failed_to_start_;
};

}  // namespace boai::stream
