// Closing replays left open and keeping the library within its disk budget.
#include "stream/replay_upkeep.hpp"

#include <filesystem>
#include <limits>

#include "stream/replay_archive.hpp"
#include "stream/replay_playlist.hpp"

namespace boai::stream {

namespace fs = std::filesystem;

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
        was_open |= close_replay_playlist(playlist.string()).value_or(false);
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
  auto free = free_space(index.dir());
  auto over = [&] {
    return (budget.max_bytes > 0 && use.used_bytes > budget.max_bytes) ||
           (budget.min_free_bytes > 0 && free && *free < budget.min_free_bytes);
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
    free = free_space(index.dir());
    use.removed.push_back(it->name);
  }
  use.free_bytes = free.value_or(0);
  return use;
}

}  // namespace boai::stream
