// `boai recordings convert`: every Matroska file older versions recorded in the recordings folder
// becomes a replay (HLS video on demand and its MP4), copying the video and sound as they are.
// Needs no database. Run it while `boai serve` is stopped or idle: it reads and writes the disk
// at full speed.
#include <cstdio>
#include <filesystem>

#include "app/commands.hpp"
#include "app/serve_config.hpp"
#include "stream/recordings.hpp"
#include "stream/replay_mp4.hpp"

namespace boai::app {

int run_recordings_convert(const Invocation& invocation) {
  std::string dir = serve_dirs(invocation.options).recordings;
  int converted = 0, failed = 0;
  for (const auto& r : stream::list_recordings(dir)) {
    if (r.hls) {
      continue;
    }
    if (auto done = stream::convert_matroska(r.path); !done) {
      std::fprintf(stderr, "boai: %s: %s\n", done.error().code.c_str(),
                   done.error().message.c_str());
      failed++;
      continue;
    }
    std::printf("%s -> %s/\n", r.name.c_str(), std::filesystem::path(r.name).stem().c_str());
    converted++;
  }
  std::printf("%d converted, %d failed, in %s\n", converted, failed, dir.c_str());
  return failed == 0 ? 0 : 1;
}

}  // namespace boai::app
