// Premultiplied ARGB -> Y'CbCr layers, and their per-frame blend into I420.
#include "stream/overlay_blend.hpp"

#include <algorithm>

namespace boai::stream {
namespace {

std::uint8_t clamp_byte(int v) {
  return static_cast<std::uint8_t>(std::clamp(v, 0, 255));
}

// out = out * (255 - alpha) / 255 + value, value already premultiplied (so 0 where alpha is 0:
// transparent pixels come out unchanged). In 16 bits without a branch, so the compiler
// vectorises the rows: (t + (t >> 8)) >> 8 with t = x + 128 is x / 255 rounded, as
// (x + 127) / 255 was, for every x up to 255 * 255.
inline std::uint8_t over(std::uint8_t out, std::uint8_t alpha, std::uint8_t value) {
  auto t = static_cast<std::uint16_t>(out * (255 - alpha) + 128);
  auto keep = static_cast<std::uint16_t>((t + (t >> 8)) >> 8);
  auto sum = static_cast<std::uint16_t>(keep + value);
  return static_cast<std::uint8_t>(sum > 255 ? 255 : sum);
}

void blend_row(std::uint8_t* __restrict out, const std::uint8_t* __restrict alpha,
               const std::uint8_t* __restrict value, int n) {
  for (int i = 0; i < n; ++i) {
    out[i] = over(out[i], alpha[i], value[i]);
  }
}

}  // namespace

std::vector<PlanarLayer> to_planar(const std::vector<OverlayLayer>& layers, int frame_width,
                                   int frame_height) {
  std::vector<PlanarLayer> out;
  for (const OverlayLayer& in : layers) {
    PlanarLayer p;
    p.x = in.x & ~1;
    p.y = in.y & ~1;
    // Whole 2x2 blocks only, inside both the layer and the frame.
    p.width = std::min(in.x + in.width - p.x, frame_width - p.x) & ~1;
    p.height = std::min(in.y + in.height - p.y, frame_height - p.y) & ~1;
    if (p.width <= 0 || p.height <= 0) {
      continue;
    }
    size_t full = static_cast<size_t>(p.width) * static_cast<size_t>(p.height);
    p.luma_alpha.assign(full, 0);
    p.luma.assign(full, 0);
    p.chroma_alpha.assign(full / 4, 0);
    p.cb.assign(full / 4, 0);
    p.cr.assign(full / 4, 0);
    std::vector<int> sum_a(full / 4, 0), sum_cb(full / 4, 0), sum_cr(full / 4, 0);
    for (int row = 0; row < p.height; ++row) {
      int source_row = p.y + row - in.y;
      for (int col = 0; col < p.width; ++col) {
        int source_col = p.x + col - in.x;
        int a = 0, r = 0, g = 0, b = 0;
        if (source_row >= 0 && source_col >= 0 && source_row < in.height && source_col < in.width) {
          const std::uint8_t* px =
              in.pixels.data() + (static_cast<size_t>(source_row) * in.width + source_col) * 4;
          b = px[0];
          g = px[1];
          r = px[2];
          a = px[3];
        }
        size_t i = static_cast<size_t>(row) * p.width + col;
        size_t c = static_cast<size_t>(row / 2) * (p.width / 2) + col / 2;
        p.luma_alpha[i] = static_cast<std::uint8_t>(a);
        p.luma[i] = clamp_byte((16 * a + 127) / 255 + (47 * r + 157 * g + 16 * b + 128) / 256);
        sum_a[c] += a;
        sum_cb[c] += (128 * a + 127) / 255 + (-26 * r - 87 * g + 112 * b) / 256;
        sum_cr[c] += (128 * a + 127) / 255 + (112 * r - 102 * g - 10 * b) / 256;
      }
    }
    for (size_t c = 0; c < full / 4; ++c) {
      p.chroma_alpha[c] = clamp_byte((sum_a[c] + 2) / 4);
      p.cb[c] = clamp_byte((sum_cb[c] + 2) / 4);
      p.cr[c] = clamp_byte((sum_cr[c] + 2) / 4);
    }
    out.push_back(std::move(p));
  }
  return out;
}

void blend_i420(const std::vector<PlanarLayer>& layers, const I420Planes& f) {
  for (const PlanarLayer& p : layers) {
    // Sizes in locals: a write through a byte pointer could alias p's members, and the compiler
    // would then neither count the iterations nor vectorise.
    const int w = p.width, h = p.height, cw = p.width / 2;
    for (int row = 0; row < h; ++row) {
      blend_row(f.y + static_cast<size_t>(p.y + row) * f.y_stride + p.x,
                p.luma_alpha.data() + static_cast<size_t>(row) * w,
                p.luma.data() + static_cast<size_t>(row) * w, w);
    }
    for (int row = 0; row < h / 2; ++row) {
      size_t offset = static_cast<size_t>(row) * cw;
      const std::uint8_t* a = p.chroma_alpha.data() + offset;
      blend_row(f.u + static_cast<size_t>(p.y / 2 + row) * f.u_stride + p.x / 2, a,
                p.cb.data() + offset, cw);
      blend_row(f.v + static_cast<size_t>(p.y / 2 + row) * f.v_stride + p.x / 2, a,
                p.cr.data() + offset, cw);
    }
  }
}

}  // namespace boai::stream
