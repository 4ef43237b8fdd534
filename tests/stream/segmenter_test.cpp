// The studio's own HLS segmenter without GStreamer: the media playlist's text and its rewrite, and
// the cuts of a made-up transport stream at its key frames.
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <thread>
#include <vector>

#include "stream/media_playlist.hpp"
#include "stream/ts_segmenter.hpp"
#include "studio_support.hpp"
#include "ts_fixture.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
namespace fs = std::filesystem;

namespace {

using WallClock = bs::MediaPlaylistWriter::WallClock;
using namespace bt::ts_fixture;

bs::TsSegmenterOptions options(const bt::TempDir& dir) {
  bs::TsSegmenterOptions o;
  o.playlist.dir = dir.path();
  o.playlist.listed = 3;
  o.playlist.kept = 4;
  return o;
}

std::vector<std::uint8_t> file_bytes(const std::string& path) {
  std::string text = bt::read_text(path);
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

}  // namespace

TEST_CASE("segment names are numbered as hlssink2 numbered them") {
  CHECK(bs::segment_file_name(0) == "segment00000.ts");
  CHECK(bs::segment_file_name(12) == "segment00012.ts");
  CHECK(bs::segment_file_name(123456) == "segment123456.ts");
}

TEST_CASE("the media playlist slides its window and numbers it by its first segment") {
  bt::TempDir dir;
  bs::MediaPlaylistWriter writer({dir.path(), 1, 3, 5});
  auto start = WallClock::now();
  for (int i = 0; i < 7; ++i) {
    bt::run_command("touch " + dir.path() + "/" + bs::segment_file_name(i));
    REQUIRE(writer.add(i, 1.0, start));
  }
  CHECK(writer.text() ==
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:4\n"
        "#EXTINF:1.000,\nsegment00004.ts\n#EXTINF:1.000,\nsegment00005.ts\n"
        "#EXTINF:1.000,\nsegment00006.ts\n");
  CHECK(bt::read_text(dir.path() + "/index.m3u8") == writer.text());
  // Five kept on disk, the older two deleted; no temporary file left behind.
  CHECK_FALSE(fs::exists(dir.path() + "/segment00000.ts"));
  CHECK_FALSE(fs::exists(dir.path() + "/segment00001.ts"));
  for (int i = 2; i < 7; ++i) {
    CHECK(fs::exists(dir.path() + "/" + bs::segment_file_name(i)));
  }
  CHECK_FALSE(fs::exists(dir.path() + "/index.m3u8.tmp"));

  REQUIRE(writer.end());
  CHECK(bt::read_text(dir.path() + "/index.m3u8").ends_with("segment00006.ts\n#EXT-X-ENDLIST\n"));
  REQUIRE(writer.add(7, 1.0, start));  // ignored once ended
  CHECK(writer.text().ends_with("#EXT-X-ENDLIST\n"));
}

TEST_CASE("a short first playlist starts at its first segment's number") {
  bt::TempDir dir;
  bs::MediaPlaylistWriter writer({dir.path(), 2, 5, 10});
  CHECK(writer.text().find("#EXT-X-MEDIA-SEQUENCE:0\n") != std::string::npos);
  REQUIRE(writer.add(40, 2.0, WallClock::now()));
  CHECK(writer.text() ==
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:40\n"
        "#EXTINF:2.000,\nsegment00040.ts\n");
}

TEST_CASE("the target duration covers every segment rounded to the nearest second") {
  bt::TempDir dir;
  bs::MediaPlaylistWriter writer({dir.path(), 1, 3, 4});
  auto start = WallClock::now();
  REQUIRE(writer.add(0, 1.0, start));
  REQUIRE(writer.add(1, 1.499, start));
  CHECK(writer.target_duration() == 1);  // 1.499 rounds to 1
  REQUIRE(writer.add(2, 0.4, start));
  CHECK(writer.target_duration() == 1);
  REQUIRE(writer.add(3, 1.5, start));
  CHECK(writer.target_duration() == 2);  // 1.5 rounds to 2
  CHECK(writer.text().find("#EXT-X-TARGETDURATION:2\n") != std::string::npos);
  CHECK(writer.text().find("#EXTINF:1.499,\n") != std::string::npos);
  // It never goes down again, even once the long segment has left the window.
  for (int i = 4; i < 8; ++i) {
    REQUIRE(writer.add(i, 1.0, start));
  }
  CHECK(writer.target_duration() == 2);
}

TEST_CASE("program date-time lines give each segment's start in UTC when asked for") {
  bt::TempDir dir;
  bs::MediaPlaylistWriter writer({dir.path(), 1, 3, 4, true});
  // 2026-11-28T19:02:15.250Z
  WallClock::time_point start{std::chrono::milliseconds(1'795'892'535'250LL)};
  REQUIRE(writer.add(0, 1.0, start));
  CHECK(writer.text().find("#EXT-X-PROGRAM-DATE-TIME:2026-11-28T19:02:15.250Z\n#EXTINF:1.000,\n"
                           "segment00000.ts\n") != std::string::npos);
}

TEST_CASE("a reader never sees half a playlist while it is rewritten") {
  bt::TempDir dir;
  bs::MediaPlaylistWriter writer({dir.path(), 1, 5, 6});
  auto start = WallClock::now();
  REQUIRE(writer.add(0, 1.0, start));
  std::atomic<bool> done{false};
  int torn = 0;
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!done.load()) {
      std::string text = bt::read_text(dir.path() + "/index.m3u8");
      bool whole = text.starts_with("#EXTM3U\n") && text.ends_with(".ts\n");
      if (!whole) {
        ++torn;
      }
      reads.fetch_add(1);
    }
  });
  // At least 2000 rewrites, and on until the reader has read 100 times during them, however
  // slowly a busy machine lets it run. No REQUIRE while the reader runs: it would throw past it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int writes = 1;
  bool written = true;
  while (writes < 2000 || (reads.load() < 100 && std::chrono::steady_clock::now() < deadline)) {
    if (!writer.add(writes, 1.0, start)) {
      written = false;
      break;
    }
    ++writes;
  }
  int read_during_writes = reads.load();
  done.store(true);
  reader.join();
  INFO(writes << " writes, " << read_during_writes << " reads during them");
  REQUIRE(written);
  CHECK(read_during_writes >= 100);
  CHECK(torn == 0);
}

