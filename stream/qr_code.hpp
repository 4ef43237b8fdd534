// A QR code as a square of modules, from libqrencode, for the overlay to paint.
#pragma once

#include <expected>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace boai::stream {

struct QrCode {
  int size = 0;            // modules per side, without the quiet zone
  std::vector<bool> dark;  // size * size, row-major

  bool at(int x, int y) const { return dark[static_cast<size_t>(y * size + x)]; }
};

// Error code "qr_invalid" when the text is empty or too long for a QR code.
std::expected<QrCode, Error> encode_qr(std::string_view text);

}  // namespace boai::stream
