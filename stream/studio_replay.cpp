// Making a broadcast's replay folder and reporting how its recording goes.
#include "stream/studio_replay.hpp"

#include <filesystem>

#include "stream/hls_playlist.hpp"
#include "stream/recordings.hpp"

namespace boai::stream {

StudioReplay::StudioReplay(const StudioConfig& config)
    : recordings_dir_(config.recordings_dir),
      room_(config.room),
      ladder_(config.ladder),
      framerate_(config.framerate),
      audio_kbps_(config.audio_kbps),
      min_free_bytes_(config.recordings_min_free_bytes) {}

std::expected<void, Error> StudioReplay::prepare() const {
  if (recordings_dir_.empty()) {
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(recordings_dir_, ec);
  if (ec) {
    return std::unexpected(
        make_error("recordings_dir_unwritable",
                   "Cannot create the recordings directory " + recordings_dir_ + "."));
  }
  return {};
}

std::expected<void, Error> StudioReplay::start() {
  namespace fs = std::filesystem;
  recording_.reset();
  failed_to_start_.reset();
  if (recordings_dir_.empty()) {
    return {};
  }
  // Two broadcasts started in the same second get a suffix; create_directory is the claim.
  std::error_code ec;
  std::string dir;
  for (int attempt = 0; attempt < 100; ++attempt) {
    dir = recordings_dir_ + "/" + recording_name(room_, attempt);
    if (fs::create_directory(dir, ec)) {
      break;
    }
    dir.clear();
  }
  bool made = !dir.empty();
  for (std::size_t i = 0; made && i < ladder_.size(); ++i) {
    made = fs::create_directory(dir + "/" + ladder_[i].name, ec);
  }
  if (made) {
    made = write_master_playlist(dir, ladder_, framerate_, audio_kbps_).has_value();
  }
  if (!made) {
    failed_to_start_ = make_error("recording_failed", "Cannot make the replay folder in " +
                                                          recordings_dir_ + ": not recorded.");
    return std::unexpected(*failed_to_start_);
  }
  path_ = dir;
  recording_ = std::make_shared<ReplayRecording>(dir, min_free_bytes_);
  return {};
}

void StudioReplay::report(std::vector<OutputHealth>& rows) const {
  if (recordings_dir_.empty()) {
    return;
  }
  OutputHealth row{"recording", "recording", path_, "stopped", "", 0, 0};
  if (failed_to_start_) {
    row.state = "failed";
    row.last_error = failed_to_start_->code + ": " + failed_to_start_->message;
  } else if (recording_) {
    auto error = recording_->error();
    row.state = error ? "failed" : recording_->bytes() > 0 ? "live" : "starting";
    row.last_error = error ? error->code + ": " + error->message : "";
    row.bytes = recording_->bytes();
  }
  rows.push_back(std::move(row));
}

}  // namespace boai::stream