TEST_CASE("an unwritable playlist directory is an error that names the playlist") {
  bs::MediaPlaylistWriter writer({"/nonexistent/boai", 1, 3, 4});
  auto added = writer.add(0, 1.0, WallClock::now());
  REQUIRE_FALSE(added);
  CHECK(added.error().code == "hls_write_failed");
  CHECK(added.error().message.find("/nonexistent/boai/index.m3u8") != std::string::npos);
}

TEST_CASE("while the playlist cannot be replaced, the segments it still lists stay on disk") {
  bt::TempDir dir;
  bs::MediaPlaylistWriter writer({dir.path(), 1, 2, 2});  // kept is raised to listed + 1
  auto start = WallClock::now();
  for (int i = 0; i < 3; ++i) {
    bt::run_command("touch " + dir.path() + "/" + bs::segment_file_name(i));
    REQUIRE(writer.add(i, 1.0, start));
  }
  CHECK(fs::exists(dir.path() + "/segment00000.ts"));  // left the playlist, not the disk
  // A directory where the playlist goes: the rename fails as on a full or broken disk.
  fs::remove(dir.path() + "/index.m3u8");
  fs::create_directory(dir.path() + "/index.m3u8");
  for (int i = 3; i < 6; ++i) {
    bt::run_command("touch " + dir.path() + "/" + bs::segment_file_name(i));
    CHECK_FALSE(writer.add(i, 1.0, start));
  }
  for (int i = 0; i < 6; ++i) {
    CHECK(fs::exists(dir.path() + "/" + bs::segment_file_name(i)));
  }
  fs::remove(dir.path() + "/index.m3u8");
  REQUIRE(writer.add(6, 1.0, start));  // written again: now the old ones go
  CHECK_FALSE(fs::exists(dir.path() + "/segment00003.ts"));
  CHECK(fs::exists(dir.path() + "/segment00004.ts"));
}

TEST_CASE("the transport stream's headers are read where the segmenter needs them") {
  CHECK(bs::ts::pid(pat().data()) == 0);
  CHECK(bs::ts::pmt_pid(pat().data()) == kPmtPid);
  CHECK_FALSE(bs::ts::pmt_pid(pmt().data()));
  CHECK(bs::ts::video_pes_pts(video(123456789, true).data()) == 123456789);
  CHECK(bs::ts::video_pes_pts(video((std::int64_t{1} << 33) - 1, false).data()) ==
        (std::int64_t{1} << 33) - 1);
  CHECK(bs::ts::random_access(video(0, true).data()));
  CHECK_FALSE(bs::ts::random_access(video(0, false).data()));
  CHECK_FALSE(bs::ts::video_pes_pts(audio(3000).data()));
  CHECK_FALSE(bs::ts::video_pes_pts(video_rest().data()));
}

