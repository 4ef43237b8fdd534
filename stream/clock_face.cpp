// The clock face: a white panel with the time in seven-segment digits over a QR code of the same
// time. Everything is filled rectangles of limited-range luma on neutral chroma, so a frame costs
// one small QR encoding and a few hundred thousand byte writes (docs/STREAM.md "Sources").
#include "stream/clock_face.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "stream/qr_code.hpp"

namespace boai::stream {
namespace {

constexpr std::string_view kClockPrefix = "boai-clock:";
constexpr std::uint8_t kFaceWhite = 235;  // BT.709 limited range, as the studio's frames are
constexpr std::uint8_t kFaceBlack = 16;
constexpr std::uint8_t kFaceNeutral = 128;

// Sizes in QR modules: the face scales with the frame as a whole.
constexpr int kFaceQrModules = 25;   // version 2, what "boai-clock:" and 13 digits take at level M
constexpr int kFaceQuiet = 4;        // the quiet zone around the code, as the QR standard asks
constexpr int kFacePad = 2;          // around the digits
constexpr int kFaceDigitWidth = 4;   // a digit's cell
constexpr int kFaceDigitHeight = 7;  // (the stroke is one module)
constexpr int kFaceMarkWidth = 2;    // the cell of ':' and '.'
constexpr int kFaceCellGap = 1;
constexpr int kFaceDigits = 9;  // HHMMSSmmm
constexpr int kFaceMarks = 3;   // ::.
constexpr int kFaceRowWidth = kFaceDigits * kFaceDigitWidth + kFaceMarks * kFaceMarkWidth +
                              (kFaceDigits + kFaceMarks - 1) * kFaceCellGap;
constexpr int kFacePanelWidth =
    std::max(kFaceRowWidth + 2 * kFacePad, kFaceQrModules + 2 * kFaceQuiet);
constexpr int kFacePanelHeight =
    kFacePad + kFaceDigitHeight + kFaceQuiet + kFaceQrModules + kFaceQuiet;

// Segments a..g of a seven-segment digit, bit 0 = a (top), clockwise, g (middle) last.
constexpr std::uint8_t kFaceSegments[10] = {0x3f, 0x06, 0x5b, 0x4f, 0x66,
                                            0x6d, 0x7d, 0x07, 0x7f, 0x6f};

// Fills a rectangle of the luma plane, cut to the frame.
struct LumaPainter {
  const I420Planes& frame;
  int width;
  int height;

  void fill(int x, int y, int w, int h, std::uint8_t value) const {
    int x0 = std::max(x, 0), x1 = std::min(x + w, width);
    int y0 = std::max(y, 0), y1 = std::min(y + h, height);
    for (int row = y0; row < y1; ++row) {
      std::fill_n(frame.y + static_cast<std::ptrdiff_t>(row) * frame.y_stride + x0,
                  std::max(x1 - x0, 0), value);
    }
  }
};

void neutral_chroma(const I420Planes& frame, const ClockLayout& at) {
  for (int row = at.y / 2; row < (at.y + at.height) / 2; ++row) {
    std::fill_n(frame.u + static_cast<std::ptrdiff_t>(row) * frame.u_stride + at.x / 2,
                at.width / 2, kFaceNeutral);
    std::fill_n(frame.v + static_cast<std::ptrdiff_t>(row) * frame.v_stride + at.x / 2,
                at.width / 2, kFaceNeutral);
  }
}

void draw_digit(const LumaPainter& paint, int x, int y, int m, int digit) {
  const int w = kFaceDigitWidth * m, h = kFaceDigitHeight * m, half = h / 2 - m / 2,
            tall = h / 2 + m / 2;
  const struct {
    int x, y, w, h;
  } segments[7] = {{0, 0, w, m},     {w - m, 0, m, tall}, {w - m, half, m, tall},
                   {0, h - m, w, m}, {0, half, m, tall},  {0, 0, m, tall},
                   {0, half, w, m}};
  for (int s = 0; s < 7; ++s) {
    if ((kFaceSegments[digit] >> s) & 1) {
      paint.fill(x + segments[s].x, y + segments[s].y, segments[s].w, segments[s].h, kFaceBlack);
    }
  }
}

// ':' is two dots at a third and two thirds of the digit's height, '.' one on its baseline.
void draw_mark(const LumaPainter& paint, int x, int y, int m, char mark) {
  const int dot_x = x + (kFaceMarkWidth * m - m) / 2, h = kFaceDigitHeight * m;
  if (mark == ':') {
    paint.fill(dot_x, y + h / 3 - m / 2, m, m, kFaceBlack);
    paint.fill(dot_x, y + 2 * h / 3 - m / 2, m, m, kFaceBlack);
  } else {
    paint.fill(dot_x, y + h - m, m, m, kFaceBlack);
  }
}

}  // namespace

std::string clock_text(std::int64_t unix_ms) {
  return std::string(kClockPrefix) + std::to_string(unix_ms);
}

std::optional<std::int64_t> parse_clock_text(std::string_view text) {
  if (!text.starts_with(kClockPrefix)) {
    return std::nullopt;
  }
  text.remove_prefix(kClockPrefix.size());
  std::int64_t ms = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || ms < 0) {
    return std::nullopt;
  }
  return ms;
}

