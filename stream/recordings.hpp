// The replay library: recordings of past broadcasts, one Matroska file per broadcast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace boai::stream {

struct Recording {
  std::string path;
  std::string file_name;  // <room>-YYYYmmddTHHMMSSZ.mkv
  std::string room;
  std::string started_utc;  // "2026-11-28T16:13:11Z"
  std::uint64_t size_bytes = 0;
};

// A new file name for a broadcast of `room` starting now (UTC); `attempt` > 0 adds a suffix for
// a recording restarted after a failure.
std::string recording_file_name(const std::string& room, int attempt = 0);

// The room and start of a file named as recording_file_name names them (path and size unset);
// nullopt for any other name.
std::optional<Recording> parse_recording_name(const std::string& file_name);

// Every recording in `dir`, newest first; files that do not follow the naming are left out.
// A missing directory is an empty library.
std::vector<Recording> list_recordings(const std::string& dir);

struct RecordingPage {
  std::vector<Recording> recordings;       // newest first, with their sizes now
  std::optional<std::string> next_before;  // when more follow: the last one's name
};

// The library a page at a time. The directory is read again only when it changed (its mtime),
// so a page costs its own files' sizes, not the whole library. Blocking (the disk): call it off
// the loop. Safe from several threads.
class RecordingIndex {
 public:
  explicit RecordingIndex(std::string dir) : dir_(std::move(dir)) {}

  // Up to `limit` recordings older than `before` (a recording's file name, listed or not; empty:
  // from the newest). nullopt when `before` is not a recording's name.
  std::optional<RecordingPage> page(std::size_t limit, const std::string& before);

 private:
  void refresh();  // under mutex_

  std::string dir_;
  std::mutex mutex_;
  std::vector<Recording> sorted_;  // newest first, sizes unset
  std::optional<std::filesystem::file_time_type> listed_mtime_;
  bool trusted_ = false;  // listed long enough after that mtime for it to show every change
};

}  // namespace boai::stream
