// Replays: a broadcast kept as HLS video on demand from its own live segments, remuxed to MP4,
// stopped cleanly when its disk fills, pruned to a budget, and older Matroska files converted.
#include <sys/mount.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "stream/recordings.hpp"
#include "stream/replay_mp4.hpp"
#include "stream/replay_upkeep.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Kind = bs::StudioEvent::Kind;

namespace {

// The first video packet of a segment: "pts_time,flags", e.g. "1.466667,K__".
std::string first_video_packet(const std::string& segment) {
  return bt::run_command(
      "ffprobe -v error -select_streams v -read_intervals %+#1 "
      "-show_entries packet=pts_time,flags -of csv=p=0 '" +
      segment + "' 2>&1 | head -n 1");
}

std::string tag_value(const std::string& text, const std::string& tag) {
  auto at = text.find(tag);
  return at == std::string::npos
             ? ""
             : text.substr(at + tag.size(), text.find('\n', at) - at - tag.size());
}

// A tmpfs of `bytes` mounted at `path` for the test's life: a disk that fills.
class SmallDisk {
 public:
  SmallDisk(const std::string& path, std::size_t bytes) : path_(path) {
    fs::create_directories(path);
    std::string options = "size=" + std::to_string(bytes);
    mounted_ = ::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted_) {
      ::umount2(path_.c_str(), MNT_DETACH);
    }
  }
  bool mounted() const { return mounted_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

void fake_replay(const std::string& dir, const std::string& name, std::size_t bytes) {
  fs::create_directories(dir + "/" + name + "/720p");
  std::ofstream(dir + "/" + name + "/master.m3u8") << "#EXTM3U\n720p/index.m3u8\n";
  std::ofstream(dir + "/" + name + "/720p/index.m3u8")
      << "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:1.000,\nsegment00000.ts\n#EXT-X-ENDLIST\n";
  std::ofstream(dir + "/" + name + "/720p/segment00000.ts") << std::string(bytes, 'x');
  std::ofstream(dir + "/" + name + "/" + name + ".mp4") << "m";
}

}  // namespace

TEST_CASE("a broadcast's replay keeps every live segment as aligned HLS video on demand") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "replay");
  config.playlist_length = 3;
  config.segments_kept = 4;
  auto studio = bt::start_studio(config, log);
  std::string replay = studio->recording_path();
  REQUIRE(replay.starts_with(dir.path() + "/recordings/replay-20"));
  REQUIRE(bt::run_loop_until(
      [&] {
        auto p = bt::read_media_playlist(replay + "/360p/index.m3u8");
        return p && p->segments.size() >= 7;
      },
      90s));
  // Watchable while the class is on: EVENT, from the first segment, which the live window has
  // already deleted from its own folder.
  std::string live_text = bt::read_text(replay + "/720p/index.m3u8");
  CHECK(live_text.find("#EXT-X-PLAYLIST-TYPE:EVENT") != std::string::npos);
  CHECK(live_text.find("#EXT-X-ENDLIST") == std::string::npos);
  CHECK_FALSE(fs::exists(studio->room_dir() + "/720p/segment00000.ts"));
  CHECK(fs::exists(replay + "/720p/segment00000.ts"));
  CHECK(studio->recording_position().value_or(0) > 5.0);

  studio->stop();
  REQUIRE(bt::run_loop_until([&] { return !studio->live(); }, 15s));
  std::string master = bt::read_text(replay + "/master.m3u8");
  CHECK(master.find("720p/index.m3u8") != std::string::npos);
  CHECK(master.find("360p/index.m3u8") != std::string::npos);
  std::optional<bt::MediaPlaylist> renditions[2];
  const char* names[2] = {"720p", "360p"};
  for (int i = 0; i < 2; ++i) {
    std::string text = bt::read_text(replay + "/" + names[i] + "/index.m3u8");
    INFO(text);
    CHECK(text.find("#EXT-X-PLAYLIST-TYPE:VOD") != std::string::npos);
    CHECK(text.ends_with("#EXT-X-ENDLIST\n"));
    CHECK(tag_value(text, "#EXT-X-MEDIA-SEQUENCE:") == "0");
    renditions[i] = bt::read_media_playlist(replay + "/" + names[i] + "/index.m3u8");
    REQUIRE(renditions[i]);
    int target = std::stoi(tag_value(text, "#EXT-X-TARGETDURATION:"));
    for (double d : renditions[i]->durations) {
      CHECK(std::lround(d) <= target);  // Apple's rule
    }
  }
  // Aligned: the same segments, each starting with a key frame at the same time in both.
  REQUIRE(renditions[0]->segments == renditions[1]->segments);
  for (std::size_t n = 0; n < 5; ++n) {
    std::string high = first_video_packet(replay + "/720p/" + renditions[0]->segments[n]);
    std::string low = first_video_packet(replay + "/360p/" + renditions[1]->segments[n]);
    INFO(renditions[0]->segments[n] << ": " << high << " / " << low);
    CHECK(high.find(",K") != std::string::npos);
    CHECK(high == low);
  }
  int rc = 0;
  std::string probe = bt::run_command(
      "ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames "
      "-of default=nw=1 '" +
          replay + "/master.m3u8' 2>&1",
      &rc);
  INFO(probe);
  CHECK(rc == 0);
  CHECK(std::atoi(probe.c_str() + probe.find('=') + 1) >= 150);

  // The download: one MP4, its index before its media, as long as the replay.
  auto remuxed = bs::remux_replay_mp4(replay);
  INFO((remuxed ? "" : remuxed.error().message));
  REQUIRE(remuxed);
  std::string mp4 = replay + "/" + fs::path(replay).filename().string() + ".mp4";
  std::string boxes = bt::mp4_top_level_boxes(mp4);
  INFO(boxes);
  CHECK(boxes.find("moov") < boxes.find("mdat"));
  double seconds = 0;
  for (double d : renditions[0]->durations) {
    seconds += d;
  }
  std::string duration =
      bt::run_command("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + mp4 + "'");
  CHECK(std::atof(duration.c_str()) == Approx(seconds).margin(0.5));
  auto library = bs::list_recordings(dir.path() + "/recordings");
  REQUIRE(library.size() == 1);
  CHECK(library[0].ended);
  CHECK(library[0].seconds == Approx(seconds));
  CHECK_FALSE(library[0].download.empty());
}

