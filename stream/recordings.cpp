// Naming and listing of recording files.
#include "stream/recordings.hpp"

#include <algorithm>
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

std::vector<Recording> list_recordings(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<Recording> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".mkv") {
      continue;
    }
    std::string name = it->path().filename().string();
    // <room>-YYYYmmddTHHMMSSZ[-N].mkv; the room itself may contain '-'.
    auto stamp = name.rfind('T');
    if (stamp == std::string::npos || stamp < 9 || name[stamp - 9] != '-') {
      continue;
    }
    std::string date = name.substr(stamp - 8, 8);
    std::string time = name.substr(stamp + 1, 6);
    if (time.size() != 6 || !std::all_of(date.begin(), date.end(), ::isdigit) ||
        !std::all_of(time.begin(), time.end(), ::isdigit)) {
      continue;
    }
    Recording r;
    r.path = it->path().string();
    r.file_name = name;
    r.room = name.substr(0, stamp - 9);
    r.started_utc = date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2) + "T" +
                    time.substr(0, 2) + ":" + time.substr(2, 2) + ":" + time.substr(4, 2) + "Z";
    r.size_bytes = it->file_size(ec);
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const Recording& a, const Recording& b) {
    return a.started_utc != b.started_utc ? a.started_utc > b.started_utc
                                          : a.file_name > b.file_name;
  });
  return out;
}

}  // namespace boai::stream
