// Naming and listing of recording files.
#include "stream/recordings.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace boai::stream {

std::string recording_file_name(const std::string& room, int attempt) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::string name = room + "-" + stamp;
  if (attempt > 0) {
    name += "-" + std::to_string(attempt);
  }
  return name + ".mkv";
}

namespace {

// Newest first; two recordings started in the same second by name.
bool newer(const Recording& a, const Recording& b) {
  return a.started_utc != b.started_utc ? a.started_utc > b.started_utc : a.file_name > b.file_name;
}

// The .mkv files of dir that are named as recordings, unsorted; sizes only when asked.
std::vector<Recording> read_library(const std::string& dir, bool with_sizes) {
  namespace fs = std::filesystem;
  std::vector<Recording> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".mkv") {
      continue;
    }
    auto r = parse_recording_name(it->path().filename().string());
    if (!r) {
      continue;
    }
    r->path = it->path().string();
    if (with_sizes) {
      r->size_bytes = it->file_size(ec);
    }
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace

std::optional<Recording> parse_recording_name(const std::string& name) {
  // <room>-YYYYmmddTHHMMSSZ[-N].mkv; the room itself may contain '-'.
  if (!name.ends_with(".mkv") || name.find('/') != std::string::npos) {
    return std::nullopt;
  }
  auto stamp = name.rfind('T');
  if (stamp == std::string::npos || stamp < 9 || name[stamp - 9] != '-') {
    return std::nullopt;
  }
  std::string date = name.substr(stamp - 8, 8);
  std::string time = name.substr(stamp + 1, 6);
  if (time.size() != 6 || !std::all_of(date.begin(), date.end(), ::isdigit) ||
      !std::all_of(time.begin(), time.end(), ::isdigit)) {
    return std::nullopt;
  }
  Recording r;
  r.file_name = name;
  r.room = name.substr(0, stamp - 9);
  r.started_utc = date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2) + "T" +
                  time.substr(0, 2) + ":" + time.substr(2, 2) + ":" + time.substr(4, 2) + "Z";
  return r;
}

std::vector<Recording> list_recordings(const std::string& dir) {
  auto out = read_library(dir, true);
  std::sort(out.begin(), out.end(), newer);
  return out;
}

void RecordingIndex::refresh() {
  namespace fs = std::filesystem;
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
  sorted_ = read_library(dir_, false);
  std::sort(sorted_.begin(), sorted_.end(), newer);
  listed_mtime_ = now_mtime;
  trusted_ = now_mtime && listed_at - *now_mtime > std::chrono::seconds(2);
}

std::optional<RecordingPage> RecordingIndex::page(std::size_t limit, const std::string& before) {
  std::optional<Recording> after;
  if (!before.empty()) {
    after = parse_recording_name(before);
    if (!after) {
      return std::nullopt;
    }
  }
  RecordingPage page;
  {
    std::lock_guard lock(mutex_);
    refresh();
    auto from = sorted_.begin();
    if (after) {
      from = std::partition_point(sorted_.begin(), sorted_.end(),
                                  [&](const Recording& r) { return !newer(*after, r); });
    }
    auto left = static_cast<std::size_t>(sorted_.end() - from);
    auto to = from + static_cast<std::ptrdiff_t>(std::min(limit, left));
    page.recordings.assign(from, to);
    if (to != sorted_.end() && !page.recordings.empty()) {
      page.next_before = page.recordings.back().file_name;
    }
  }
  for (auto& r : page.recordings) {
    std::error_code ec;
    r.size_bytes = std::filesystem::file_size(r.path, ec);
    if (ec) {
      r.size_bytes = 0;  // removed since the listing
    }
  }
  return page;
}

}  // namespace boai::stream
