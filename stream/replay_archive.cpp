// Live segments kept for the replay: linked (or copied) into its folder, listed in its playlist.
#include "stream/replay_archive.hpp"

#include <cerrno>
#include <cstdint>
#include <filesystem>

#include "stream/media_playlist.hpp"

namespace boai::stream {

namespace fs = std::filesystem;

namespace {

Error disk_full(const std::string& dir) {
  return make_error("recording_disk_full",
                    "The disk of the recordings folder " + dir + " is full: recording stopped.");
}

// A failure on a disk with almost nothing left is the disk being full, whatever error the
// failing call gave (a short write, a rename, stdio's buffering).
bool disk_nearly_full(const std::string& dir) {
  return free_space(dir).value_or(UINTMAX_MAX) < 4 * 1024 * 1024;
}

}  // namespace

std::optional<std::uint64_t> free_space(const std::string& dir) {
  std::error_code ec;
  auto space = fs::space(dir, ec);
  return ec ? std::nullopt : std::optional(space.available);
}

void ReplayRecording::stop(Error error) {
  std::lock_guard lock(mutex_);
  if (!error_) {
    error_ = std::move(error);
  }
  stopped_.store(true);
}

std::optional<Error> ReplayRecording::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

std::optional<Error> ReplayRecording::take_unreported() {
  std::lock_guard lock(mutex_);
  if (!error_ || reported_) {
    return std::nullopt;
  }
  reported_ = true;
  return error_;
}

void ReplayRecording::started_at(std::int64_t wall_us) {
  std::int64_t none = 0;
  started_wall_us_.compare_exchange_strong(none, wall_us);
}

double ReplayRecording::position(std::int64_t now_wall_us) const {
  std::int64_t start = started_wall_us_.load();
  return start == 0 || now_wall_us < start ? 0.0 : static_cast<double>(now_wall_us - start) / 1e6;
}

ReplayArchive::ReplayArchive(std::shared_ptr<ReplayRecording> recording,
                             const std::string& rendition, int target_seconds)
    : recording_(std::move(recording)),
      dir_(recording_->dir() + "/" + rendition),
      playlist_(dir_, target_seconds) {}

void ReplayArchive::add(const std::string& live_path, std::int64_t sequence, double seconds,
                        std::int64_t start_wall_us) {
  if (recording_->stopped()) {
    return;
  }
  if (recording_->min_free_bytes() > 0 &&
      free_space(dir_).value_or(UINTMAX_MAX) < recording_->min_free_bytes()) {
    recording_->stop(disk_full(recording_->dir()));
    return;
  }
  // Linked: the same bytes as the live segment. Copied when the recordings are on another disk.
  std::string to = dir_ + "/" + segment_file_name(sequence);
  std::error_code ec;
  fs::create_hard_link(live_path, to, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(live_path, to, fs::copy_options::overwrite_existing, ec);
  }
  if (ec) {
    std::error_code ignored;
    fs::remove(to, ignored);
    bool full = ec == std::errc::no_space_on_device || disk_nearly_full(dir_);
    recording_->stop(full ? disk_full(recording_->dir())
                          : make_error("recording_failed", "Cannot keep the segment " + to +
                                                               " for the replay: " + ec.message() +
                                                               "."));
    return;
  }
  if (auto size = fs::file_size(to, ec); !ec) {
    recording_->add_bytes(size);
  }
  recording_->started_at(start_wall_us);
  if (auto listed = playlist_.add(sequence, seconds); !listed) {
    bool full = errno == ENOSPC || disk_nearly_full(dir_);
    recording_->stop(full ? disk_full(recording_->dir()) : listed.error());
  }
}

void ReplayArchive::end() {
  if (playlist_.segments() > 0) {
    (void)playlist_.end();
  }
}

}  // namespace boai::stream
