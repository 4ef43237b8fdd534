// Master playlist text and its atomic write.
#include "stream/hls_playlist.hpp"

#include <cstdio>
#include <ctime>

namespace boai::stream {

std::string h264_codec_string(int width, int height, int framerate) {
  // Macroblocks per second against the level limits (H.264 Table A-1).
  long long mbs = static_cast<long long>((width + 15) / 16) * ((height + 15) / 16) * framerate;
  const char* level = mbs <= 40500 ? "1e" : mbs <= 108000 ? "1f" : mbs <= 245760 ? "28" : "32";
  return std::string("avc1.4d40") + level;
}

std::string master_playlist(const std::vector<Rendition>& ladder, int framerate, int audio_kbps) {
  std::string out = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const Rendition& r : ladder) {
    // Peak bandwidth: the configured rates plus a tenth for the MPEG-TS overhead.
    long long bandwidth = (static_cast<long long>(r.video_kbps) + audio_kbps) * 1100;
    out += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(bandwidth) +
           ",AVERAGE-BANDWIDTH=" + std::to_string((r.video_kbps + audio_kbps) * 1000LL) +
           ",RESOLUTION=" + std::to_string(r.width) + "x" + std::to_string(r.height) +
           ",FRAME-RATE=" + std::to_string(framerate) + ".000,CODECS=\"" +
           h264_codec_string(r.width, r.height, framerate) + ",mp4a.40.2\"\n";
    out += r.name + "/index.m3u8\n";
  }
  return out;
}

std::string program_date_time(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char out[80];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return out;
}

bool replace_file(const std::string& path, std::string_view text) {
  std::string temporary = path + ".tmp";
  FILE* file = std::fopen(temporary.c_str(), "wb");
  bool ok = file != nullptr;
  if (ok) {
    ok = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  }
  if (file != nullptr) {
    ok = std::fclose(file) == 0 && ok;
  }
  return ok && std::rename(temporary.c_str(), path.c_str()) == 0;
}

std::expected<void, Error> write_master_playlist(const std::string& room_dir,
                                                 const std::vector<Rendition>& ladder,
                                                 int framerate, int audio_kbps) {
  std::string path = room_dir + "/master.m3u8";
  if (!replace_file(path, master_playlist(ladder, framerate, audio_kbps))) {
    return std::unexpected(
        make_error("hls_dir_unwritable", "Cannot write the HLS master playlist " + path + "."));
  }
  return {};
}

}  // namespace boai::stream
