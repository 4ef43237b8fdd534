// An SRT publisher comes, goes and comes back: the slate covers the gap and HLS never stops.
#include <signal.h>

#include <catch2/catch.hpp>

#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;
using Kind = bs::StudioEvent::Kind;

namespace {

// gst-launch-1.0 in caller mode, as OBS or a phone app would push: H.264 (parameter sets with
// every key frame) and AAC in MPEG-TS.
std::unique_ptr<bt::Child> publish(std::uint16_t port) {
  std::string uri = "uri=srt://127.0.0.1:" + std::to_string(port) + "?mode=caller";
  return std::make_unique<bt::Child>(std::vector<std::string>{
      "gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "pattern=ball", "!",
      "video/x-raw,width=640,height=360,framerate=30/1", "!", "x264enc", "tune=zerolatency",
      "speed-preset=ultrafast", "key-int-max=15", "!", "h264parse", "config-interval=-1", "!",
      // SRT carries 1316-byte messages: seven TS packets each, as OBS sends them.
      "mpegtsmux", "alignment=7", "name=m", "!", "srtsink", uri, "audiotestsrc", "is-live=true",
      "!", "audioconvert", "!", "voaacenc", "!", "aacparse", "!", "m."});
}

}  // namespace

TEST_CASE("an SRT publisher comes and goes while the slate covers the gap and HLS goes on") {
  bt::TempDir dir;
  bt::EventLog log;
  auto config = bt::test_config(dir, "srt");
  std::uint16_t port = bt::free_udp_port();
  config.source = "srt://127.0.0.1:" + std::to_string(port);
  auto studio = bt::start_studio(config, log);

  // Nobody publishes yet: the listener waits and the slate is on air, with segments coming.
  REQUIRE(bt::wait_for_sequence(*studio, "720p", 1, 30s));
  CHECK(studio->on_air() == bs::Scene::kSlate);
  CHECK(bt::input_state(*studio, "camera") == "waiting");
  auto slate = bt::layer_rect(bs::OverlayState{}, true, "slate");
  REQUIRE(slate);
  auto waiting = bt::fresh_frame(*studio);
  REQUIRE(waiting);

  auto publisher = publish(port);
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 30s));
  CHECK(log.find(Kind::kInputUp, "camera") != nullptr);
  auto camera = bt::fresh_frame(*studio);
  REQUIRE(camera);
  CHECK(bt::mean_difference(*waiting, *camera, *slate) > 20);
  auto before = bt::read_media_playlist(studio->room_dir() + "/720p/index.m3u8");
  REQUIRE(before);

  // The publisher dies without a goodbye.
  publisher->kill(SIGKILL);
  publisher->wait();
  auto gone = std::chrono::steady_clock::now();
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kSlate, 15s));
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - gone).count();
  WARN("slate on air " << seconds << " s after the publisher was killed");
  CHECK(log.find(Kind::kInputLost, "camera") != nullptr);
  auto lost = bt::fresh_frame(*studio);
  REQUIRE(lost);
  // The slate card is a dark red panel in the middle of the picture.
  const std::uint8_t* p = lost->pixel(slate->x + 20, slate->y + slate->height - 20);
  CHECK(p[0] > 100);
  CHECK(p[1] < 60);
  CHECK(p[2] < 60);

  // HLS never stopped: the playlist keeps advancing, numbering continuous, no discontinuity.
  auto during = bt::wait_for_sequence(*studio, "720p", before->media_sequence + 3, 30s);
  REQUIRE(during);
  CHECK_FALSE(during->discontinuity);
  CHECK(bt::segment_number(during->segments.front()) == during->media_sequence);

  // The publisher comes back; so does the camera.
  publisher = publish(port);
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 30s));
  publisher->kill(SIGKILL);
  publisher->wait();
}