std::string clock_digits(std::int64_t unix_ms) {
  std::int64_t in_day = ((unix_ms % 86'400'000) + 86'400'000) % 86'400'000;
  char text[16];
  std::snprintf(text, sizeof text, "%02d:%02d:%02d.%03d", static_cast<int>(in_day / 3'600'000),
                static_cast<int>(in_day / 60'000 % 60), static_cast<int>(in_day / 1000 % 60),
                static_cast<int>(in_day % 1000));
  return text;
}

// A module of 8 pixels on a 720-row frame: 4 once the ladder scales it to 360p, which phones'
// and browsers' decoders read easily. Even, so the panel covers whole chroma samples. At 720p the
// panel is 456 x 336, centred across, from row 216 (under the alert, which ends at 212) to 552
// (above the goal bar, from 568): only a wide lower third or a featured card reach into it.
ClockLayout clock_layout(int frame_width, int frame_height) {
  ClockLayout at;
  at.module = std::max(2, 2 * static_cast<int>(std::lround(frame_height * 4.0 / 720.0)));
  at.width = kFacePanelWidth * at.module;
  at.height = kFacePanelHeight * at.module;
  at.x = (frame_width - at.width) / 4 * 2;
  at.y = std::min(27 * at.module, (frame_height - at.height) / 2 * 2);
  return at;
}

bool draw_clock_face(const I420Planes& frame, int width, int height, std::int64_t unix_ms) {
  ClockLayout at = clock_layout(width, height);
  auto code = encode_qr(clock_text(unix_ms));
  if (at.x < 0 || at.y < 0 || !code || code->size > kFaceQrModules) {
    return false;
  }
  const int m = at.module;
  LumaPainter paint{frame, width, height};
  paint.fill(at.x, at.y, at.width, at.height, kFaceWhite);
  neutral_chroma(frame, at);

  std::string digits = clock_digits(unix_ms);
  int x = at.x + (at.width - kFaceRowWidth * m) / 2;
  const int y = at.y + kFacePad * m;
  for (char c : digits) {
    if (c >= '0' && c <= '9') {
      draw_digit(paint, x, y, m, c - '0');
      x += (kFaceDigitWidth + kFaceCellGap) * m;
    } else {
      draw_mark(paint, x, y, m, c);
      x += (kFaceMarkWidth + kFaceCellGap) * m;
    }
  }

  const int qr_x = at.x + (at.width - code->size * m) / 2;
  const int qr_y = y + (kFaceDigitHeight + kFaceQuiet) * m;
  for (int row = 0; row < code->size; ++row) {
    for (int col = 0; col < code->size; ++col) {
      if (code->at(col, row)) {
        paint.fill(qr_x + col * m, qr_y + row * m, m, m, kFaceBlack);
      }
    }
  }
  return true;
}

}  // namespace boai::stream
