// The replay library: recordings of past broadcasts, one Matroska file per broadcast.
#pragma once

#include <cstdint>
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

// Every recording in `dir`, newest first; files that do not follow the naming are left out.
// A missing directory is an empty library.
std::vector<Recording> list_recordings(const std::string& dir);

}  // namespace boai::stream
