// The encoded stream's fan-out: a list under a mutex, copied for each sample.
#include "stream/encoded_feed.hpp"

#include <gst/app/gstappsink.h>

#include "stream/gst_util.hpp"

namespace boai::stream {
namespace {

template <bool kVideo>
GstFlowReturn on_encoded(GstAppSink* sink, gpointer data) {
  GstSampleRef sample(gst_app_sink_pull_sample(sink));
  if (sample) {
    held_shared<EncodedFeed>(data).push(sample.get(), kVideo);
  }
  return GST_FLOW_OK;
}

}  // namespace

void EncodedFeed::attach(const std::shared_ptr<EncodedFeed>& feed, GstElement* video_sink,
                         GstElement* audio_sink) {
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = on_encoded<true>;
  gst_app_sink_set_callbacks(GST_APP_SINK(video_sink), &callbacks, hold_shared(feed),
                             release_shared<EncodedFeed>);
  callbacks.new_sample = on_encoded<false>;
  gst_app_sink_set_callbacks(GST_APP_SINK(audio_sink), &callbacks, hold_shared(feed),
                             release_shared<EncodedFeed>);
}

void EncodedFeed::add(std::shared_ptr<EncodedOutput> output) {
  std::lock_guard lock(mutex_);
  outputs_.push_back(std::move(output));
}

void EncodedFeed::remove(const std::shared_ptr<EncodedOutput>& output) {
  std::lock_guard lock(mutex_);
  std::erase(outputs_, output);
}

void EncodedFeed::clear() {
  std::lock_guard lock(mutex_);
  outputs_.clear();
}

void EncodedFeed::push(GstSample* sample, bool video) {
  for (const auto& output : snapshot()) {
    if (video) {
      output->push_video(sample);
    } else {
      output->push_audio(sample);
    }
  }
}

// A copy, so the loop never waits for the lock while a sample is pushed.
std::vector<std::shared_ptr<EncodedOutput>> EncodedFeed::snapshot() {
  std::lock_guard lock(mutex_);
  return outputs_;
}

}  // namespace boai::stream
