// The studio's small pure parts: source and push URLs, markup, playlists, recordings.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "stream/hls_playlist.hpp"
#include "stream/markup.hpp"
#include "stream/push_url.hpp"
#include "stream/qr_code.hpp"
#include "stream/recordings.hpp"
#include "stream/source_spec.hpp"
#include "stream/studio_config.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;

TEST_CASE("sources parse from what the host types") {
  auto test = bs::parse_source("test");
  REQUIRE(test);
  CHECK(test->kind == bs::SourceKind::kTest);
  CHECK(bs::parse_source("")->kind == bs::SourceKind::kTest);
  CHECK_FALSE(test->retries());

  auto clock = bs::parse_source("clock");
  REQUIRE(clock);
  CHECK(clock->kind == bs::SourceKind::kClock);
  CHECK(clock->text == "clock");
  CHECK(clock->generated());
  CHECK_FALSE(clock->retries());

  auto camera = bs::parse_source("v4l2:/dev/video0?audio=pulse:usb-mic");
  REQUIRE(camera);
  CHECK(camera->kind == bs::SourceKind::kV4l2);
  CHECK(camera->device == "/dev/video0");
  CHECK(camera->audio_device == "pulse:usb-mic");

  auto srt = bs::parse_source("srt://:9000");
  REQUIRE(srt);
  CHECK(srt->kind == bs::SourceKind::kSrt);
  CHECK(srt->port == 9000);
  CHECK(srt->uri == "srt://0.0.0.0:9000?mode=listener");
  CHECK(bs::parse_source("srt://127.0.0.1:9000?latency=200")->uri ==
        "srt://127.0.0.1:9000?mode=listener&latency=200");

  auto rtmp = bs::parse_source("rtmp://127.0.0.1:1935/live/studio");
  REQUIRE(rtmp);
  CHECK(rtmp->kind == bs::SourceKind::kRtmp);

  auto file = bs::parse_source("file:/srv/classes/cpr.mp4");
  REQUIRE(file);
  CHECK(file->path == "/srv/classes/cpr.mp4");
  CHECK(bs::parse_source("file:///srv/a.mkv")->path == "/srv/a.mkv");
}

TEST_CASE("malformed sources are refused with the input named") {
  for (const char* text :
       {"srt://:notaport", "srt://127.0.0.1", "srt://:99999", "srt://:0", "srt://bad host:9000",
        "srt://:9000?mode=caller", "srt://:9000?x=<script>", "rtmp://", "rtmp://host",
        "rtmp://host/app", "rtmp://:1935/app/key", "rtmp://host:abc/app/key", "v4l2:video0",
        "v4l2:/dev/video0?audio=oss:1", "file:", "webcam", "http://example.org/a.mp4", "clock:utc",
        "Clock"}) {
    INFO(text);
    auto parsed = bs::parse_source(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == "source_invalid");
    CHECK(parsed.error().message.find(text) != std::string::npos);
  }
}

TEST_CASE("push URLs are checked and their keys never shown") {
  auto ok = bs::parse_push_url("rtmp://live-push.bilivideo.com/live-bvc/secret-key-123");
  REQUIRE(ok);
  CHECK(ok->display.find("secret-key-123") == std::string::npos);
  CHECK(ok->display.find("live-push.bilivideo.com/live-bvc/") != std::string::npos);
  CHECK(bs::parse_push_url("rtmps://a.example.com:443/app/key"));
  for (const char* url :
       {"http://a/b/c", "rtmp://", "rtmp://host/app", "rtmp://host/app/", "rtmp://host:0/app/key",
        "rtmp://ho st/app/key", "rtmp:///app/key", "rtmp://host/app/secret-key/"}) {
    INFO(url);
    auto bad = bs::parse_push_url(url);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "push_url_invalid");
  }
  auto bad_key = bs::parse_push_url("rtmp://host:99999/app/topsecret");
  REQUIRE_FALSE(bad_key);
  CHECK(bad_key.error().message.find("topsecret") == std::string::npos);
  // A slash after the key: refused, the key still hidden.
  auto slash_after_key = bs::parse_push_url("rtmp://host/app/topsecret/");
  REQUIRE_FALSE(slash_after_key);
  CHECK(slash_after_key.error().message.find("topsecret") == std::string::npos);
}

TEST_CASE("text is escaped for Pango markup and made valid UTF-8") {
  CHECK(bs::escape_markup("<span size=\"900000\">x</span>") ==
        "&lt;span size=&quot;900000&quot;&gt;x&lt;/span&gt;");
  CHECK(bs::escape_markup("A & B") == "A &amp; B");
  CHECK(bs::escape_markup("\xE5\xBC\xA0*") == "\xE5\xBC\xA0*");
  CHECK(bs::escape_markup("bad\xFF") == "bad\xEF\xBF\xBD");
}

