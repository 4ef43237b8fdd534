// RTMP push added at runtime reaches a real RTMP listener (ffmpeg -listen) and can be removed.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;
using Kind = bs::StudioEvent::Kind;

TEST_CASE("a push target added at runtime receives H.264 and AAC and can be removed") {
  bt::TempDir dir;
  std::uint16_t port = bt::closed_tcp_port();
  std::string url = "rtmp://127.0.0.1:" + std::to_string(port) + "/live/key-for-test";
  std::string received = dir.path() + "/received.flv";
  // ffmpeg as the platform's ingest: it accepts one publisher and writes what it gets. Until it
  // listens, the push target fails and is retried (1 s, 2 s, 4 s... apart): no sleep for it here.
  bt::Child ingest(
      {"ffmpeg", "-v", "error", "-listen", "1", "-i", url, "-c", "copy", "-f", "flv", received});

  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "push"), log);
  auto id = studio->add_push_target(url);
  REQUIRE(id);
  REQUIRE(bt::run_loop_until([&] { return log.find(Kind::kOutputUp, *id) != nullptr; }, 60s));
  REQUIRE(bt::run_loop_until(
      [&] {
        std::error_code ec;
        return std::filesystem::file_size(received, ec) > 100'000 && !ec;
      },
      30s));
  auto health = studio->health();
  bool live = false;
  for (const auto& o : health.outputs) {
    live |= o.id == *id && o.state == "live" && o.bytes > 0;
  }
  CHECK(live);

  REQUIRE(studio->remove_push_target(*id));
  // The ingest sees the stream end and exits on its own: removed, the push ends its stream. If it
  // has not by the deadline, SIGINT lets it finish the file for the probe below.
  bool ended = ingest.wait_for(20s).has_value();
  if (!ended) {
    ingest.kill(SIGINT);
    ingest.wait();
  }
  CHECK(ended);
  std::string probe =
      bt::run_command("ffprobe -v error -show_entries stream=codec_name,width -of default=nw=1 '" +
                      received + "' 2>&1");
  INFO(probe);
  CHECK(probe.find("codec_name=h264") != std::string::npos);
  CHECK(probe.find("width=1280") != std::string::npos);
  CHECK(probe.find("codec_name=aac") != std::string::npos);
}
