// Bad input: a camera that is not there, a file that cannot be read or ends, malformed URLs, an
// RTMP target that refuses. Each is a clear error naming the input or output; HLS goes on.
#include <catch2/catch.hpp>
#include <fstream>

#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;
using Kind = bs::StudioEvent::Kind;

namespace {

const bs::InputHealth* camera(const bs::StudioHealth& h) {
  for (const auto& i : h.inputs) {
    if (i.name == "camera") {
      return &i;
    }
  }
  return nullptr;
}

const bs::OutputHealth* output(const bs::StudioHealth& h, const std::string& id) {
  for (const auto& o : h.outputs) {
    if (o.id == id) {
      return &o;
    }
  }
  return nullptr;
}

// HLS still advances by a few segments.
void check_hls_goes_on(bs::Studio& studio) {
  auto now = bt::read_media_playlist(studio.room_dir() + "/720p/index.m3u8");
  REQUIRE(now);
  CHECK(bt::wait_for_sequence(studio, "720p", now->media_sequence + 2, 30s));
}

}  // namespace

TEST_CASE("malformed sources and push targets are refused before anything starts") {
  bt::TempDir dir;
  auto config = bt::test_config(dir, "bad");
  config.source = "srt://:port";
  auto studio = bs::Studio::create(config);
  REQUIRE_FALSE(studio);
  CHECK(studio.error().code == "source_invalid");
  CHECK(studio.error().message.find("srt://:port") != std::string::npos);

  config.source = "rtmp://host-only";
  studio = bs::Studio::create(config);
  REQUIRE_FALSE(studio);
  CHECK(studio.error().message.find("rtmp://host-only") != std::string::npos);

  config.source = "test";
  config.push_targets = {"rtmp://127.0.0.1/app"};
  studio = bs::Studio::create(config);
  REQUIRE_FALSE(studio);
  CHECK(studio.error().code == "push_url_invalid");
}

TEST_CASE("a missing camera gives a named error and the slate while HLS goes on") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "nocam");
  config.source = "v4l2:/dev/video-boai-missing";
  auto studio = bt::start_studio(config, log);
  REQUIRE(bt::wait_for_sequence(*studio, "720p", 1, 30s));
  CHECK(studio->on_air() == bs::Scene::kSlate);
  const bs::StudioEvent* lost = log.find(Kind::kInputLost, "camera");
  REQUIRE(lost != nullptr);
  CHECK(lost->code == "source_unavailable");
  CHECK(lost->message.find("/dev/video-boai-missing") != std::string::npos);
  auto health = studio->health();
  REQUIRE(camera(health) != nullptr);
  CHECK(camera(health)->last_error.find("/dev/video-boai-missing") != std::string::npos);
  check_hls_goes_on(*studio);

  // A malformed replacement is refused and changes nothing; a good one brings the picture back.
  auto refused = studio->switch_source("srt://:99999");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == "source_invalid");
  CHECK(refused.error().message.find("srt://:99999") != std::string::npos);
  REQUIRE(studio->switch_source("test"));
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 20s));
}

TEST_CASE("files that cannot be read or that end put the slate on air with the file named") {
  bt::TempDir dir;
  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "files"), log);
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 20s));

  auto missing = studio->switch_source("file:" + dir.path() + "/no-such-class.mp4");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("no-such-class.mp4") != std::string::npos);
  CHECK(studio->on_air() == bs::Scene::kSlate);

  // Bytes that are no media at all: the decoder gives up, and says which file.
  std::string garbage = dir.path() + "/garbage.mp4";
  {
    std::ofstream out(garbage, std::ios::binary);
    for (int i = 0; i < 100000; ++i) {
      out.put(static_cast<char>((i * 7919) % 251));
    }
  }
  log.events.clear();
  REQUIRE(studio->switch_source("file:" + garbage));
  REQUIRE(bt::run_loop_until([&] { return log.find(Kind::kInputLost, "camera") != nullptr; }, 20s));
  CHECK(log.find(Kind::kInputLost, "camera")->message.find("garbage.mp4") != std::string::npos);
  CHECK(studio->on_air() == bs::Scene::kSlate);

  // A short clip plays, ends, and the slate follows.
  std::string clip = dir.path() + "/clip.mkv";
  int rc = 0;
  bt::run_command(
      "gst-launch-1.0 -q videotestsrc num-buffers=60 pattern=ball ! "
      "video/x-raw,width=320,height=240,framerate=30/1 ! x264enc speed-preset=ultrafast ! "
      "matroskamux ! filesink location=" +
          clip,
      &rc);
  REQUIRE(rc == 0);
  log.events.clear();
  REQUIRE(studio->switch_source("file:" + clip));
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 20s));
  REQUIRE(bt::run_loop_until([&] { return log.find(Kind::kInputLost, "camera") != nullptr; }, 20s));
  CHECK(log.find(Kind::kInputLost, "camera")->code == "source_ended");
  CHECK(studio->on_air() == bs::Scene::kSlate);
  CHECK(bt::input_state(*studio, "camera") == "ended");
  check_hls_goes_on(*studio);
}

TEST_CASE("an RTMP target that refuses is retried alone and named without its key") {
  bt::TempDir dir;
  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "push"), log);
  REQUIRE(bt::wait_for_sequence(*studio, "720p", 1, 30s));

  std::uint16_t port = bt::closed_tcp_port();
  auto id = studio->add_push_target("rtmp://127.0.0.1:" + std::to_string(port) +
                                    "/live/secret-stream-key");
  REQUIRE(id);
  REQUIRE(bt::run_loop_until([&] { return log.find(Kind::kOutputFailed, *id) != nullptr; }, 30s));
  const bs::StudioEvent* failed = log.find(Kind::kOutputFailed, *id);
  CHECK(failed->code == "push_failed");
  CHECK(failed->message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  CHECK(failed->message.find("secret-stream-key") == std::string::npos);

  // Retried with back-off while HLS and the recording go on.
  REQUIRE(bt::run_loop_until(
      [&] {
        auto now = studio->health();
        auto o = output(now, *id);
        return o != nullptr && o->retries >= 2;
      },
      30s));
  check_hls_goes_on(*studio);
  auto health = studio->health();
  CHECK(output(health, *id)->state != "live");
  CHECK(output(health, *id)->target.find("secret-stream-key") == std::string::npos);
  CHECK(output(health, "recording")->state == "live");
  CHECK(output(health, "hls")->state == "live");

  auto bad = studio->add_push_target("rtmp://127.0.0.1/app");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == "push_url_invalid");
  REQUIRE(studio->remove_push_target(*id));
  auto after = studio->health();
  CHECK(output(after, *id) == nullptr);
  CHECK_FALSE(studio->remove_push_target(*id));
}
