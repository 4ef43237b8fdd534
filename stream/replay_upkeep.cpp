// Closing replays left open and keeping the library within its disk budget.
#include "stream/replay_upkeep.hpp"

#include <sys/statvfs.h>

#include <filesystem>
#include <limits>

#include "stream/replay_playlist.hpp"

namespace boai::stream {

namespace fs = std::filesystem;

std::uint64_t free_bytes(const std::string& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) {
    return 0;
  }
  return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
}

namespace {

// True when the playlist lacked its end tag and has it now.
bool closes_open_playlist(const fs::path& playlist) {
  std::error_code ec;
  auto before = fs::file_size(playlist, ec);
  return !ec && close_replay_playlist(playlist.string()) && fs::file_size(playlist, ec) != before;
}

}  // namespace

std::vector<std::string> close_unfinished_replays(const std::string& dir,
                                                  const std::string& recording) {
  std::vector<std::string> closed;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    auto parsed = parse_recording_name(name);
    if (!parsed || !parsed->hls || name == recording || !it->is_directory(ec)) {
      continue;
    }
    bool was_open = false;
    std::error_code inner;
    for (fs::directory_iterator file(it->path(), inner), last; !inner && file != last;
         file.increment(inner)) {
      fs::path playlist = file->path() / "index.m3u8";
      if (file->is_directory(inner) && fs::exists(playlist, inner)) {
        was_open |= closes_open_playlist(playlist);
      } else if (file->path().extension() == ".part") {
        fs::remove(file->path(), inner);
      }
    }
    if (was_open) {
      closed.push_back(name);
    }
  }
  return closed;
}

LibraryUse prune_replays(RecordingIndex& index, const DiskBudget& budget,
                         const std::function<bool(const std::string& name)>& keep) {
  LibraryUse use;
  auto all = index.page(std::numeric_limits<std::size_t>::max(), "");
  std::vector<Recording> library = all ? all->recordings : std::vector<Recording>{};
  for (const auto& r : library) {
    use.used_bytes += r.size_bytes;
  }
  use.free_bytes = free_bytes(index.dir());
  auto over = [&] {
    return (budget.max_bytes > 0 && use.used_bytes > budget.max_bytes) ||
           (budget.min_free_bytes > 0 && use.free_bytes < budget.min_free_bytes);
  };
  // Newest first: the oldest is at the back.
  for (auto it = library.rbegin(); it != library.rend() && over(); ++it) {
    if (keep && keep(it->name)) {
      continue;
    }
    std::error_code ec;
    fs::remove_all(it->path, ec);
    if (ec) {
      continue;
    }
    use.used_bytes -= std::min(use.used_bytes, it->size_bytes);
    use.free_bytes = free_bytes(index.dir());
    use.removed.push_back(it->name);
  }
  return use;
}

}  // namespace boai::stream