TEST_CASE("the segmenter cuts at each key frame and lists a segment once the next one begins") {
  bt::TempDir dir;
  bs::TsSegmenter segmenter(options(dir));
  // Audio before the first key frame is dropped; the first segment starts at the key frame.
  Packet early = audio(0);
  REQUIRE(segmenter.write(early.data(), early.size()));
  auto bytes = stream(90, 30);
  // Fed in uneven pieces, as no muxer would: packets split across writes still count.
  std::size_t at = 0;
  for (std::size_t piece : {1u, 187u, 200u, 5000u, 3u}) {
    REQUIRE(segmenter.write(bytes.data() + at, piece));
    at += piece;
  }
  std::size_t up_to_second_key = 30 * 3 * 188 + 10 * 2 * 188;  // frames, tables (ten times)
  REQUIRE(segmenter.write(bytes.data() + at, up_to_second_key - at));
  CHECK(segmenter.listed() == 0);
  // The second key frame's packets: after the tables and the audio, the video PES start.
  Packet tables_audio[] = {pat(), pmt(), audio(90000 + 30 * 3000)};
  for (const Packet& p : tables_audio) {
    REQUIRE(segmenter.write(p.data(), p.size()));
  }
  CHECK(segmenter.listed() == 0);
  at = up_to_second_key + 3 * 188;
  REQUIRE(segmenter.write(bytes.data() + at, 188));  // the key frame itself
  CHECK(segmenter.listed() == 1);
  auto playlist = bt::read_media_playlist(dir.path() + "/index.m3u8");
  REQUIRE(playlist);
  CHECK(playlist->segments == std::vector<std::string>{"segment00000.ts"});
  REQUIRE(playlist->durations.size() == 1);
  CHECK(playlist->durations[0] == Approx(1.0));
  at += 188;
  REQUIRE(segmenter.write(bytes.data() + at, bytes.size() - at));
  CHECK(segmenter.listed() == 2);

  // Each segment starts with the tables, then its key frame; the first has no early audio.
  for (const char* name : {"segment00000.ts", "segment00001.ts"}) {
    auto segment = file_bytes(dir.path() + "/" + name);
    REQUIRE(segment.size() >= 3 * 188);
    INFO(name);
    CHECK(bs::ts::pid(segment.data()) == 0);
    CHECK(bs::ts::pid(segment.data() + 188) == kPmtPid);
    CHECK(bs::ts::random_access(segment.data() + 2 * 188));
    CHECK(segment.size() % 188 == 0);
  }
  // The first: the copied tables, 30 frames of three packets less the audio before the key frame,
  // the tables nine more times, and the tables and audio that came before the next key frame.
  CHECK(file_bytes(dir.path() + "/segment00000.ts").size() == (2 + 89 + 18 + 3) * 188);

  // The end lists the open segment: its frames plus one frame's length.
  REQUIRE(segmenter.finish());
  playlist = bt::read_media_playlist(dir.path() + "/index.m3u8");
  REQUIRE(playlist);
  CHECK(playlist->ended);
  CHECK(playlist->segments.size() == 3);
  CHECK(playlist->durations.back() == Approx(1.0));
  CHECK(playlist->media_sequence == 0);
}

TEST_CASE("the segmenter can hold several key frames a segment and survives the PTS wrap") {
  bt::TempDir dir;
  auto o = options(dir);
  o.key_frames_per_segment = 2;
  bs::TsSegmenter segmenter(o);
  // Starts half a second before the 33-bit clock wraps.
  auto bytes = stream(121, 15, (std::int64_t{1} << 33) - 45000);
  REQUIRE(segmenter.write(bytes.data(), bytes.size()));
  CHECK(segmenter.listed() == 4);
  auto playlist = bt::read_media_playlist(dir.path() + "/index.m3u8");
  REQUIRE(playlist);
  REQUIRE(playlist->durations.size() == 3);
  for (double d : playlist->durations) {
    CHECK(d == Approx(1.0));
  }
  CHECK(playlist->media_sequence == 1);
  for (int i = 0; i < 4; ++i) {
    CHECK(fs::exists(dir.path() + "/" + bs::segment_file_name(i)));
  }
}

TEST_CASE("a segment that cannot be written is not listed and its number is used again") {
  bt::TempDir dir;
  auto o = options(dir);
  std::string sub = dir.path() + "/hls";
  o.playlist.dir = sub;
  bs::TsSegmenter segmenter(o);
  auto bytes = stream(61, 30);
  std::size_t one_segment = 30 * 3 * 188 + 10 * 2 * 188;
  // No directory yet: the first segment fails when it opens.
  auto first = segmenter.write(bytes.data(), one_segment);
  REQUIRE_FALSE(first);
  CHECK(first.error().code == "hls_write_failed");
  fs::create_directories(sub);
  // The next key frame (after the tables and the audio) closes it: reported again, not listed.
  CHECK_FALSE(segmenter.write(bytes.data() + one_segment, 4 * 188));
  CHECK(segmenter.listed() == 0);
  std::size_t at = one_segment + 4 * 188;
  REQUIRE(segmenter.write(bytes.data() + at, bytes.size() - at));
  CHECK(segmenter.listed() == 1);
  auto playlist = bt::read_media_playlist(sub + "/index.m3u8");
  REQUIRE(playlist);
  CHECK(playlist->segments == std::vector<std::string>{"segment00000.ts"});
  CHECK(file_bytes(sub + "/segment00000.ts").size() > 30 * 3 * 188);
}
