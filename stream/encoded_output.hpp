// Inside stream/ only: an output fed with the studio's encoded H.264 and AAC (an RTMP push) in a
// pipeline of its own behind appsrc. A dead target fails this pipeline alone; the main
// pipeline's appsinks never wait for it.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/error.hpp"
#include "stream/gst_util.hpp"

namespace boai::stream {

class EncodedOutput {
 public:
  // An RTMP(S) push. "push_failed" names the target with its key hidden.
  static std::expected<std::shared_ptr<EncodedOutput>, Error> push(const std::string& url,
                                                                   const std::string& display);

  ~EncodedOutput();
  EncodedOutput(const EncodedOutput&) = delete;
  EncodedOutput& operator=(const EncodedOutput&) = delete;

  // From the main pipeline's streaming threads; never blocks (a full queue drops the oldest).
  void push_video(GstSample* sample);
  void push_audio(GstSample* sample);

  // Drains the bus without blocking: an error, or nothing while healthy.
  std::optional<Error> poll();
  void end_of_stream();  // lets the muxer finish; the owner waits for ended() or gives up
  bool ended();
  std::uint64_t bytes() const { return bytes_->load(); }

 private:
  EncodedOutput(GstElementRef pipeline, std::string label, const char* code);
  std::expected<void, Error> play();
  void push(GstElement* appsrc, GstSample* sample, bool video);

  GstElementRef pipeline_;
  GstElementRef video_src_;
  GstElementRef audio_src_;
  std::string label_;
  const char* code_;
  std::mutex mutex_;      // the two streaming threads share the timeline origin below
  bool started_ = false;  // a key frame has gone in
  GstClockTime origin_ = GST_CLOCK_TIME_NONE;
  bool eos_seen_ = false;
  std::shared_ptr<std::atomic<std::uint64_t>> bytes_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
};

}  // namespace boai::stream
