// The overlay drawn off the pipeline: which layers appear, and markup shown as characters.
#include "stream/overlay_renderer.hpp"

#include <catch2/catch.hpp>

#include "stream/overlay_blend.hpp"

namespace bs = boai::stream;
using namespace std::chrono_literals;

namespace {

const bs::OverlayLayer* find(const std::vector<bs::OverlayLayer>& layers, const char* name) {
  for (const auto& l : layers) {
    if (l.name == name) {
      return &l;
    }
  }
  return nullptr;
}

// Opaque-enough light pixels: drawn text (the panels are dark).
int ink(const bs::OverlayLayer& layer) {
  int count = 0;
  for (size_t i = 0; i + 3 < layer.pixels.size(); i += 4) {
    if (layer.pixels[i] > 200 && layer.pixels[i + 1] > 200 && layer.pixels[i + 2] > 200) {
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("every part of the overlay state gets its layer") {
  bs::OverlayRenderer renderer(1280, 720);
  auto now = std::chrono::system_clock::now();
  CHECK(renderer.render(bs::OverlayState{}, false, now).empty());

  bs::OverlayState s;
  s.campaign_title = "\xE6\x80\xA5\xE6\x95\x91\xE8\xAF\xBE\xE5\xA0\x82";
  s.goal_fen = 1'000'000;
  s.raised_fen = 2'000'000;  // over the goal: the bar stops at full
  s.settled_fen = 500'000;
  s.ticker = {{"\xE5\xBC\xA0*", 5000, "hi"}};
  s.alert = bs::Alert{"\xE6\x84\x9F\xE8\xB0\xA2 \xE5\xBC\xA0*", now + 3s};
  s.lower_third = bs::LowerThird{"Wang", "Trainer"};
  s.featured = bs::FeaturedCard{"AED", "for the school", 880000};
  s.qr_url = "https://live.example.org/";
  s.certificate_line = "cert 123";
  auto layers = renderer.render(s, true, now);
  for (const char* name : {"title", "ticker", "alert", "lower_third", "featured", "qr", "slate"}) {
    INFO(name);
    const bs::OverlayLayer* layer = find(layers, name);
    REQUIRE(layer != nullptr);
    CHECK(layer->x + layer->width <= 1280);
    CHECK(layer->y + layer->height <= 720);
    CHECK(layer->pixels.size() == static_cast<size_t>(layer->width * layer->height * 4));
    CHECK(ink(*layer) > 0);
  }
  // The alert is gone once its time has passed; a hidden QR code is not drawn.
  s.qr_visible = false;
  auto later = renderer.render(s, false, now + 4s);
  CHECK(find(later, "alert") == nullptr);
  CHECK(find(later, "qr") == nullptr);
  CHECK(find(later, "slate") == nullptr);
}

TEST_CASE("markup in a donor's name is drawn as characters and not obeyed") {
  bs::OverlayRenderer renderer(1280, 720);
  auto now = std::chrono::system_clock::now();
  bs::OverlayState markup;
  markup.ticker = {{"<span size=\"900000\">x</span>", 100, "<b>hi</b>"}};
  bs::OverlayState brackets;
  brackets.ticker = {{"[span size=\"900000\"]x[/span]", 100, "[b]hi[/b]"}};
  auto a = renderer.render(markup, false, now);
  auto b = renderer.render(brackets, false, now);
  const bs::OverlayLayer* ta = find(a, "ticker");
  const bs::OverlayLayer* tb = find(b, "ticker");
  REQUIRE(ta != nullptr);
  REQUIRE(tb != nullptr);
  // Obeyed, the span would be one glyph hundreds of pixels high, clipped to a blot or nothing;
  // as characters it draws about as much ink as the same text with brackets.
  int ink_a = ink(*ta);
  int ink_b = ink(*tb);
  INFO("ink with markup " << ink_a << ", with brackets " << ink_b);
  CHECK(ink_a > ink_b / 2);
  CHECK(ink_a < ink_b * 2);
}

TEST_CASE("layers blend into I420: opaque covers, transparent leaves the picture alone") {
  // A 6x4 layer at an odd position: opaque white on the left half, transparent on the right.
  bs::OverlayLayer layer;
  layer.name = "test";
  layer.x = 3;
  layer.y = 1;
  layer.width = 6;
  layer.height = 4;
  layer.pixels.assign(6 * 4 * 4, 0);
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 3; ++x) {
      for (int c = 0; c < 4; ++c) {
        layer.pixels[(y * 6 + x) * 4 + c] = 255;
      }
    }
  }
  auto planar = bs::to_planar({layer}, 16, 8);
  REQUIRE(planar.size() == 1);
  CHECK(planar[0].x % 2 == 0);
  CHECK(planar[0].y % 2 == 0);
  std::vector<std::uint8_t> y(16 * 8, 100), u(8 * 4, 90), v(8 * 4, 160);
  bs::blend_i420(planar, bs::I420Planes{y.data(), 16, u.data(), 8, v.data(), 8});
  CHECK(y[2 * 16 + 4] == 235);   // white, limited range
  CHECK(y[2 * 16 + 8] == 100);   // transparent part
  CHECK(y[0 * 16 + 4] == 100);   // above the layer
  CHECK(y[2 * 16 + 12] == 100);  // right of it
  CHECK(u[1 * 8 + 2] == 128);    // a fully covered 2x2 block is white's neutral chroma
  CHECK(v[1 * 8 + 2] == 128);
  CHECK(u[1 * 8 + 5] == 90);
}
