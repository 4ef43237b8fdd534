// The studio on the test source: HLS ladder, master playlist, decodable segments, the overlay in
// the frames, and scene switches that keep the segments coming.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

#include "stream/recordings.hpp"
#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;
using Kind = bs::StudioEvent::Kind;

namespace {

struct Probe {
  int width = 0;
  int frames = 0;
  double duration = 0;
  bool audio = false;
};

// Decodes every frame with ffprobe.
Probe probe_segment(const std::string& path) {
  std::string out = bt::run_command(
      "ffprobe -v error -count_frames -show_entries stream=codec_type,width,nb_read_frames "
      "-show_entries format=duration -of default=nw=1 '" +
      path + "' 2>&1");
  Probe p;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("width=")) {
      p.width = std::atoi(line.c_str() + 6);
    }
    if (line.starts_with("nb_read_frames=") && p.frames == 0) {
      p.frames = std::atoi(line.c_str() + 15);
    }
    if (line.starts_with("duration=")) {
      p.duration = std::atof(line.c_str() + 9);
    }
    if (line == "codec_type=audio") {
      p.audio = true;
    }
  }
  return p;
}

// Somewhere the overlay never draws with the states below: the middle of the test pattern.
constexpr bt::Rect kPicture{300, 260, 600, 180};

}  // namespace

TEST_CASE("the test source goes live with master and media playlists and decodable segments") {
  bt::TempDir dir;
  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "main"), log);

  std::string master = bt::read_text(studio->room_dir() + "/master.m3u8");
  CHECK(master.find("RESOLUTION=1280x720") != std::string::npos);
  CHECK(master.find("RESOLUTION=640x360") != std::string::npos);
  CHECK(master.find("720p/index.m3u8") != std::string::npos);
  CHECK(master.find("360p/index.m3u8") != std::string::npos);
  CHECK(master.find("CODECS=\"avc1.") != std::string::npos);

  auto first = bt::wait_for_sequence(*studio, "720p", 1, 30s);
  REQUIRE(first);
  REQUIRE(bt::wait_for_sequence(*studio, "360p", 1, 30s));
  auto later = bt::wait_for_sequence(*studio, "720p", first->media_sequence + 3, 30s);
  REQUIRE(later);
  CHECK(later->segments.back() != first->segments.back());
  CHECK_FALSE(later->discontinuity);
  CHECK(later->segments.size() == 5);

  for (const char* rendition : {"720p", "360p"}) {
    auto playlist = bt::read_media_playlist(studio->room_dir() + "/" + rendition + "/index.m3u8");
    REQUIRE(playlist);
    for (double d : playlist->durations) {
      CHECK(d == Approx(1.0).margin(0.25));
    }
    // A segment in the middle of the playlist: complete, decodable, about a second long.
    // hlssink2 rewrites the playlist in place, so a read can rarely catch it half-written:
    // read it again rather than probe a name from a torn read.
    Probe p;
    for (int attempt = 0; attempt < 5 && p.width == 0; ++attempt) {
      auto fresh = bt::read_media_playlist(studio->room_dir() + "/" + rendition + "/index.m3u8");
      if (!fresh || fresh->segments.size() < 2) {
        continue;
      }
      p = probe_segment(studio->room_dir() + "/" + rendition + "/" + fresh->segments[1]);
    }
    INFO(rendition);
    CHECK(p.width == (std::string(rendition) == "720p" ? 1280 : 640));
    CHECK(p.frames >= 24);
    CHECK(p.frames <= 36);
    CHECK(p.duration == Approx(1.0).margin(0.25));
    CHECK(p.audio);
    // The sliding window: segments older than the kept ones are deleted from disk, and their
    // low-latency parts with them.
    size_t on_disk = 0;
    size_t parts = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(studio->room_dir() + "/" + rendition)) {
      if (entry.path().extension() == ".ts") {
        ++(entry.path().filename().string().find(".part") == std::string::npos ? on_disk : parts);
      }
    }
    CHECK(on_disk <= 11);
    CHECK(parts <= 11 * 3);
  }

  bs::StudioHealth health = studio->health();
  CHECK(health.live);
  CHECK(health.on_air == bs::Scene::kCamera);
  CHECK(health.fps > 0);
  REQUIRE(health.renditions.size() == 2);
  CHECK(health.renditions[0].bitrate_bps > 0);
  CHECK(health.inputs.at(0).state == "up");
  bool recording_live = false;
  std::string outputs;
  for (const auto& o : health.outputs) {
    outputs += o.id + " " + o.state + " " + std::to_string(o.bytes) + " " + o.last_error + "; ";
    recording_live |= o.id == "recording" && o.state == "live";
  }
  INFO(outputs);
  CHECK(recording_live);
  CHECK(log.find(Kind::kInputUp, "camera") != nullptr);

  auto png = studio->snapshot_png();
  REQUIRE(png);
  REQUIRE(png->size() > 8);
  CHECK((*png)[1] == 'P');

  studio->stop();
  REQUIRE(bt::run_loop_until([&] { return !studio->live(); }, 15s));
  CHECK(log.find(Kind::kStopped) != nullptr);
  auto ended = bt::read_media_playlist(studio->room_dir() + "/720p/index.m3u8");
  REQUIRE(ended);
  CHECK(ended->ended);
  auto recordings = bs::list_recordings(dir.path() + "/recordings");
  REQUIRE(recordings.size() == 1);
  CHECK(recordings[0].room == "main");
  CHECK(recordings[0].hls);
  CHECK(recordings[0].ended);
  CHECK(recordings[0].path == studio->recording_path());
  CHECK(recordings[0].size_bytes > 0);
}

