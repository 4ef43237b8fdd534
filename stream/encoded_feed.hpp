// Inside stream/ only: the fan-out of the studio's encoded stream, from the main pipeline's
// appsinks to the outputs that take it now.
#pragma once

#include <gst/gst.h>

#include <memory>
#include <mutex>
#include <vector>

#include "stream/encoded_output.hpp"

namespace boai::stream {

// The outputs that take the encoded stream now. The loop adds and removes them; the appsinks'
// streaming threads hand every sample to each.
class EncodedFeed {
 public:
  // The appsinks of the 720p H.264 and of the AAC; each holds `feed`.
  static void attach(const std::shared_ptr<EncodedFeed>& feed, GstElement* video_sink,
                     GstElement* audio_sink);

  void add(std::shared_ptr<EncodedOutput> output);
  void remove(const std::shared_ptr<EncodedOutput>& output);
  void clear();

  // A streaming thread: hands the sample to every output; none of them blocks.
  void push(GstSample* sample, bool video);

 private:
  std::vector<std::shared_ptr<EncodedOutput>> snapshot();

  std::mutex mutex_;
  std::vector<std::shared_ptr<EncodedOutput>> outputs_;
};

}  // namespace boai::stream
