// Inside stream/ only: one input (the camera source, or the current slide) in a pipeline of its
// own that ends in intervideosink/interaudiosink. It can fail, end or be torn down without the
// studio's main pipeline noticing anything but a missing picture.
#pragma once

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "stream/gst_util.hpp"
#include "stream/source_spec.hpp"

namespace boai::stream {

struct InputChannels {
  std::string video;  // intervideo channel name
  std::string audio;  // interaudio channel name; empty for none (slides)
  int width = 0;
  int height = 0;
  int framerate = 0;
};

class InputPipeline {
 public:
  // What ended an input: an error ("source_failed") or the end of the stream ("source_ended").
  struct Outcome {
    bool ended = false;
    Error error;
  };

  // "source_unavailable" when the device or file is not there, "source_failed" when GStreamer
  // refuses to start it; both name the input.
  static std::expected<std::unique_ptr<InputPipeline>, Error> start(const SourceSpec& spec,
                                                                    const InputChannels& out);
  static std::expected<std::unique_ptr<InputPipeline>, Error> start_slide(const std::string& path,
                                                                          const InputChannels& out);

  ~InputPipeline();
  InputPipeline(const InputPipeline&) = delete;
  InputPipeline& operator=(const InputPipeline&) = delete;

  // Drains the bus without blocking: nothing while the input is healthy.
  std::optional<Outcome> poll();
  std::uint64_t frames() const { return counters_->frames.load(); }
  std::int64_t last_frame_us() const { return counters_->last_frame_us.load(); }

 private:
  struct Counters {
    std::atomic<std::uint64_t> frames{0};
    std::atomic<std::int64_t> last_frame_us{0};
    std::atomic<bool> ended{false};  // the picture reached its end (EOS)
  };

  InputPipeline(GstElementRef pipeline, std::string label);
  std::expected<void, Error> play();

  GstElementRef pipeline_;
  std::string label_;  // "Source \"srt://:9000\""
  std::shared_ptr<Counters> counters_ = std::make_shared<Counters>();
};

}  // namespace boai::stream
