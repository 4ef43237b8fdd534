// The overlay in the studio's own frames: a wish's card put on the air shows its bar of gifts at
// the share they raised, and the bar follows a new snapshot.
#include <catch2/catch.hpp>
#include <functional>

#include "stream/overlay_renderer.hpp"
#include "stream/studio.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kTarget = 500'000;  // a wish of 5,000 yuan

bs::OverlayState wish_card(std::int64_t raised_fen) {
  bs::OverlayState s;
  s.featured = bs::FeaturedCard{"AED", "红心愿", std::nullopt,
                                bs::CardProgress{raised_fen, kTarget, "raised", "left"}};
  return s;
}

// Consecutive pixels of the bar's red from x along row y. The first two columns are skipped
// (and counted), as the round cap's edge is blended there.
int red_run(const std::function<bool(int, int)>& red, int x, int y, int width) {
  int run = 2;
  for (int i = x + 2; i < width && red(i, y); ++i) {
    ++run;
  }
  return run > 2 ? run : 0;
}

// Where the renderer draws the card's bar on a 1280x720 frame: the row through its middle, the
// column it starts at, and how far its red reaches.
struct Bar {
  int x = 0;
  int y = 0;
  int red = 0;
};

Bar rendered_bar(std::int64_t raised_fen) {
  bs::OverlayRenderer renderer(1280, 720);
  auto layers = renderer.render(wish_card(raised_fen), false, std::chrono::system_clock::now());
  REQUIRE(layers.size() == 1);
  const bs::OverlayLayer& l = layers[0];
  auto red = [&l](int x, int y) {
    const std::uint8_t* p = l.pixels.data() + (static_cast<size_t>(y) * l.width + x) * 4;
    return p[3] > 250 && p[2] > 180 && p[1] < 50 && p[0] < 60;  // BGRA
  };
  Bar best;
  for (int y = 0; y < l.height; ++y) {
    for (int x = 0; x < l.width; ++x) {
      if (red(x, y)) {
        int run = red_run(red, x, y, l.width);
        if (run > best.red) {
          best = {l.x + x, l.y + y, run};
        }
        break;
      }
    }
  }
  return best;
}

// The same run in a composed frame (RGB, after the I420 round trip).
int frame_red_run(const bs::Frame& frame, const Bar& where) {
  auto red = [&frame](int x, int y) {
    const std::uint8_t* p = frame.pixel(x, y);
    return p[0] > 160 && p[1] < 70 && p[2] < 80;
  };
  return red_run(red, where.x, where.y, frame.width);
}

}  // namespace

TEST_CASE("a frame after featuring a wish's card shows its bar at the share its gifts raised") {
  Bar part = rendered_bar(150'000);  // 30%
  Bar full = rendered_bar(kTarget);
  REQUIRE(part.red > 0);
  REQUIRE(full.red > part.red * 3);

  bt::TempDir dir;
  bt::EventLog log;
  auto studio = bt::start_studio(bt::test_config(dir, "card"), log);
  REQUIRE(bt::wait_on_air(*studio, bs::Scene::kCamera, 20s));
  auto before = bt::fresh_frame(*studio);
  REQUIRE(before);
  REQUIRE(before->width == 1280);
  CHECK(frame_red_run(*before, part) == 0);

  // Frames are read back until one shows the bar as drawn: a condition, not a pause.
  auto shows = [&](const Bar& bar) {
    int seen = -1;
    bool shown = bt::run_loop_until(
        [&] {
          auto frame = studio->last_frame();
          seen = frame ? frame_red_run(*frame, bar) : -1;
          return std::abs(seen - bar.red) <= 4;
        },
        20s);
    INFO("the bar's red reaches " << seen << " pixels in the frame, " << bar.red << " drawn");
    CHECK(shown);
  };
  studio->set_overlay(std::make_shared<const bs::OverlayState>(wish_card(150'000)));
  shows(part);
  studio->set_overlay(std::make_shared<const bs::OverlayState>(wish_card(kTarget)));
  shows(full);
}