TEST_CASE("a frame after an overlay change shows the new text and markup stays literal") {
  bt::TempDir dir;
  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "overlay"), log);
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 20s));

  auto a = std::make_shared<bs::OverlayState>();
  a->campaign_title = "\xE6\x80\xA5\xE6\x95\x91\xE8\xAF\xBE\xE5\xA0\x82 A";  // 急救课堂 A
  a->ticker = {{"\xE5\xBC\xA0*", "¥50.00", "\xE5\x8A\xA0\xE6\xB2\xB9"}};
  studio->set_overlay(a);
  auto frame_a = bt::steady_frame(*studio, kPicture);
  REQUIRE(frame_a);
  REQUIRE(frame_a->width == 1280);

  auto b = std::make_shared<bs::OverlayState>(*a);
  b->campaign_title = "\xE7\x88\xB1\xE5\xBF\x83\xE7\x89\xB9\xE5\x8D\x96 WWWW";  // 爱心特卖 WWWW
  studio->set_overlay(b);
  // Within the timeout only if the overlay leaves the picture alone.
  auto frame_b = bt::fresh_frame_matching(*studio, *frame_a, kPicture);
  REQUIRE(frame_b);

  auto title = bt::layer_rect(*a, false, "title");
  REQUIRE(title);
  CHECK(bt::mean_difference(*frame_a, *frame_b, *title) > 2.0);
  auto ticker = bt::layer_rect(*a, false, "ticker");
  REQUIRE(ticker);
  CHECK(bt::mean_difference(*frame_a, *frame_b, *ticker) < 1.0);
  // The title box is a dark panel with light text over the test pattern.
  CHECK(bt::bright_pixels(*frame_b, *title) > 100);

  // A name written as markup is drawn as its characters: about as much ink as the same text
  // with brackets, and nothing outside the ticker changes.
  auto markup = std::make_shared<bs::OverlayState>(*b);
  markup->ticker = {{"<span size=\"900000\">x</span>", "1.00", "<b>hi</b>"}};
  studio->set_overlay(markup);
  auto frame_markup = bt::fresh_frame_matching(*studio, *frame_a, kPicture);
  auto brackets = std::make_shared<bs::OverlayState>(*b);
  brackets->ticker = {{"[span size=\"900000\"]x[/span]", "1.00", "[b]hi[/b]"}};
  studio->set_overlay(brackets);
  auto frame_brackets = bt::fresh_frame_matching(*studio, *frame_a, kPicture);
  REQUIRE(frame_markup);
  REQUIRE(frame_brackets);
  bt::Rect text{ticker->x + 150, ticker->y, ticker->width - 150, ticker->height};
  int ink_markup = bt::bright_pixels(*frame_markup, text);
  int ink_brackets = bt::bright_pixels(*frame_brackets, text);
  INFO("ink with markup " << ink_markup << ", with brackets " << ink_brackets);
  CHECK(ink_markup > ink_brackets / 2);
  CHECK(ink_markup < ink_brackets * 2);
  CHECK(bt::mean_difference(*frame_markup, *frame_brackets, *title) < 1.0);

  // An alert shows until it expires, then goes. Shown: one that lasts an hour, so that no busy
  // machine can let it expire before a frame is composed.
  auto alert = std::make_shared<bs::OverlayState>(*b);
  alert->alert = bs::Alert{
      "\xE6\x84\x9F\xE8\xB0\xA2 \xE5\xBC\xA0* \xC2\xA5"
      "50.00",
      std::chrono::system_clock::now() + 1h};
  studio->set_overlay(alert);
  auto frame_alert = bt::fresh_frame_matching(*studio, *frame_a, kPicture);
  REQUIRE(frame_alert);
  auto alert_rect = bt::layer_rect(*alert, false, "alert");
  REQUIRE(alert_rect);
  CHECK(bt::mean_difference(*frame_b, *frame_alert, *alert_rect) > 10.0);
  // Gone: the same alert expiring in a second leaves the frames as they were without it, within
  // a deadline generous for any machine.
  auto expiring = std::make_shared<bs::OverlayState>(*alert);
  expiring->alert->until = std::chrono::system_clock::now() + 1s;
  studio->set_overlay(expiring);
  auto frame_after = bt::fresh_frame_matching(*studio, *frame_b, *alert_rect);
  INFO("on air: " << bs::scene_name(studio->on_air()));
  REQUIRE(frame_after);
  CHECK(bt::mean_difference(*frame_b, *frame_after, *alert_rect) < 1.0);
}

