// Live segments kept for the replay: linked (or copied) into its folder, listed in its playlist.
#include "stream/replay_archive.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "stream/media_playlist.hpp"

namespace boai::stream {
namespace {

Error disk_full(const std::string& dir) {
  return make_error("recording_disk_full",
                    "The disk of the recordings folder " + dir + " is full: recording stopped.");
}

// A copy for a recordings folder on another filesystem than the live segments. errno is left
// as the failing call set it.
bool copy_segment(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    return false;
  }
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = out >= 0;
  char buffer[64 * 1024];
  while (ok) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    ssize_t written = ::write(out, buffer, static_cast<std::size_t>(n));
    if (written >= 0 && written < n) {
      errno = ENOSPC;  // a short write leaves errno as it was: the disk took what it had room for
    }
    ok = written == n;
  }
  int saved = errno;
  ::close(in);
  if (out >= 0 && ::close(out) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    ::unlink(to.c_str());
  }
  errno = saved;
  return ok;
}

// A failure on a disk with almost nothing left is the disk being full, whatever errno the
// failing call left (a rename, a close, stdio's buffering).
bool disk_full_now(const std::string& dir) {
  struct statvfs fs {};
  return ::statvfs(dir.c_str(), &fs) == 0 &&
         static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < 4 * 1024 * 1024;
}

}  // namespace

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
  if (recording_->min_free_bytes() > 0) {
    struct statvfs fs {};
    if (::statvfs(dir_.c_str(), &fs) == 0 &&
        static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < recording_->min_free_bytes()) {
      recording_->stop(disk_full(recording_->dir()));
      return;
    }
  }
  std::string to = dir_ + "/" + segment_file_name(sequence);
  if (::link(live_path.c_str(), to.c_str()) != 0 && !copy_segment(live_path, to)) {
    bool full = errno == ENOSPC || errno == EDQUOT || disk_full_now(dir_);
    recording_->stop(full ? disk_full(recording_->dir())
                          : make_error("recording_failed",
                                       "Cannot keep the segment " + to +
                                           " for the replay: " + std::strerror(errno) + "."));
    return;
  }
  struct stat st {};
  if (::stat(to.c_str(), &st) == 0) {
    recording_->add_bytes(static_cast<std::uint64_t>(st.st_size));
  }
  recording_->started_at(start_wall_us);
  if (auto listed = playlist_.add(sequence, seconds); !listed) {
    bool full = errno == ENOSPC || errno == EDQUOT || disk_full_now(dir_);
    recording_->stop(full ? disk_full(recording_->dir()) : listed.error());
  }
}

void ReplayArchive::end() {
  if (playlist_.segments() > 0) {
    (void)playlist_.end();
  }
}

}  // namespace boai::stream
