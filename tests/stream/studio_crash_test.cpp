// A replay survives its studio being killed with SIGKILL: the playlist lists only complete
// segments, the next start closes it, and it plays back and remuxes like any other.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "stream/recordings.hpp"
#include "stream/replay_mp4.hpp"
#include "stream/replay_upkeep.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;

TEST_CASE("a replay plays back after the studio process was killed with SIGKILL") {
  bt::TempDir dir;
  std::string recordings = dir.path() + "/recordings";
  bt::Child runner({STUDIO_RUNNER, "--hls", dir.path() + "/hls", "--recordings", recordings,
                    "--room", "first-aid", "--preset", "ultrafast"},
                   true);
  std::string line = runner.read_line(30s);
  REQUIRE(line.starts_with("recording "));
  std::string replay = line.substr(10);
  // Some seconds of broadcast kept, then the process dies without any chance to finish.
  REQUIRE(bt::run_loop_until(
      [&] {
        auto p = bt::read_media_playlist(replay + "/720p/index.m3u8");
        return p && p->segments.size() >= 3;
      },
      60s));
  runner.kill(SIGKILL);
  int status = runner.wait();
  CHECK(WIFSIGNALED(status));

  auto left = bt::read_media_playlist(replay + "/720p/index.m3u8");
  REQUIRE(left);
  CHECK_FALSE(left->ended);
  for (const auto& segment : left->segments) {
    CHECK(std::filesystem::exists(replay + "/720p/" + segment));
  }
  // Listed as still recording until the next start closes it.
  auto library = bs::list_recordings(recordings);
  REQUIRE(library.size() == 1);
  CHECK(library[0].room == "first-aid");
  CHECK(library[0].path == replay);
  CHECK_FALSE(library[0].ended);

  auto closed = bs::close_unfinished_replays(recordings, "");
  REQUIRE(closed.size() == 1);
  for (const char* rendition : {"720p", "360p"}) {
    std::string text = bt::read_text(replay + "/" + rendition + "/index.m3u8");
    INFO(text);
    CHECK(text.find("#EXT-X-PLAYLIST-TYPE:VOD") != std::string::npos);
    CHECK(text.ends_with("#EXT-X-ENDLIST\n"));
  }
  CHECK(bs::close_unfinished_replays(recordings, "").empty());  // once

  int rc = 0;
  std::string out = bt::run_command(
      "ffprobe -v error -count_frames -show_entries stream=codec_type,codec_name,nb_read_frames "
      "-of default=nw=1 '" +
          replay + "/720p/index.m3u8' 2>&1",
      &rc);
  INFO(out);
  CHECK(rc == 0);
  CHECK(out.find("codec_name=h264") != std::string::npos);
  CHECK(out.find("codec_type=audio") != std::string::npos);
  auto frames = out.find("nb_read_frames=");
  REQUIRE(frames != std::string::npos);
  CHECK(std::atoi(out.c_str() + frames + 15) >= 60);

  REQUIRE(bs::remux_replay_mp4(replay));
  auto boxes = bt::mp4_top_level_boxes(replay + "/" + library[0].name + ".mp4");
  INFO(boxes);
  CHECK(boxes.find("moov") < boxes.find("mdat"));
  CHECK(bs::list_recordings(recordings)[0].download ==
        library[0].name + "/" + library[0].name + ".mp4");
}
