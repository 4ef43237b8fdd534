// The overlay drawn off the pipeline: which layers appear, text big enough to read on a phone,
// the bars' fractions, and markup shown as characters.
#include "stream/overlay_renderer.hpp"

#include <catch2/catch.hpp>
#include <map>

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

// A layer's pixel as cairo wrote it: premultiplied, BGRA bytes.
struct Bgra {
  int b, g, r, a;
};

Bgra at(const bs::OverlayLayer& layer, int x, int y) {
  const std::uint8_t* p = layer.pixels.data() + (static_cast<size_t>(y) * layer.width + x) * 4;
  return {p[0], p[1], p[2], p[3]};
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

// Text's ink, where a glyph covers at least about half a pixel: light grey on the dark and red
// panels, black on the QR code's white one. Neither the bars (pink, red, a faint track) nor the
// panels pass.
bool text_pixel(const bs::OverlayLayer& layer, int x, int y) {
  Bgra p = at(layer, x, y);
  int low = std::min({p.r, p.g, p.b}), high = std::max({p.r, p.g, p.b});
  if (layer.name == "qr") {
    return p.a > 200 && high < 128;
  }
  return p.a > 200 && low >= 128 && high - low < 48;
}

// The lines of text a layer shows, as the rows their ink spans: each band of consecutive rows
// holding some ink is one line, and its height is the line's glyph height in frame pixels.
struct Band {
  int top = 0;
  int height = 0;
};

std::vector<Band> text_lines(const bs::OverlayLayer& layer) {
  std::vector<Band> bands;
  bool in_band = false;
  for (int y = 0; y < layer.height; ++y) {
    bool inked = false;
    for (int x = 0; x < layer.width && !inked; ++x) {
      inked = text_pixel(layer, x, y);
    }
    if (inked && !in_band) {
      bands.push_back({y, 0});
    }
    if (inked) {
      ++bands.back().height;
    }
    in_band = inked;
  }
  return bands;
}

bool bar_red(Bgra p) {  // the Red Cross red of settled money and a wish's gifts, opaque
  return p.a > 250 && p.r > 180 && p.r < 230 && p.g < 50 && p.b < 60;
}

bool bar_pink(Bgra p) {  // pledged money not yet settled
  return p.a > 250 && p.r > 220 && p.g > 120 && p.g < 160 && p.b > 130 && p.b < 170;
}

// The longest run of `colour` along any row of the layer: how far that part of a bar reaches.
template <typename Colour>
int longest_run(const bs::OverlayLayer& layer, Colour colour) {
  int best = 0;
  for (int y = 0; y < layer.height; ++y) {
    int run = 0;
    for (int x = 0; x < layer.width; ++x) {
      run = colour(at(layer, x, y)) ? run + 1 : 0;
      best = std::max(best, run);
    }
  }
  return best;
}

// Rows in which `colour` runs at least `length` pixels: the bar's thickness.
template <typename Colour>
int rows_with_run(const bs::OverlayLayer& layer, Colour colour, int length) {
  int rows = 0;
  for (int y = 0; y < layer.height; ++y) {
    int run = 0, best = 0;
    for (int x = 0; x < layer.width; ++x) {
      run = colour(at(layer, x, y)) ? run + 1 : 0;
      best = std::max(best, run);
    }
    rows += best >= length ? 1 : 0;
  }
  return rows;
}

// Everything the overlay can show, in Chinese as viewers read it.
bs::OverlayState full_state(std::chrono::system_clock::time_point now) {
  bs::OverlayState s;
  s.campaign_title = "急救课堂";
  s.certificate_line = "公募资格 53310000MA00000000";
  s.goal_fen = 10'000'000;
  s.raised_fen = 4'200'000;
  s.settled_fen = 3'000'000;
  s.goal_text = "¥100,000.00";
  s.raised_text = "¥42,000.00";
  s.settled_text = "¥30,000.00";
  s.ticker = {{"张*", "¥50.00", "加油"}, {"李*", "¥200.00", ""}};
  s.alert = bs::Alert{"感谢 张* 爱心捐赠 ¥50.00", now + 3s};
  s.lower_third = bs::LowerThird{"王老师", "急救培训师"};
  s.featured = bs::FeaturedCard{"社区 AED", "红心愿 · 目标 ¥5,000.00", std::nullopt,
                                bs::CardProgress{150'000, 500'000, "¥1,500.00", "¥3,500.00"}};
  s.qr_url = "https://live.example.org/r/main?campaign=1";
  return s;
}

// A wish's card alone, its gifts at `raised_fen` of 5,000 yuan.
bs::OverlayState wish_card(std::int64_t raised_fen) {
  bs::OverlayState s;
  s.featured = bs::FeaturedCard{"AED", "红心愿", std::nullopt,
                                bs::CardProgress{raised_fen, 500'000, "¥1.00", "¥2.00"}};
  return s;
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
  s.goal_text = "10,000.00";
  s.raised_text = "20,000.00";
  s.settled_text = "5,000.00";
  s.ticker = {{"\xE5\xBC\xA0*", "¥50.00", "hi"}};
  s.alert = bs::Alert{"\xE6\x84\x9F\xE8\xB0\xA2 \xE5\xBC\xA0*", now + 3s};
  s.lower_third = bs::LowerThird{"Wang", "Trainer"};
  s.featured = bs::FeaturedCard{"AED", "for the school", "¥8,800.00", std::nullopt};
  s.qr_url = "https://live.example.org/";
  s.certificate_line = "cert 123";
  auto layers = renderer.render(s, true, now);
  for (const char* name :
       {"title", "goal", "ticker", "alert", "lower_third", "featured", "qr", "slate"}) {
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

TEST_CASE("every line of the overlay is at least 28 pixels tall at 720p, for phones") {
  // A 1280x720 frame shown 375 CSS pixels wide on a phone: 28 rows are about 8 CSS pixels.
  bs::OverlayRenderer renderer(1280, 720);
  auto now = std::chrono::system_clock::now();
  auto layers = renderer.render(full_state(now), true, now);
  // How many lines each layer writes (the QR code's modules are one more band, above its caption).
  const std::map<std::string, size_t> lines = {{"title", 2}, {"goal", 1},        {"ticker", 1},
                                               {"alert", 1}, {"lower_third", 2}, {"featured", 3},
                                               {"qr", 2},    {"slate", 2}};
  REQUIRE(layers.size() == lines.size());
  for (const bs::OverlayLayer& layer : layers) {
    auto bands = text_lines(layer);
    std::string heights;
    for (const Band& b : bands) {
      heights += std::to_string(b.height) + " ";
    }
    INFO(layer.name << ": lines of " << heights << "pixels");
    REQUIRE(lines.count(layer.name) == 1);
    CHECK(bands.size() == lines.at(layer.name));
    for (const Band& b : bands) {
      CHECK(b.height >= 28);
    }
  }
}

TEST_CASE("a featured wish's card draws a bar of its gifts, with what is raised and what is left") {
  bs::OverlayRenderer renderer(1280, 720);
  auto now = std::chrono::system_clock::now();
  auto card = [&](std::int64_t raised_fen) {
    auto layers = renderer.render(wish_card(raised_fen), false, now);
    REQUIRE(layers.size() == 1);
    return layers[0];
  };
  bs::OverlayLayer full = card(500'000);
  int whole = longest_run(full, bar_red);
  INFO("the full bar is " << whole << " pixels long");
  // Big enough to read on a phone: most of the card's width, and 20 rows thick.
  CHECK(whole >= full.width * 8 / 10);
  CHECK(rows_with_run(full, bar_red, whole / 2) >= 20);
  CHECK(longest_run(card(0), bar_red) == 0);
  CHECK(longest_run(card(1'000'000), bar_red) == whole);  // over the target: full, not beyond
  for (std::int64_t raised : {150'000, 250'000, 400'000}) {
    INFO("raised " << raised << " fen of 500000");
    int expected = static_cast<int>(whole * raised / 500'000);
    CHECK(std::abs(longest_run(card(raised), bar_red) - expected) <= 2);
  }
  // Under the bar, one line with text in both halves: raised on the left, left on the right.
  bs::OverlayLayer part = card(150'000);
  auto bands = text_lines(part);
  REQUIRE(bands.size() == 3);
  int left_ink = 0, right_ink = 0;
  for (int y = bands[2].top; y < bands[2].top + bands[2].height; ++y) {
    for (int x = 0; x < part.width; ++x) {
      (x < part.width / 2 ? left_ink : right_ink) += text_pixel(part, x, y) ? 1 : 0;
    }
  }
  CHECK(left_ink > 100);
  CHECK(right_ink > 100);
  // A card without progress (a host's own words) has no bar.
  bs::OverlayState plain;
  plain.featured = bs::FeaturedCard{"AED", "", "¥8,800.00", std::nullopt};
  auto plain_layers = renderer.render(plain, false, now);
  REQUIRE(plain_layers.size() == 1);
  CHECK(longest_run(plain_layers[0], bar_red) == 0);
}

TEST_CASE("the goal bar shows the pledged share in pink and the settled share in red") {
  bs::OverlayRenderer renderer(1280, 720);
  auto now = std::chrono::system_clock::now();
  auto goal = [&](std::int64_t raised, std::int64_t settled) {
    bs::OverlayState s;
    s.goal_fen = 1'000'000;
    s.raised_fen = raised;
    s.settled_fen = settled;
    auto layers = renderer.render(s, false, now);
    REQUIRE(layers.size() == 1);
    REQUIRE(layers[0].name == "goal");
    return layers[0];
  };
  int whole = longest_run(goal(1'000'000, 1'000'000), bar_red);
  CHECK(whole >= 1000);  // along the bottom of a 1280-pixel frame
  bs::OverlayLayer half = goal(500'000, 200'000);
  CHECK(std::abs(longest_run(half, bar_red) - whole / 5) <= 2);
  auto pledged = [](Bgra p) { return bar_red(p) || bar_pink(p); };
  CHECK(std::abs(longest_run(half, pledged) - whole / 2) <= 2);
}

TEST_CASE("markup in a donor's name is drawn as characters and not obeyed") {
  bs::OverlayRenderer renderer(1280, 720);
  auto now = std::chrono::system_clock::now();
  bs::OverlayState markup;
  markup.ticker = {{"<span size=\"900000\">x</span>", "1.00", "<b>hi</b>"}};
  bs::OverlayState brackets;
  brackets.ticker = {{"[span size=\"900000\"]x[/span]", "1.00", "[b]hi[/b]"}};
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

TEST_CASE("a gift paid in full is marked on the ticker in green, the others are not") {
  bs::OverlayRenderer renderer(1280, 720);
  auto now = std::chrono::system_clock::now();
  bs::OverlayState pledged;
  pledged.ticker = {{"张*", "¥50.00", ""}};
  bs::OverlayState paid = pledged;
  paid.ticker[0].paid = true;
  // Green ink: the mark (#8BE38B) where the dark panel and the white text have none.
  auto green = [](const bs::OverlayLayer& layer) {
    int count = 0;
    for (int y = 0; y < layer.height; ++y) {
      for (int x = 0; x < layer.width; ++x) {
        Bgra p = at(layer, x, y);
        count += p.a > 200 && p.g > 180 && p.r < 170 && p.b < 170 ? 1 : 0;
      }
    }
    return count;
  };
  auto a = renderer.render(pledged, false, now);
  auto b = renderer.render(paid, false, now);
  const bs::OverlayLayer* ta = find(a, "ticker");
  const bs::OverlayLayer* tb = find(b, "ticker");
  REQUIRE(ta != nullptr);
  REQUIRE(tb != nullptr);
  CHECK(green(*ta) == 0);
  CHECK(green(*tb) > 100);  // three characters of 已到账 at the ticker's body size
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
