// A recording survives its studio being killed with SIGKILL: the Matroska file plays back.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "stream/recordings.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;

TEST_CASE("a recording plays back after the studio process was killed with SIGKILL") {
  bt::TempDir dir;
  std::string recordings = dir.path() + "/recordings";
  bt::Child runner({STUDIO_RUNNER, "--hls", dir.path() + "/hls", "--recordings", recordings,
                    "--room", "first-aid", "--preset", "ultrafast"},
                   true);
  std::string line = runner.read_line(30s);
  REQUIRE(line.starts_with("recording "));
  std::string path = line.substr(10);
  // Some seconds of broadcast on disk, then the process dies without any chance to finish.
  REQUIRE(bt::run_loop_until(
      [&] {
        std::error_code ec;
        return std::filesystem::file_size(path, ec) > 150'000 && !ec;
      },
      60s));
  bt::run_loop_for(1s);
  runner.kill(SIGKILL);
  int status = runner.wait();
  CHECK(WIFSIGNALED(status));

  int rc = 0;
  std::string out = bt::run_command(
      "ffprobe -v error -count_frames -show_entries stream=codec_type,codec_name,nb_read_frames "
      "-of default=nw=1 '" +
          path + "' 2>&1",
      &rc);
  INFO(out);
  CHECK(rc == 0);
  CHECK(out.find("codec_name=h264") != std::string::npos);
  CHECK(out.find("codec_type=audio") != std::string::npos);
  auto frames = out.find("nb_read_frames=");
  REQUIRE(frames != std::string::npos);
  CHECK(std::atoi(out.c_str() + frames + 15) >= 30);
  // GStreamer's own demuxer reads it to the end too.
  bt::run_command("gst-launch-1.0 -q filesrc location='" + path +
                      "' ! matroskademux ! h264parse ! avdec_h264 ! fakesink",
                  &rc);
  CHECK(rc == 0);

  auto library = bs::list_recordings(recordings);
  REQUIRE(library.size() == 1);
  CHECK(library[0].room == "first-aid");
  CHECK(library[0].path == path);
}
