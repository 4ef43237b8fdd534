// Naming, listing and reading the replay library.
#include "stream/recordings.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace boai::stream {

namespace fs = std::filesystem;

std::string recording_name(const std::string& room, int attempt) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::string name = room + "-" + stamp;
  if (attempt > 0) {
    name += "-" + std::to_string(attempt);
  }
  return name;
}

namespace {

// Newest first; two recordings started in the same second by name.
bool newer(const Recording& a, const Recording& b) {
  return a.started_utc != b.started_utc ? a.started_utc > b.started_utc : a.name > b.name;
}

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The master playlist's first variant: the highest rendition's playlist, relative.
std::optional<std::string> first_variant(const std::string& master) {
  std::istringstream lines(master);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#' && line.find("..") == std::string::npos) {
      return line;
    }
  }
  return std::nullopt;
}

std::uint64_t folder_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      total += it->file_size(ec);
    }
  }
  return total;
}

// The library's entries, unsorted, details unset.
std::vector<Recording> read_library(const std::string& dir) {
  std::vector<Recording> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    bool folder = it->is_directory(ec);
    if (!folder && !(it->is_regular_file(ec) && name.ends_with(".mkv"))) {
      continue;
    }
    auto r = parse_recording_name(name);
    if (!r || r->hls != folder) {
      continue;
    }
    r->path = it->path().string();
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace

std::optional<Recording> parse_recording_name(const std::string& name) {
  // <room>-YYYYmmddTHHMMSSZ[-N][.mkv]; the room itself may contain '-'.
  if (name.find('/') != std::string::npos || name.empty() || name[0] == '.') {
    return std::nullopt;
  }
  bool file = name.ends_with(".mkv");
  std::string stem = file ? name.substr(0, name.size() - 4) : name;
  auto zulu = stem.rfind('Z');
  if (zulu == std::string::npos || zulu < 15) {
    return std::nullopt;
  }
  std::string suffix = stem.substr(zulu + 1);
  if (!suffix.empty() && (suffix.size() < 2 || suffix[0] != '-' ||
                          !std::all_of(suffix.begin() + 1, suffix.end(), ::isdigit))) {
    return std::nullopt;
  }
  std::size_t stamp = zulu - 15;  // YYYYmmddTHHMMSS
  if (stamp < 2 || stem[stamp - 1] != '-' || stem[stamp + 8] != 'T') {
    return std::nullopt;
  }
  std::string date = stem.substr(stamp, 8);
  std::string time = stem.substr(stamp + 9, 6);
  if (!std::all_of(date.begin(), date.end(), ::isdigit) ||
      !std::all_of(time.begin(), time.end(), ::isdigit)) {
    return std::nullopt;
  }
  Recording r;
  r.name = name;
  r.hls = !file;
  r.room = stem.substr(0, stamp - 1);
  r.started_utc = date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2) + "T" +
                  time.substr(0, 2) + ":" + time.substr(2, 2) + ":" + time.substr(4, 2) + "Z";
  return r;
}

bool read_replay_details(Recording& r) {
  std::error_code ec;
  if (!r.hls) {
    r.size_bytes = fs::file_size(r.path, ec);
    r.download = r.name;
    return !ec;
  }
  auto master = read_text(fs::path(r.path) / "master.m3u8");
  auto variant = master ? first_variant(*master) : std::nullopt;
  auto playlist = variant ? read_text(fs::path(r.path) / *variant) : std::nullopt;
  if (!playlist) {
    return false;
  }
  r.seconds = 0;
  r.segments = 0;
  std::istringstream lines(*playlist);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("#EXTINF:")) {
      r.seconds += std::strtod(line.c_str() + 8, nullptr);
      r.segments++;
    }
  }
  r.ended = playlist->find("#EXT-X-ENDLIST") != std::string::npos;
  r.first_rendition = fs::path(*variant).parent_path().string();
  std::string mp4 = r.name + "/" + r.name + ".mp4";
  r.download = fs::is_regular_file(fs::path(r.path) / (r.name + ".mp4"), ec) ? mp4 : "";
  r.size_bytes = folder_bytes(r.path);
  return r.segments > 0;
}

std::vector<Recording> list_recordings(const std::string& dir) {
  std::vector<Recording> out;
  for (auto& r : read_library(dir)) {
    if (read_replay_details(r)) {
      out.push_back(std::move(r));
    }
  }
  std::sort(out.begin(), out.end(), newer);
  return out;
}

void RecordingIndex::refresh() {
  std::error_code ec;
  auto mtime = fs::last_write_time(dir_, ec);
  std::optional<fs::file_time_type> now_mtime;
  if (!ec) {
    now_mtime = mtime;
  }
  if (trusted_ && now_mtime == listed_mtime_) {
    return;
  }
  // A directory's mtime ticks coarsely: a file added in the same tick as the listing leaves it
  // as it was. A listing made within two seconds of the mtime is used once, then made again.
  auto listed_at = fs::file_time_type::clock::now();
  sorted_ = read_library(dir_);
  std::sort(sorted_.begin(), sorted_.end(), newer);
  listed_mtime_ = now_mtime;
  trusted_ = now_mtime && listed_at - *now_mtime > std::chrono::seconds(2);
}

bool RecordingIndex::details(Recording& r) {
  if (auto cached = ended_.find(r.name); cached != ended_.end()) {
    if (fs::exists(r.path)) {
      r = cached->second;
      return true;
    }
    ended_.erase(cached);  // removed and made again under the same name
  }
  if (!read_replay_details(r)) {
    return false;
  }
  // Nothing changes in a replay once it has its end tag and its download.
  if (r.hls && r.ended && !r.download.empty()) {
    ended_[r.name] = r;
  }
  return true;
}

std::optional<RecordingPage> RecordingIndex::page(
    std::size_t limit, const std::string& before,
    const std::function<bool(const Recording&)>& keep) {
  std::optional<Recording> after;
  if (!before.empty()) {
    after = parse_recording_name(before);
    if (!after) {
      return std::nullopt;
    }
  }
  RecordingPage page;
  std::lock_guard lock(mutex_);
  refresh();
  auto it = sorted_.begin();
  if (after) {
    it = std::partition_point(sorted_.begin(), sorted_.end(),
                              [&](const Recording& r) { return !newer(*after, r); });
  }
  for (; it != sorted_.end(); ++it) {
    Recording r = *it;
    if (!details(r) || (keep && !keep(r))) {
      continue;
    }
    if (page.recordings.size() == limit) {
      page.next_before = page.recordings.back().name;
      break;
    }
    page.recordings.push_back(std::move(r));
  }
  return page;
}

}  // namespace boai::stream