TEST_CASE("scene switches mid-stream keep segments coming without a gap") {
  bt::TempDir dir;
  // Two slides: a red one and a blue one, written by GStreamer itself.
  std::string slides = dir.path() + "/slides";
  std::filesystem::create_directories(slides);
  int status = 0;
  bt::run_command(
      "gst-launch-1.0 -q videotestsrc pattern=red num-buffers=1 ! "
      "video/x-raw,width=320,height=180 ! videoconvert ! pngenc ! filesink location=" +
          slides +
          "/01-red.png && "
          "gst-launch-1.0 -q videotestsrc pattern=blue num-buffers=1 ! "
          "video/x-raw,width=320,height=180 ! videoconvert ! jpegenc ! "
          "filesink location=" +
          slides + "/02-blue.jpg",
      &status);
  REQUIRE(status == 0);

  bt::EventLog log;
  auto config = bt::test_config(dir, "scenes");
  config.slides_dir = slides;
  auto studio = bt::start_studio(config, log);
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 20s));
  auto start = bt::wait_for_sequence(*studio, "720p", 1, 30s);
  REQUIRE(start);

  // Every segment name seen in the 720p playlist while the scenes change, read between frames.
  std::string playlist = studio->room_dir() + "/720p/index.m3u8";
  std::set<int> seen;
  bool discontinuity = false;
  std::int64_t sequence = start->media_sequence;
  auto look = [&] {
    if (auto p = bt::read_media_playlist(playlist)) {
      for (const auto& s : p->segments) {
        seen.insert(bt::segment_number(s));
      }
      discontinuity |= p->discontinuity;
      sequence = std::max(sequence, p->media_sequence);
    }
  };
  // A fresh frame once `shows` holds for it (a scene's picture takes a few frames to arrive), or
  // the last one tried when it never does: the checks after it say what was wrong.
  auto frame_showing = [&](const std::function<bool(const bs::Frame&)>& shows) {
    std::optional<bs::Frame> frame;
    bt::run_loop_until(
        [&] {
          look();
          frame = bt::fresh_frame(*studio);
          return frame && shows(*frame);
        },
        20s);
    look();
    return frame;
  };
  auto centre_red = [](const bs::Frame& f) {
    const std::uint8_t* c = f.pixel(640, 360);
    return c[0] > 200 && c[1] < 60 && c[2] < 60;
  };
  auto centre_blue = [](const bs::Frame& f) {
    const std::uint8_t* c = f.pixel(640, 360);
    return c[2] > 200 && c[0] < 60;
  };

  auto camera = bt::fresh_frame(*studio);
  REQUIRE(camera);
  studio->switch_scene(bs::Scene::kSlides);
  CHECK(studio->on_air() == bs::Scene::kSlides);
  auto red = frame_showing(centre_red);
  REQUIRE(red);
  const std::uint8_t* p = red->pixel(640, 360);
  CHECK(p[0] > 200);
  CHECK(p[1] < 60);
  CHECK(p[2] < 60);
  // The camera in picture-in-picture, bottom right.
  CHECK(bt::mean_difference(*red, *camera, bt::Rect{960, 520, 200, 100}) > 20);

  REQUIRE(studio->next_slide());
  CHECK_FALSE(studio->next_slide());
  auto blue = frame_showing(centre_blue);
  REQUIRE(blue);
  p = blue->pixel(640, 360);
  CHECK(p[2] > 200);
  CHECK(p[0] < 60);
  REQUIRE(studio->previous_slide());
  CHECK(studio->slide_index() == 0);

  studio->switch_scene(bs::Scene::kSlate);
  CHECK(studio->on_air() == bs::Scene::kSlate);
  auto slate_rect = bt::layer_rect(bs::OverlayState{}, true, "slate");
  REQUIRE(slate_rect);
  auto slate = frame_showing(
      [&](const bs::Frame& f) { return bt::mean_difference(*camera, f, *slate_rect) > 20; });
  REQUIRE(slate);
  CHECK(bt::mean_difference(*camera, *slate, *slate_rect) > 20);

  studio->switch_scene(bs::Scene::kCamera);
  auto back = frame_showing(
      [&](const bs::Frame& f) { return bt::mean_difference(*camera, f, kPicture) < 1.0; });
  REQUIRE(back);
  CHECK(bt::mean_difference(*camera, *back, kPicture) < 1.0);

  // Segments went on through all of it: five at least, and the window moved on by five.
  bool went_on = bt::run_loop_until(
      [&] {
        look();
        return seen.size() >= 5 && sequence >= start->media_sequence + 5;
      },
      60s);
  INFO(seen.size() << " segments seen, media sequence " << start->media_sequence << " to "
                   << sequence);
  CHECK(went_on);
  REQUIRE(seen.size() >= 5);
  // Numbering continuous from the first segment seen to the last: no gap, no restart.
  CHECK(*seen.rbegin() - *seen.begin() + 1 == static_cast<int>(seen.size()));
  CHECK_FALSE(discontinuity);
  auto end = bt::read_media_playlist(studio->room_dir() + "/720p/index.m3u8");
  REQUIRE(end);
  CHECK(end->media_sequence >= start->media_sequence + 5);
  CHECK(log.find(Kind::kSceneChanged, "slides") != nullptr);
  CHECK(log.find(Kind::kSceneChanged, "slate") != nullptr);
}

