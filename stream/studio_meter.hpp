// Inside stream/ only: the studio's health bookkeeping. Counters of frames composed, frames a full
// encoder queue dropped and bytes each encoder made, bumped on the streaming threads; the rates
// over the last second computed from them on the loop.
#pragma once

#include <gst/gst.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "stream/studio_config.hpp"
#include "stream/studio_health.hpp"

namespace boai::stream {

class StudioMeter {
 public:
  static constexpr std::size_t kMaxRungs = 8;

  explicit StudioMeter(std::vector<Rendition> ladder);
  StudioMeter(const StudioMeter&) = delete;
  StudioMeter& operator=(const StudioMeter&) = delete;

  // What to count; each probe or signal holds the counters for as long as it stays.
  void count_composed(GstPad* pad);
  void count_dropped(GstElement* queue);  // its "overrun": a leaky queue threw a frame away
  void count_encoded(GstPad* pad, std::size_t rung);

  // The loop. sample() takes the rates once a second; restart() forgets the last sample (a new
  // broadcast), stop() zeroes the rates (none is on air).
  void sample(std::int64_t now);
  void restart() { sampled_at_us_ = 0; }
  void stop();

  // fps, frames, dropped frames, and each rendition's name and bitrate.
  void report(StudioHealth& health) const;
  std::uint64_t encoded_bytes() const;  // every rendition's, since the studio was made

 private:
  struct Counters {
    std::atomic<std::uint64_t> frames{0};
    std::atomic<std::uint64_t> dropped{0};
    std::array<std::atomic<std::uint64_t>, kMaxRungs> encoded_bytes{};
  };
  struct Rung {
    std::shared_ptr<Counters> counters;
    std::size_t index;
  };

  std::vector<Rendition> ladder_;
  std::shared_ptr<Counters> counters_ = std::make_shared<Counters>();
  std::int64_t sampled_at_us_ = 0;
  std::uint64_t sampled_frames_ = 0;
  std::array<std::uint64_t, kMaxRungs> sampled_bytes_{};
  double fps_ = 0;
  std::array<std::uint64_t, kMaxRungs> bitrates_{};
};

}  // namespace boai::stream
