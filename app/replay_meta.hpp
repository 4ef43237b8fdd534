// What hosts say about a replay, kept beside it as <replay>/replay.json: its title (the campaign's
// at first), whether it is hidden from the library or pinned against the disk budget, and the
// chapter marks made during the class. Blocking (the disk); one writer at a time (ReplayKeeper).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace boai::app {

struct ReplayChapter {
  double at_seconds = 0;
  std::string title;
};

struct ReplayMeta {
  std::string title;
  bool hidden = false;
  bool pinned = false;
  std::vector<ReplayChapter> chapters;  // in the order of at_seconds
};

// Defaults when the file is missing or unreadable: a replay is never lost to its metadata.
ReplayMeta read_replay_meta(const std::string& replay_dir);
// Through a temporary file and a rename. False when it cannot be written.
bool write_replay_meta(const std::string& replay_dir, const ReplayMeta& meta);

}  // namespace boai::app