TEST_CASE("a full disk stops the replay with a clear event while the live stream goes on") {
  bt::TempDir dir;
  SmallDisk disk(dir.path() + "/recordings", 1'500'000);
  REQUIRE(disk.mounted());
  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "full"), log);
  std::string replay = studio->recording_path();
  REQUIRE(bt::run_loop_until([&] { return log.find(Kind::kOutputFailed, "recording"); }, 90s));
  const bs::StudioEvent* failed = log.find(Kind::kOutputFailed, "recording");
  CHECK(failed->code == "recording_disk_full");
  auto at_failure = bt::read_media_playlist(studio->room_dir() + "/720p/index.m3u8");
  REQUIRE(at_failure);
  // The viewers still get the class.
  REQUIRE(bt::wait_for_sequence(*studio, "720p", at_failure->media_sequence + 2, 30s));
  std::string rows;
  for (const auto& o : studio->health().outputs) {
    rows += o.id + "=" + o.state + " ";
  }
  CHECK(rows.find("recording=failed") != std::string::npos);
  CHECK(rows.find("hls=live") != std::string::npos);
  CHECK_FALSE(studio->recording_position());
  // What the replay lists is complete on disk.
  auto kept = bt::read_media_playlist(replay + "/720p/index.m3u8");
  if (kept) {
    for (const auto& s : kept->segments) {
      CHECK(fs::exists(replay + "/720p/" + s));
    }
  }
  studio->stop();
  REQUIRE(bt::run_loop_until([&] { return !studio->live(); }, 15s));
}

TEST_CASE("recording stops below the minimum free space before the disk is full") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "floor");
  config.recordings_min_free_bytes = std::uint64_t{1} << 62;  // more than any disk has
  auto studio = bt::start_studio(config, log);
  REQUIRE(bt::run_loop_until([&] { return log.find(Kind::kOutputFailed, "recording"); }, 60s));
  CHECK(log.find(Kind::kOutputFailed, "recording")->code == "recording_disk_full");
  CHECK(bt::wait_for_sequence(*studio, "720p", 3, 30s));
  studio->stop();
  REQUIRE(bt::run_loop_until([&] { return !studio->live(); }, 15s));
}

