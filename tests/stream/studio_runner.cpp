// A studio in a process of its own, for tests that kill it (a recording must survive SIGKILL) and
// for the benchmark. Runs until killed, or for --seconds, then stops cleanly.
// Usage: studio_runner --hls DIR [--recordings DIR] [--room R] [--source S] [--seconds N]
//                      [--title T] [--preset P] [--gops G] [--segmenter studio|hlssink2]
#include <glib.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "stream/gstreamer_runtime.hpp"
#include "stream/studio.hpp"

namespace bs = boai::stream;

int main(int argc, char** argv) {
  bs::StudioConfig config;
  int seconds = 0;
  std::string title = "\xE6\x80\xA5\xE6\x95\x91\xE8\xAF\xBE\xE5\xA0\x82";  // 急救课堂
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--hls") {
      config.hls_dir = value;
    } else if (flag == "--recordings") {
      config.recordings_dir = value;
    } else if (flag == "--room") {
      config.room = value;
    } else if (flag == "--source") {
      config.source = value;
    } else if (flag == "--seconds") {
      seconds = std::atoi(value.c_str());
    } else if (flag == "--title") {
      title = value;
    } else if (flag == "--gops") {
      config.gops_per_segment = std::atoi(value.c_str());
    } else if (flag == "--preset") {
      config.x264_preset = value;
    } else if (flag == "--segmenter" && (value == "studio" || value == "hlssink2")) {
      config.hls_segmenter =
          value == "studio" ? bs::HlsSegmenter::kStudio : bs::HlsSegmenter::kHlssink2;
    } else {
      std::fprintf(stderr, "studio_runner: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  bs::init_gstreamer();
  GMainLoop* loop = g_main_loop_new(nullptr, FALSE);
  auto studio = bs::Studio::create(config, [&](const bs::StudioEvent& e) {
    std::fprintf(stderr, "event %d %s %s %s\n", static_cast<int>(e.kind), e.subject.c_str(),
                 e.code.c_str(), e.message.c_str());
    if (e.kind == bs::StudioEvent::Kind::kStopped) {
      g_main_loop_quit(loop);
    }
  });
  if (!studio) {
    std::fprintf(stderr, "studio_runner: %s: %s\n", studio.error().code.c_str(),
                 studio.error().message.c_str());
    return 1;
  }
  auto state = std::make_shared<bs::OverlayState>();
  state->campaign_title = title;
  state->goal_fen = 10'000'000;
  state->raised_fen = 4'200'000;
  state->settled_fen = 3'000'000;
  state->ticker = {{"\xE5\xBC\xA0*", 5000, "\xE5\x8A\xA0\xE6\xB2\xB9"},
                   {"\xE6\x9D\x8E*", 20000, ""}};
  state->lower_third =
      bs::LowerThird{"\xE7\x8E\x8B\xE8\x80\x81\xE5\xB8\x88",
                     "\xE6\x80\xA5\xE6\x95\x91\xE5\x9F\xB9\xE8\xAE\xAD\xE5\xB8\x88"};
  state->qr_url = "https://live.example.org/room/main?campaign=1";
  state->certificate_line = "\xE5\x85\xAC\xE5\x8B\x9F\xE8\xB5\x84\xE6\xA0\xBC 53310000MA00000000";
  (*studio)->set_overlay(state);
  if (auto live = (*studio)->go_live(); !live) {
    std::fprintf(stderr, "studio_runner: %s: %s\n", live.error().code.c_str(),
                 live.error().message.c_str());
    return 1;
  }
  std::fprintf(stdout, "recording %s\n", (*studio)->recording_path().c_str());
  std::fflush(stdout);
  if (seconds > 0) {
    g_timeout_add_seconds(
        static_cast<guint>(seconds),
        [](gpointer data) -> gboolean {
          static_cast<bs::Studio*>(data)->stop();
          return G_SOURCE_REMOVE;
        },
        studio->get());
  }
  g_main_loop_run(loop);
  g_main_loop_unref(loop);
  return 0;
}
