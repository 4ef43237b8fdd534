// The studio's own segmenter in the real pipeline: a segment is listed as soon as the next key
// frame closes it, not a segment later as hlssink2 lists it; and hlssink2 still works when chosen.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("a segment is listed about one segment after its key frame was composed") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "edge");
  auto studio = bt::start_studio(config, log);
  REQUIRE(bt::wait_for_sequence(*studio, "720p", 0, 30s));

  // One key frame a segment: segment N starts at composed frame N x 30 (x264 opens with a key
  // frame, scenecut is off). When the compositor has passed that frame, and when N is listed.
  const int frames_per_segment = config.framerate * config.segment_seconds;
  std::map<int, Clock::time_point> composed;
  std::map<int, Clock::time_point> listed;
  int before = -1;  // key frames composed before watching began: their times are unknown
  std::string playlist = studio->room_dir() + "/720p/index.m3u8";
  bt::run_loop_until(
      [&] {
        auto now = Clock::now();
        auto frames = static_cast<int>(studio->health().frames);
        if (before < 0) {
          before = (frames - 1) / frames_per_segment;
        }
        for (int n = 0; n * frames_per_segment < frames; ++n) {
          composed.emplace(n, now);
        }
        if (auto p = bt::read_media_playlist(playlist)) {
          for (const auto& s : p->segments) {
            listed.emplace(bt::segment_number(s), now);
          }
        }
        return false;
      },
      8s);

  std::vector<double> lags;
  for (const auto& [n, when] : listed) {
    auto key = composed.find(n);
    if (n <= before || key == composed.end()) {
      continue;
    }
    lags.push_back(std::chrono::duration<double>(when - key->second).count());
  }
  REQUIRE(lags.size() >= 4);
  std::sort(lags.begin(), lags.end());
  double median = lags[lags.size() / 2];
  INFO("median " << median << " s over " << lags.size() << " segments, dropped frames "
                 << studio->health().dropped_frames);
  WARN("segment listed " << median << " s (median) after its key frame was composed");
  // The segment's own second, then the time to encode and mux a frame. hlssink2 waits for the
  // GOP after it as well: two seconds and more.
  CHECK(median < 1.75 * config.segment_seconds);
  CHECK(median > 0.9 * config.segment_seconds);
}

TEST_CASE(
    "a rendition that cannot be written is reported as hls_write_failed and the others go on") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "hlsfail");
  config.recordings_dir.clear();
  auto studio = bt::start_studio(config, log);
  REQUIRE(bt::wait_for_sequence(*studio, "360p", 0, 30s));
  // The 360p folder vanishes mid-broadcast (a disk unmounted, a careless cleanup).
  std::filesystem::remove_all(studio->room_dir() + "/360p");
  REQUIRE(bt::run_loop_until(
      [&] {
        auto* e = log.find(bs::StudioEvent::Kind::kError, "studio");
        return e != nullptr && e->code == "hls_write_failed";
      },
      15s));
  CHECK(studio->live());
  auto before = bt::read_media_playlist(studio->room_dir() + "/720p/index.m3u8");
  REQUIRE(before);
  REQUIRE(bt::wait_for_sequence(*studio, "720p", before->media_sequence + 2, 15s));
}

TEST_CASE("hlssink2 still cuts the ladder when it is chosen") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "sink2");
  config.hls_segmenter = bs::HlsSegmenter::kHlssink2;
  config.recordings_dir.clear();
  auto studio = bt::start_studio(config, log);
  auto first = bt::wait_for_sequence(*studio, "720p", 1, 30s);
  REQUIRE(first);
  REQUIRE(bt::wait_for_sequence(*studio, "360p", 1, 30s));
  for (double d : first->durations) {
    CHECK(d == Approx(1.0).margin(0.25));
  }
  studio->stop();
  REQUIRE(bt::run_loop_until([&] { return !studio->live(); }, 15s));
  auto ended = bt::read_media_playlist(studio->room_dir() + "/720p/index.m3u8");
  REQUIRE(ended);
  CHECK(ended->ended);
}
