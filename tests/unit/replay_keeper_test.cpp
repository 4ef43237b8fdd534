// The replay keeper: pins kept against the disk budget across a restart, the one being recorded
// kept, titles, hiding and chapters written to replay.json, unknown replays refused.
#include "app/replay_keeper.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using boai::app::ReplayEdit;
using boai::app::ReplayKeeper;

namespace {

struct LibraryDir {
  LibraryDir() : path(fs::temp_directory_path() / ("boai-keeper-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~LibraryDir() { fs::remove_all(path); }
  fs::path path;
};

// A finished replay (its MP4 made) of `bytes` on disk.
void finished_replay(const fs::path& dir, const std::string& name, std::size_t bytes) {
  fs::create_directories(dir / name / "720p");
  std::ofstream(dir / name / "master.m3u8") << "#EXTM3U\n720p/index.m3u8\n";
  std::ofstream(dir / name / "720p/index.m3u8")
      << "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:1.000,\nsegment00000.ts\n#EXT-X-ENDLIST\n";
  std::ofstream(dir / name / "720p/segment00000.ts") << std::string(bytes, 'x');
  std::ofstream(dir / name / (name + ".mp4")) << "m";
}

}  // namespace

TEST_CASE("the keeper prunes the oldest replays to its budget but never a pinned one") {
  LibraryDir dir;
  for (const char* name : {"main-20261101T080000Z", "main-20261102T080000Z",
                           "main-20261103T080000Z", "main-20261104T080000Z"}) {
    finished_replay(dir.path, name, 100'000);
  }
  // Pinned before this start: read from the replay's own file.
  std::ofstream(dir.path / "main-20261101T080000Z/replay.json") << R"({"pinned": true})";
  ReplayKeeper keeper(dir.path.string(), {250'000, 0});
  keeper.broadcast_started("main-20261104T080000Z", "急救课堂");
  keeper.settle();
  CHECK(fs::exists(dir.path / "main-20261101T080000Z"));
  CHECK(fs::exists(dir.path / "main-20261104T080000Z"));
  CHECK(keeper.meta("main-20261104T080000Z").title == "急救课堂");
  CHECK(keeper.use().used_bytes <= 250'000);
  CHECK(keeper.use().free_bytes > 0);
  // One of the two in the middle went first (the older one), then the other.
  CHECK_FALSE(fs::exists(dir.path / "main-20261102T080000Z"));
  CHECK_FALSE(fs::exists(dir.path / "main-20261103T080000Z"));
}

TEST_CASE("a keeper started after a crash closes the replay the killed studio left open") {
  LibraryDir dir;
  finished_replay(dir.path, "class-20261107T080000Z", 10);
  // As SIGKILL leaves it: EVENT, no end tag, and a half-made download.
  std::ofstream(dir.path / "class-20261107T080000Z/720p/index.m3u8")
      << "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:1.000,\nsegment00000.ts\n";
  std::ofstream(dir.path / "class-20261107T080000Z/class-20261107T080000Z.mp4.part") << "half";
  ReplayKeeper keeper(dir.path.string(), {});
  keeper.settle();
  std::ifstream in(dir.path / "class-20261107T080000Z/720p/index.m3u8");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("#EXT-X-PLAYLIST-TYPE:VOD") != std::string::npos);
  CHECK(text.ends_with("#EXT-X-ENDLIST\n"));
  CHECK_FALSE(fs::exists(dir.path / "class-20261107T080000Z/class-20261107T080000Z.mp4.part"));
  auto page = keeper.index().page(10, "");
  REQUIRE(page);
  REQUIRE(page->recordings.size() == 1);
  CHECK(page->recordings[0].ended);
}

TEST_CASE("hosts' changes and chapter marks land in the replay's own file") {
  LibraryDir dir;
  finished_replay(dir.path, "class-20261105T080000Z", 10);
  ReplayKeeper keeper(dir.path.string(), {});
  keeper.add_chapter("class-20261105T080000Z", 95.5, "心肺复苏");
  keeper.add_chapter("class-20261105T080000Z", 12.0, "开场");
  auto changed = keeper.edit("class-20261105T080000Z", ReplayEdit{"急救课 · 第一讲", true, {}});
  REQUIRE(changed);
  CHECK(changed->hidden);
  CHECK_FALSE(changed->pinned);
  keeper.settle();
  auto meta = keeper.meta("class-20261105T080000Z");
  CHECK(meta.title == "急救课 · 第一讲");
  CHECK(meta.hidden);
  REQUIRE(meta.chapters.size() == 2);
  CHECK(meta.chapters[0].title == "开场");  // in the order of the replay
  CHECK(meta.chapters[1].at_seconds == Approx(95.5));
  CHECK(keeper.edit("class-20261106T080000Z", {}).error().code == "recording_unknown");
  CHECK(keeper.edit("../class-20261105T080000Z", {}).error().code == "recording_unknown");
  // A replay.json spoilt by hand reads as defaults and is written whole again.
  std::ofstream(dir.path / "class-20261105T080000Z/replay.json") << R"({"title": 5, "hidden": "x")";
  CHECK(keeper.meta("class-20261105T080000Z").title.empty());
  REQUIRE(keeper.edit("class-20261105T080000Z", ReplayEdit{{}, {}, true}));
  CHECK(keeper.meta("class-20261105T080000Z").pinned);
}
