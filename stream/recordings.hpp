// The replay library: one folder per broadcast (<room>-<UTC start>/, HLS video on demand: the
// master playlist, a folder per rendition, and <name>.mp4 once the broadcast is remuxed for
// download), and the Matroska files (<room>-<UTC start>.mkv) older versions recorded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace boai::stream {

struct Recording {
  std::string name;  // "main-20261128T161311Z" (a replay folder) or "main-...Z.mkv" (a file)
  std::string path;
  std::string room;
  std::string started_utc;  // "2026-11-28T16:13:11Z"
  bool hls = false;         // a replay folder; false: an older Matroska file
  // Replay folders only: its first rendition's playlist has the end tag (the broadcast is over,
  // or was closed after a crash), how long it plays, and how many segments it lists.
  bool ended = true;
  double seconds = 0;
  std::int64_t segments = 0;
  std::string first_rendition;  // the highest rendition's folder: "720p"
  std::string download;         // relative to the recordings folder; empty until there is one
  std::uint64_t size_bytes = 0;
};

// A broadcast of `room` starting now (UTC): "<room>-YYYYmmddTHHMMSSZ"; `attempt` > 0 adds "-N".
std::string recording_name(const std::string& room, int attempt = 0);

// The room and start of a replay folder's or a Matroska file's name (path and details unset);
// nullopt for any other name.
std::optional<Recording> parse_recording_name(const std::string& name);

// A replay folder's details read from its files: the first rendition's playlist (through the
// master playlist), the download, the size on disk. False when it has no master playlist or no
// segment yet (half made: not listed). Blocking (the disk).
bool read_replay_details(Recording& r);

// Every recording in `dir` with its details, newest first; replays not yet listable are left out.
// A missing directory is an empty library.
std::vector<Recording> list_recordings(const std::string& dir);

struct RecordingPage {
  std::vector<Recording> recordings;       // newest first, with their details now
  std::optional<std::string> next_before;  // when more follow: the last one's name
};

// The library a page at a time. The directory is read again only when it changed (its mtime),
// and an ended replay's details are read once, so a page costs little more than its own
// playlists. Blocking (the disk): call it off the loop. Safe from several threads.
class RecordingIndex {
 public:
  explicit RecordingIndex(std::string dir) : dir_(std::move(dir)) {}

  // Up to `limit` recordings older than `before` (a recording's name, listed or not; empty: from
  // the newest) that `keep` accepts (all when empty). nullopt when `before` is not a recording's
  // name.
  std::optional<RecordingPage> page(std::size_t limit, const std::string& before,
                                    const std::function<bool(const Recording&)>& keep = {});

  const std::string& dir() const { return dir_; }

 private:
  void refresh();              // under mutex_
  bool details(Recording& r);  // under mutex_: from the cache once ended

  std::string dir_;
  std::mutex mutex_;
  std::vector<Recording> sorted_;           // newest first, details unset
  std::map<std::string, Recording> ended_;  // replays whose details cannot change any more
  std::optional<std::filesystem::file_time_type> listed_mtime_;
  bool trusted_ = false;  // listed long enough after that mtime for it to show every change
};

}  // namespace boai::stream