TEST_CASE("QR codes encode the viewer URL") {
  auto code = bs::encode_qr("https://live.example.org/room/main?campaign=7");
  REQUIRE(code);
  CHECK(code->size >= 21);
  CHECK(code->at(0, 0));  // the finder pattern's corner is dark
  CHECK_FALSE(bs::encode_qr(""));
}

TEST_CASE("the master playlist lists every rendition with bandwidth and resolution") {
  std::string text = bs::master_playlist(bs::default_ladder(), 30, 128);
  CHECK(text.starts_with("#EXTM3U\n"));
  CHECK(text.find("BANDWIDTH=2890800,AVERAGE-BANDWIDTH=2628000,RESOLUTION=1280x720") !=
        std::string::npos);
  CHECK(text.find("RESOLUTION=640x360") != std::string::npos);
  CHECK(text.find("CODECS=\"avc1.4d401f,mp4a.40.2\"\n720p/index.m3u8\n") != std::string::npos);
  CHECK(text.find("CODECS=\"avc1.4d401e,mp4a.40.2\"\n360p/index.m3u8\n") != std::string::npos);
}

TEST_CASE("studio configuration is checked before anything starts") {
  bs::test::TempDir dir;
  auto config = bs::test::test_config(dir, "main");
  CHECK(bs::validate(config));
  auto bad_room = config;
  bad_room.room = "../etc";
  CHECK(bs::validate(bad_room).error().code == "config_invalid");
  auto bad_segment = config;
  bad_segment.segment_seconds = 0;
  CHECK(bs::validate(bad_segment).error().code == "config_invalid");
  auto bad_gops = config;
  bad_gops.gops_per_segment = 7;
  CHECK(bs::validate(bad_gops).error().code == "config_invalid");
  auto bad_source = config;
  bad_source.source = "srt://:nope";
  CHECK(bs::validate(bad_source).error().code == "source_invalid");
  auto bad_push = config;
  bad_push.push_targets = {"ftp://x/y/z"};
  CHECK(bs::validate(bad_push).error().code == "push_url_invalid");
  CHECK(bs::parse_scene("slides") == bs::Scene::kSlides);
  CHECK_FALSE(bs::parse_scene("party"));
  CHECK(bs::scene_name(bs::Scene::kSlate) == "slate");
}

TEST_CASE("recordings are listed newest first for the replay library") {
  bs::test::TempDir dir;
  for (const char* name : {"main-20261101T080000Z.mkv", "first-aid-20261103T190000Z.mkv",
                           "main-20261103T190000Z-1.mkv", "notes.txt", "random.mkv"}) {
    std::ofstream(dir.path() + "/" + name) << "x";
  }
  // A replay folder is listed once its master playlist and a first segment are there.
  std::string replay = dir.path() + "/first-aid-20261104T190000Z";
  std::filesystem::create_directories(replay + "/720p");
  std::ofstream(replay + "/master.m3u8")
      << "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n720p/index.m3u8\n";
  std::ofstream(replay + "/720p/index.m3u8")
      << "#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:1.000,\nsegment00000.ts\n"
         "#EXTINF:0.500,\nsegment00001.ts\n";
  std::filesystem::create_directories(dir.path() + "/main-20261105T190000Z/720p");  // half made
  auto list = bs::list_recordings(dir.path());
  REQUIRE(list.size() == 4);
  CHECK(list[0].name == "first-aid-20261104T190000Z");
  CHECK(list[0].hls);
  CHECK_FALSE(list[0].ended);
  CHECK(list[0].segments == 2);
  CHECK(list[0].seconds == Approx(1.5));
  CHECK(list[0].first_rendition == "720p");
  CHECK(list[0].download.empty());
  CHECK(list[1].started_utc == "2026-11-03T19:00:00Z");
  CHECK(list[3].name == "main-20261101T080000Z.mkv");
  CHECK(list[3].download == "main-20261101T080000Z.mkv");
  CHECK(list[3].room == "main");
  CHECK_FALSE(list[3].hls);
  bool found_room = false;
  for (const auto& r : list) {
    found_room |= r.room == "first-aid";
  }
  CHECK(found_room);
  CHECK(bs::list_recordings(dir.path() + "/missing").empty());
  CHECK(bs::recording_name("main").starts_with("main-20"));
  CHECK(bs::recording_name("main", 2).ends_with("Z-2"));
  CHECK(bs::parse_recording_name("main-20261101T080000Z")->hls);
  CHECK_FALSE(bs::parse_recording_name("main-20261101T080000Z.mp4"));
  CHECK_FALSE(bs::parse_recording_name("../main-20261101T080000Z"));
  CHECK_FALSE(bs::parse_recording_name("main-20261101T080000Z-x"));
}