TEST_CASE("overlay snapshots swapped from another thread at full speed never stop the frames") {
  bt::TempDir dir;
  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "swap"), log);
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 20s));
  auto start = bt::wait_for_sequence(*studio, "720p", 1, 30s);
  REQUIRE(start);
  std::atomic<bool> done{false};
  std::atomic<int> swaps{0};
  std::thread writer([&] {
    while (!done.load()) {
      auto s = std::make_shared<bs::OverlayState>();
      s->campaign_title = "swap " + std::to_string(swaps.load());
      s->ticker = {{"\xE7\x8E\x8B*", std::to_string(swaps.load()), "\xE5\x8A\xA0\xE6\xB2\xB9"}};
      studio->set_overlay(std::move(s));
      swaps.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  // Frames keep coming while the swaps go on: until both have piled up, however slowly a busy
  // machine lets either run. The writer stops before any REQUIRE could throw past it.
  std::uint64_t frames = studio->health().frames;
  bool both = bt::run_loop_until(
      [&] { return swaps.load() > 100 && studio->health().frames > frames + 30; }, 60s);
  done.store(true);
  writer.join();
  CHECK(both);
  CHECK(swaps.load() > 100);
  CHECK(studio->health().frames > frames + 30);
  CHECK(bt::wait_for_sequence(*studio, "720p", start->media_sequence + 2, 30s));
  CHECK(studio->overlay()->campaign_title == "swap " + std::to_string(swaps.load() - 1));
}
