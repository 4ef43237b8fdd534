// The studio's own segmenter in the real pipeline: a segment is listed as soon as the next key
// frame closes it, not a segment later as hlssink2 lists it; and hlssink2 still works when chosen.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;

TEST_CASE("a segment is listed about one segment after its key frame was composed") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "edge");
  auto studio = bt::start_studio(config, log);
  REQUIRE(bt::wait_for_sequence(*studio, "720p", 0, 30s));

  // Counted in composed frames, not seconds, so that a busy machine slows both sides alike; how
  // many seconds a segment takes to be listed is bench/stream_encode's to measure.
  // One key frame a segment: segment N starts at composed frame N x 30 (x264 opens with a key
  // frame, scenecut is off), or later by the frames a full encoder queue threw away. For each
  // segment first listed while watching: the frames composed by then, and those thrown away.
  const int frames_per_segment = config.framerate * config.segment_seconds;
  struct Listing {
    std::int64_t composed = 0;
    std::int64_t dropped = 0;
  };
  std::map<int, Listing> listed;
  std::set<int> listed_before;  // already listed when watching began: when is unknown
  bool first = true;
  std::string playlist = studio->room_dir() + "/720p/index.m3u8";
  bool enough = bt::run_loop_until(
      [&] {
        auto p = bt::read_media_playlist(playlist);
        // Read after the playlist: at most the frames composed when a segment was listed.
        auto health = studio->health();
        if (p) {
          for (const auto& s : p->segments) {
            int n = bt::segment_number(s);
            if (first) {
              listed_before.insert(n);
            } else if (!listed_before.contains(n)) {
              listed.emplace(n, Listing{static_cast<std::int64_t>(health.frames),
                                        static_cast<std::int64_t>(health.dropped_frames)});
            }
          }
          first = false;
        }
        return listed.size() >= 4;
      },
      60s);
  REQUIRE(enough);

  // Frames composed from a segment's key frame to its listing. Never fewer than a segment: it is
  // listed once the next key frame closes it. Fewer than two: listed before the key frame two
  // segments later was composed, where hlssink2 waits for the GOP after it as well.
  std::vector<std::int64_t> lags;
  std::int64_t shortest = INT64_MAX;
  std::string all;
  for (const auto& [n, when] : listed) {
    std::int64_t lag = when.composed - std::int64_t{n} * frames_per_segment;
    all += std::to_string(n) + ": " + std::to_string(lag) + " (" + std::to_string(when.dropped) +
           " dropped) ";
    shortest = std::min(shortest, lag);
    // Frames thrown away before an encoder push its key frames later by as many (counted over
    // both renditions: if anything, too generous by the 360p's).
    lags.push_back(lag - when.dropped);
  }
  std::sort(lags.begin(), lags.end());
  std::int64_t median = lags[lags.size() / 2];
  INFO("frames from key frame to listing, by segment: " << all);
  CHECK(shortest > frames_per_segment);
  CHECK(median < 2 * frames_per_segment);
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