TEST_CASE("the disk budget removes the oldest replays, never a kept one") {
  bt::TempDir dir;
  fake_replay(dir.path(), "main-20261101T080000Z", 100'000);  // oldest, pinned
  fake_replay(dir.path(), "main-20261102T080000Z", 100'000);
  fake_replay(dir.path(), "main-20261103T080000Z", 100'000);
  fake_replay(dir.path(), "main-20261104T080000Z", 100'000);  // being recorded
  std::ofstream(dir.path() + "/main-20261031T080000Z.mkv") << std::string(100'000, 'm');
  bs::RecordingIndex index(dir.path());
  auto keep = [](const std::string& name) {
    return name == "main-20261101T080000Z" || name == "main-20261104T080000Z";
  };
  auto use = bs::prune_replays(index, {250'000, 0}, keep);
  std::vector<std::string> expected = {"main-20261031T080000Z.mkv", "main-20261102T080000Z",
                                       "main-20261103T080000Z"};
  CHECK(use.removed == expected);
  CHECK(fs::exists(dir.path() + "/main-20261101T080000Z"));
  CHECK(fs::exists(dir.path() + "/main-20261104T080000Z"));
  CHECK(use.used_bytes > 200'000);
  CHECK(use.used_bytes < 250'000);
  // Within the budget: nothing more goes.
  CHECK(bs::prune_replays(index, {250'000, 0}, keep).removed.empty());
  CHECK(bs::prune_replays(index, {0, 0}, {}).removed.empty());
}

TEST_CASE("an older Matroska recording converts to a replay without encoding again") {
  bt::TempDir dir;
  std::string mkv = dir.path() + "/class-20261101T080000Z.mkv";
  int rc = 0;
  bt::run_command(
      "gst-launch-1.0 -q videotestsrc num-buffers=120 ! video/x-raw,width=320,height=180,"
      "framerate=30/1 ! x264enc key-int-max=30 speed-preset=ultrafast ! h264parse ! "
      "matroskamux name=m ! filesink location='" +
          mkv +
          "' audiotestsrc num-buffers=180 ! "
          "voaacenc ! aacparse ! m. 2>&1",
      &rc);
  REQUIRE(rc == 0);
  auto converted = bs::convert_matroska(mkv);
  INFO((converted ? "" : converted.error().message));
  REQUIRE(converted);
  CHECK_FALSE(fs::exists(mkv));
  std::string replay = dir.path() + "/class-20261101T080000Z";
  std::string text = bt::read_text(replay + "/720p/index.m3u8");
  INFO(text);
  CHECK(text.find("#EXT-X-PLAYLIST-TYPE:VOD") != std::string::npos);
  CHECK(text.ends_with("#EXT-X-ENDLIST\n"));
  auto playlist = bt::read_media_playlist(replay + "/720p/index.m3u8");
  REQUIRE(playlist);
  CHECK(playlist->segments.size() == 4);
  CHECK(first_video_packet(replay + "/720p/" + playlist->segments[1]).find(",K") !=
        std::string::npos);
  auto library = bs::list_recordings(dir.path());
  REQUIRE(library.size() == 1);
  CHECK(library[0].hls);
  CHECK(library[0].seconds == Approx(4.0).margin(0.1));
  CHECK(library[0].download == "class-20261101T080000Z/class-20261101T080000Z.mp4");
  CHECK(bt::mp4_top_level_boxes(replay + "/class-20261101T080000Z.mp4").find("moov") <
        bt::mp4_top_level_boxes(replay + "/class-20261101T080000Z.mp4").find("mdat"));

  // A broken file: a clear error, the file kept, nothing half made left behind.
  std::string broken = dir.path() + "/class-20261102T080000Z.mkv";
  std::ofstream(broken) << std::string(50'000, 'z');
  auto failed = bs::convert_matroska(broken);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == "convert_failed");
  CHECK(fs::exists(broken));
  CHECK_FALSE(fs::exists(dir.path() + "/class-20261102T080000Z"));
  CHECK(bs::convert_matroska(dir.path() + "/notes.mkv").error().code == "convert_failed");
}
