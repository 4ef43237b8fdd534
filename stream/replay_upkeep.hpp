// The replay library's upkeep, blocking (the disk), run off the loop by the replay keeper: replays
// a killed studio left open are closed, and the oldest are removed to keep within a disk budget.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stream/recordings.hpp"

namespace boai::stream {

// Every replay folder but `recording` (the one being recorded now, by name; may be empty) whose
// playlists lack their end tag gets it (VOD), and half-made downloads (*.part) are removed. The
// names closed are returned.
std::vector<std::string> close_unfinished_replays(const std::string& dir,
                                                  const std::string& recording);

struct DiskBudget {
  std::uint64_t max_bytes = 0;       // the library's size at most; 0: no limit
  std::uint64_t min_free_bytes = 0;  // free on its disk at least; 0: no limit
};

struct LibraryUse {
  std::uint64_t used_bytes = 0;  // the library, after pruning
  std::uint64_t free_bytes = 0;  // on its disk (0 when it cannot be told)
  std::vector<std::string> removed;
};

// Removes the oldest recordings until the library is within `budget`, never one that `keep`
// holds on to (the one being recorded, a pinned one): those are left even when the budget cannot
// be met.
LibraryUse prune_replays(RecordingIndex& index, const DiskBudget& budget,
                         const std::function<bool(const std::string& name)>& keep);

}  // namespace boai::stream
