// Blends overlay layers straight into I420 frames. The layers are converted to Y'CbCr once per
// render; each frame then costs one integer multiply-add per covered pixel, without the generic
// GstVideoOverlayComposition path that converts every covered line of the frame twice.
#pragma once

#include <cstdint>
#include <vector>

#include "stream/overlay_renderer.hpp"

namespace boai::stream {

struct PlanarLayer {
  int x = 0;  // even
  int y = 0;  // even
  int width = 0;
  int height = 0;
  // Full resolution: alpha and premultiplied luma; half resolution: alpha and premultiplied chroma.
  std::vector<std::uint8_t> luma_alpha, luma;
  std::vector<std::uint8_t> chroma_alpha, cb, cr;
};

// BT.709 limited range, as GStreamer assumes for HD I420. Layers are cut to whole 2x2 blocks
// inside a frame of `frame_width` x `frame_height`.
std::vector<PlanarLayer> to_planar(const std::vector<OverlayLayer>& layers, int frame_width,
                                   int frame_height);

struct I420Planes {
  std::uint8_t* y;
  int y_stride;
  std::uint8_t* u;
  int u_stride;
  std::uint8_t* v;
  int v_stride;
};

void blend_i420(const std::vector<PlanarLayer>& layers, const I420Planes& frame);

}  // namespace boai::stream
