// Inside stream/ only: the latest composed frame, kept by an appsink at the end of the main
// pipeline's tee, and turned into RGB or PNG when the host asks for it.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "base/error.hpp"
#include "stream/frame.hpp"
#include "stream/gst_util.hpp"

namespace boai::stream {

class LatestFrame {
 public:
  LatestFrame() = default;
  ~LatestFrame();
  LatestFrame(const LatestFrame&) = delete;
  LatestFrame& operator=(const LatestFrame&) = delete;

  // Keeps every sample `appsink` takes (on its streaming thread); the appsink holds `latest`.
  static void attach(const std::shared_ptr<LatestFrame>& latest, GstElement* appsink);

  // Any thread; each blocks for a conversion of a few milliseconds.
  std::optional<Frame> rgb() const;                             // nullopt before the first frame
  std::expected<std::vector<std::uint8_t>, Error> png() const;  // "no_frame", "snapshot_failed"

 private:
  GstSampleRef sample() const;

  mutable std::mutex mutex_;
  // Not a GstSampleRef: gst_sample_unref is an inline function of the header, which a member of
  // a class in a header may not name in its type.
  GstSample* latest_ = nullptr;
};

}  // namespace boai::stream
