// Inside stream/ only: owners for GStreamer objects, and small helpers shared by the pipelines.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <utility>

#include "base/c_handle.hpp"
#include "base/error.hpp"

namespace boai::stream {

template <typename T>
using GstRef = CHandle<T, gst_object_unref>;
using GstElementRef = GstRef<GstElement>;
using GstBusRef = GstRef<GstBus>;
using GstPadRef = GstRef<GstPad>;
using GstMessageRef = CHandle<GstMessage, gst_message_unref>;
using GstSampleRef = CHandle<GstSample, gst_sample_unref>;
using GstCapsRef = CHandle<GstCaps, gst_caps_unref>;
using GErrorRef = CHandle<GError, g_error_free>;
using GCharRef = CHandle<gchar, g_free>;

// gst_parse_launch returns a floating reference; sink it so the owner is explicit.
std::expected<GstElementRef, Error> launch(const std::string& description, const char* code);

// A shared_ptr handed to a C callback as its user data. Whoever keeps the callback (a pad probe, a
// signal, an appsink) keeps the object alive with it, and frees the hold through release_shared<T>
// (a GDestroyNotify) once the callback can no longer run, however the pipeline is torn down.
template <typename T>
gpointer hold_shared(std::shared_ptr<T> object) {
  return new std::shared_ptr<T>(std::move(object));
}
template <typename T>
void release_shared(gpointer data) {
  delete static_cast<std::shared_ptr<T>*>(data);
}
template <typename T>
T& held_shared(gpointer data) {
  return **static_cast<std::shared_ptr<T>*>(data);
}

// A child by name (a new reference), or null.
GstElementRef child(GstElement* bin, const char* name);

// A bus message's error as a sentence: "<element>: <what> (<debug>)".
std::string describe_error(GstMessage* message);

// Monotonic microseconds (g_get_monotonic_time), for stall checks across threads.
std::int64_t now_us();

// Raw video caps every picture in the studio is made to: a fixed size, rate and format, so
// intervideosink and intervideosrc always agree.
std::string raw_video_caps(int width, int height, int framerate);
std::string raw_audio_caps();

}  // namespace boai::stream
