// Low-Latency HLS from the studio's own segmenter: the playlist's text, when a blocking reload may
// be answered, the parts of a made-up transport stream, and the parts of a real studio's two
// renditions (cut at the same frames, each no longer than the part target, together the segment).
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stream/live_edge.hpp"
#include "stream/low_latency_playlist.hpp"
#include "stream/studio.hpp"
#include "stream/ts_segmenter.hpp"
#include "studio_support.hpp"
#include "ts_fixture.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

using WallClock = bs::LowLatencyPlaylist::WallClock;

// 2026-11-28T19:02:15.250Z, and a second later for each segment after.
WallClock::time_point second(int n) {
  return WallClock::time_point{std::chrono::milliseconds(1'795'892'535'250LL + 1000LL * n)};
}

bs::EdgeSnapshot edge(std::int64_t open_msn, int open_parts, int previous_parts) {
  bs::EdgeSnapshot s;
  s.open_msn = open_msn;
  s.open_parts = open_parts;
  s.previous_parts = previous_parts;
  s.segment_parts = 3;
  s.part_target = 1.0 / 3;
  return s;
}

std::string bytes_of(const std::string& path) {
  return bt::read_text(path);
}

// The PTS of the first video frame that starts in a part (a part after a segment's first has no
// tables, so ffprobe cannot read it alone).
std::optional<std::int64_t> first_video_pts(const std::string& path) {
  std::string bytes = bytes_of(path);
  for (std::size_t at = 0; at + 188 <= bytes.size(); at += 188) {
    auto* packet = reinterpret_cast<const std::uint8_t*>(bytes.data() + at);
    if (auto pts = bs::ts::video_pes_pts(packet)) {
      return pts;
    }
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("the low-latency playlist lists the last segments' parts and hints the next part") {
  bt::TempDir dir;
  bs::LowLatencyPlaylist playlist({dir.path(), 1, 1.0 / 3, 3, 4, 6});
  for (int n = 0; n < 5; ++n) {
    playlist.open(n, second(n));
    for (int p = 0; p < 3; ++p) {
      playlist.add_part(1.0 / 3, p == 0);
    }
    playlist.close(1.0);
  }
  playlist.open(5, second(5));
  playlist.add_part(1.0 / 3, true);
  std::string text = playlist.text();
  CHECK(text.starts_with(
      "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n"
      "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.002\n"
      "#EXT-X-PART-INF:PART-TARGET=0.334\n#EXT-X-MEDIA-SEQUENCE:1\n"
      "#EXT-X-PROGRAM-DATE-TIME:2026-11-28T19:02:16.250Z\n#EXTINF:1.000,\nsegment00001.ts\n"
      "#EXT-X-PROGRAM-DATE-TIME:2026-11-28T19:02:17.250Z\n"
      "#EXT-X-PART:DURATION=0.33333,URI=\"segment00002.part0.ts\",INDEPENDENT=YES\n"));
  // Parts for the last three closed segments only (not segment 1's), and the open one's.
  CHECK(text.find("segment00001.part") == std::string::npos);
  CHECK(
      text.ends_with("#EXT-X-PROGRAM-DATE-TIME:2026-11-28T19:02:19.250Z\n"
                     "#EXT-X-PART:DURATION=0.33333,URI=\"segment00004.part0.ts\",INDEPENDENT=YES\n"
                     "#EXT-X-PART:DURATION=0.33333,URI=\"segment00004.part1.ts\"\n"
                     "#EXT-X-PART:DURATION=0.33333,URI=\"segment00004.part2.ts\"\n"
                     "#EXTINF:1.000,\nsegment00004.ts\n"
                     "#EXT-X-PROGRAM-DATE-TIME:2026-11-28T19:02:20.250Z\n"
                     "#EXT-X-PART:DURATION=0.33333,URI=\"segment00005.part0.ts\",INDEPENDENT=YES\n"
                     "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"segment00005.part1.ts\"\n"));
  auto s = playlist.snapshot();
  CHECK(s.text == text);
  CHECK(s.open_msn == 5);
  CHECK(s.open_parts == 1);
  CHECK(s.previous_parts == 3);
  CHECK_FALSE(s.ended);

  playlist.close(0.5);
  playlist.end();
  CHECK(playlist.text().ends_with("#EXTINF:0.500,\nsegment00005.ts\n#EXT-X-ENDLIST\n"));
  CHECK(playlist.text().find("PRELOAD-HINT") == std::string::npos);
  CHECK(playlist.snapshot().ended);
}

TEST_CASE("a blocking reload is answered once its segment or part is there") {
  auto s = edge(10, 1, 3);  // segment 10 is being cut: its part 0 is done, 9 had three parts
  using A = bs::EdgeAnswer;
  CHECK(bs::judge(s, 9, std::nullopt) == A::ready);
  CHECK(bs::judge(s, 10, std::nullopt) == A::wait);  // a whole segment: once it is closed
  CHECK(bs::judge(s, 10, 0) == A::ready);
  CHECK(bs::judge(s, 10, 1) == A::wait);
  CHECK(bs::judge(s, 9, 2) == A::ready);
  CHECK(bs::judge(s, 9, 3) == A::ready);  // past 9's last part: 10's first, which is there
  CHECK(bs::judge(s, 3, 0) == A::ready);
  CHECK(bs::judge(s, 11, 0) == A::wait);
  CHECK(bs::judge(s, 12, std::nullopt) == A::wait);
  CHECK(bs::judge(s, 13, std::nullopt) == A::too_far);  // more than two segments ahead
  // Three seconds of parts ahead of the newest (nine of a third of a second) is the limit.
  CHECK(bs::judge(s, 10, 9) == A::wait);
  CHECK(bs::judge(s, 10, 10) == A::too_far);
  CHECK(bs::judge(s, 12, 3) == A::wait);  // eight parts ahead of the newest
  CHECK(bs::judge(s, 12, 4) == A::too_far);

  auto fresh = edge(11, 0, 3);                // segment 10 just closed, 11 has no part yet
  CHECK(bs::judge(fresh, 10, 3) == A::wait);  // 11's first part: not yet
  CHECK(bs::judge(fresh, 10, 2) == A::ready);
  CHECK(bs::judge(fresh, 10, std::nullopt) == A::ready);

  auto ended = edge(11, 0, 3);
  ended.ended = true;
  CHECK(bs::judge(ended, 12, 0) == A::ready);  // the final playlist answers everyone

  CHECK(bs::last_part(s)->msn == 10);
  CHECK(bs::last_part(s)->part == 0);
  CHECK(bs::last_part(fresh)->msn == 10);
  CHECK(bs::last_part(fresh)->part == 2);
  CHECK_FALSE(bs::last_part(edge(0, 0, 0)));
}

TEST_CASE("the live edge reports the other renditions and tells its listener of each change") {
  bs::LiveEdge live;
  int told = 0;
  live.on_change([&] { ++told; });
  CHECK(live.get("720p") == nullptr);
  CHECK(live.empty());
  live.publish("720p", edge(4, 2, 3));
  CHECK_FALSE(live.empty());
  live.publish("360p", edge(4, 1, 3));
  CHECK(told == 2);
  CHECK(live.get("720p")->open_parts == 2);
  CHECK(live.reports("720p") ==
        "#EXT-X-RENDITION-REPORT:URI=\"../360p/index.m3u8\",LAST-MSN=4,LAST-PART=0\n");
  CHECK(live.reports("360p") ==
        "#EXT-X-RENDITION-REPORT:URI=\"../720p/index.m3u8\",LAST-MSN=4,LAST-PART=1\n");
  live.clear();
  CHECK(live.get("720p") == nullptr);
  CHECK(live.reports("360p").empty());
}

TEST_CASE("the segmenter cuts parts of whole frames that together make the segment") {
  bt::TempDir dir;
  auto edge_of = std::make_shared<bs::LiveEdge>();
  int published = 0;
  edge_of->on_change([&] { ++published; });
  bs::TsSegmenterOptions o;
  o.playlist = {dir.path(), 1, 3, 4};
  o.part_seconds = 10.0 / 30;
  o.live_edge = edge_of;
  o.rendition = "720p";
  {
    bs::TsSegmenter segmenter(o);
    auto bytes = bt::ts_fixture::stream(90, 30);  // three segments of 30 frames
    REQUIRE(segmenter.write(bytes.data(), bytes.size()));
    auto s = edge_of->get("720p");
    REQUIRE(s);
    CHECK(s->open_msn == 2);
    CHECK(s->open_parts == 2);  // frames 60-79 in two parts; the third is still open
    CHECK(s->previous_parts == 3);
    REQUIRE(segmenter.finish());
  }
  auto s = edge_of->get("720p");
  REQUIRE(s);
  CHECK(s->ended);
  CHECK(published >= 9);
  CHECK(s->text.find("#EXT-X-PART:DURATION=0.33333,URI=\"segment00000.part0.ts\","
                     "INDEPENDENT=YES\n") != std::string::npos);
  for (int n = 0; n < 3; ++n) {
    std::string parts;
    for (int p = 0; p < 3; ++p) {
      std::string name = bs::part_file_name(n, p);
      INFO(name);
      REQUIRE(fs::exists(dir.path() + "/" + name));
      parts += bytes_of(dir.path() + "/" + name);
    }
    CHECK(parts == bytes_of(dir.path() + "/" + bs::segment_file_name(n)));
    CHECK_FALSE(fs::exists(dir.path() + "/" + bs::part_file_name(n, 3)));
  }
}

TEST_CASE("a studio's two renditions are cut into parts at the same frames") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "parts");
  config.recordings_dir.clear();
  auto studio = bt::start_studio(config, log);
  auto live = studio->live_edge();
  // Four closed segments in each rendition: their parts are all still on disk.
  REQUIRE(bt::run_loop_until(
      [&] {
        auto a = live->get("720p");
        auto b = live->get("360p");
        return a && b && a->open_msn >= 5 && b->open_msn >= 5;
      },
      60s));
  const double target = bs::part_seconds(config);
  CHECK(target == Approx(1.0 / 3));
  for (int n = 2; n < 5; ++n) {
    for (const char* rendition : {"720p", "360p"}) {
      std::string folder = studio->room_dir() + "/" + rendition + "/";
      std::string parts;
      for (int p = 0; fs::exists(folder + bs::part_file_name(n, p)); ++p) {
        parts += bytes_of(folder + bs::part_file_name(n, p));
      }
      INFO(rendition << " segment " << n);
      CHECK(parts == bytes_of(folder + bs::segment_file_name(n)));
    }
    // Each part of segment n: its first video timestamp the same in both renditions.
    for (int p = 0; p < 3; ++p) {
      std::string name = bs::part_file_name(n, p);
      auto high = first_video_pts(studio->room_dir() + "/720p/" + name);
      auto low = first_video_pts(studio->room_dir() + "/360p/" + name);
      INFO(name);
      REQUIRE(high);
      CHECK(high == low);
    }
  }
  // Every listed part is at most the part target (timestamps, not wall-clock time).
  auto text = live->get("720p")->text;
  std::size_t at = 0;
  int parts = 0;
  while ((at = text.find("#EXT-X-PART:DURATION=", at)) != std::string::npos) {
    at += 21;
    CHECK(std::stod(text.substr(at)) <= 0.334);
    ++parts;
  }
  CHECK(parts >= 9);
  studio->stop();
  REQUIRE(bt::run_loop_until([&] { return live->get("720p")->ended; }, 15s));
  CHECK(live->get("720p")->text.ends_with("#EXT-X-ENDLIST\n"));
}
