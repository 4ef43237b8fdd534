// A composed picture as the viewers get it (overlay included), for tests and the host preview.
#pragma once

#include <cstdint>
#include <vector>

namespace boai::stream {

struct Frame {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // width * 3 bytes a row, no padding

  const std::uint8_t* pixel(int x, int y) const {
    return rgb.data() +
           (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3;
  }
};

}  // namespace boai::stream
