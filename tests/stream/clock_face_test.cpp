// The clock source's face: drawn into an I420 frame, read back by a real QR decoder (zbarimg, from
// Debian's zbar-tools in scripts/apt-packages.txt) at the studio's size and at half of it, as the
// 360p rendition shows it.
#include "stream/clock_face.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "stream/overlay_state.hpp"
#include "studio_support.hpp"

namespace bs = boai::stream;
namespace bt = boai::stream::test;

namespace {

// An I420 frame of colour bars, its planes tightly packed.
struct BarsFrame {
  int width;
  int height;
  std::vector<std::uint8_t> y, u, v;

  BarsFrame(int w, int h)
      : width(w),
        height(h),
        y(static_cast<size_t>(w * h)),
        u(static_cast<size_t>(w * h / 4)),
        v(static_cast<size_t>(w * h / 4)) {
    for (int row = 0; row < h; ++row) {
      for (int col = 0; col < w; ++col) {
        y[static_cast<size_t>(row * w + col)] = static_cast<std::uint8_t>(40 + (col * 7 / w) * 30);
      }
    }
    for (size_t i = 0; i < u.size(); ++i) {
      u[i] = static_cast<std::uint8_t>(60 + i % 120);
      v[i] = static_cast<std::uint8_t>(200 - i % 120);
    }
  }
  bs::I420Planes planes() { return {y.data(), width, u.data(), width / 2, v.data(), width / 2}; }
};

// The luma as a PGM file, halved `shrink` times by averaging 2x2 blocks (what a scaler does).
std::string write_luma(const BarsFrame& frame, int shrink, const std::string& path) {
  int w = frame.width, h = frame.height;
  std::vector<std::uint8_t> luma = frame.y;
  for (int s = 0; s < shrink; ++s) {
    std::vector<std::uint8_t> half(static_cast<size_t>((w / 2) * (h / 2)));
    for (int row = 0; row < h / 2; ++row) {
      for (int col = 0; col < w / 2; ++col) {
        auto at = [&](int r, int c) { return luma[static_cast<size_t>(r * w + c)]; };
        int sum = at(2 * row, 2 * col) + at(2 * row, 2 * col + 1) + at(2 * row + 1, 2 * col) +
                  at(2 * row + 1, 2 * col + 1);
        half[static_cast<size_t>(row * (w / 2) + col)] = static_cast<std::uint8_t>(sum / 4);
      }
    }
    luma = std::move(half);
    w /= 2;
    h /= 2;
  }
  std::ofstream out(path, std::ios::binary);
  out << "P5\n" << w << " " << h << "\n255\n";
  out.write(reinterpret_cast<const char*>(luma.data()), static_cast<std::streamsize>(luma.size()));
  return path;
}

std::string decode_qr(const std::string& image) {
  std::string text = bt::run_command("zbarimg -q --raw '" + image + "' 2>/dev/null");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

bool overlaps(const bs::ClockLayout& a, const bt::Rect& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

}  // namespace

TEST_CASE("the clock's text and digits say the capture time") {
  CHECK(bs::clock_text(1765000000123) == "boai-clock:1765000000123");
  CHECK(bs::parse_clock_text("boai-clock:1765000000123") == 1765000000123);
  CHECK_FALSE(bs::parse_clock_text("boai-clock:"));
  CHECK_FALSE(bs::parse_clock_text("boai-clock:12x"));
  CHECK_FALSE(bs::parse_clock_text("https://live.example.org/r/main"));
  CHECK(bs::clock_digits(1765000000123) == "05:46:40.123");  // 2025-12-06 05:46:40.123 UTC
  CHECK(bs::clock_digits(0) == "00:00:00.000");
}

TEST_CASE("a clock face drawn into an I420 frame decodes back to its time") {
  bt::TempDir dir;
  BarsFrame frame(1280, 720);
  const std::int64_t ms = 1765000000123;
  REQUIRE(bs::draw_clock_face(frame.planes(), frame.width, frame.height, ms));

  SECTION("at the studio's size") {
    CHECK(decode_qr(write_luma(frame, 0, dir.path() + "/720.pgm")) == bs::clock_text(ms));
  }
  SECTION("at half of it, as the 360p rendition shows it") {
    CHECK(decode_qr(write_luma(frame, 1, dir.path() + "/360.pgm")) == bs::clock_text(ms));
  }
  SECTION("another time gives another code") {
    REQUIRE(bs::draw_clock_face(frame.planes(), frame.width, frame.height, ms + 33));
    CHECK(decode_qr(write_luma(frame, 0, dir.path() + "/later.pgm")) == bs::clock_text(ms + 33));
  }
  SECTION("the panel's chroma is neutral: no colour of the bars shows through") {
    bs::ClockLayout at = bs::clock_layout(frame.width, frame.height);
    size_t middle = static_cast<size_t>((at.y + at.height / 2) / 2 * (frame.width / 2) +
                                        (at.x + at.width / 2) / 2);
    CHECK(frame.u[middle] == 128);
    CHECK(frame.v[middle] == 128);
  }
}

TEST_CASE("the clock face keeps to the middle, clear of the overlay's title, QR, alert and bars") {
  bs::ClockLayout at = bs::clock_layout(1280, 720);
  CHECK(at.module == 8);
  CHECK(at.x + at.width / 2 == 640);

  bs::OverlayState state;
  state.campaign_title = "急救知识直播课";
  state.certificate_line = "公开募捐资格证书";
  state.goal_fen = 100;
  state.goal_text = "¥1.00";
  state.raised_text = "¥0.00";
  state.settled_text = "¥0.00";
  state.ticker = {{"张*", "¥50.00", ""}};
  state.qr_url = "https://live.example.org/r/main";
  state.alert = bs::Alert{"感谢 张* 爱心认捐 ¥50.00",
                          std::chrono::system_clock::now() + std::chrono::minutes(1)};
  for (const char* layer : {"title", "qr", "alert", "goal", "ticker"}) {
    INFO(layer);
    auto rect = bt::layer_rect(state, false, layer);
    REQUIRE(rect);
    CHECK_FALSE(overlaps(at, *rect));
  }
  BarsFrame tiny(100, 60);
  CHECK_FALSE(bs::draw_clock_face(tiny.planes(), tiny.width, tiny.height, 0));
}
