// Helpers for the studio's pipelines: adopting parse_launch results, error text, fixed caps.
#include "stream/gst_util.hpp"

namespace boai::stream {

std::expected<GstElementRef, Error> launch(const std::string& description, const char* code) {
  GError* raw_error = nullptr;
  GstElement* element = gst_parse_launch(description.c_str(), &raw_error);
  GErrorRef error(raw_error);
  if (element == nullptr) {
    return std::unexpected(
        make_error(code, std::string("GStreamer could not build the pipeline: ") +
                             (error ? error->message : "unknown error")));
  }
  // A missing element still returns a pipeline with a recoverable error; refuse it anyway.
  GstElementRef owned(GST_ELEMENT(gst_object_ref_sink(element)));
  if (error) {
    return std::unexpected(
        make_error(code, std::string("GStreamer could not build the pipeline: ") + error->message));
  }
  return owned;
}

GstElementRef child(GstElement* bin, const char* name) {
  return GstElementRef(gst_bin_get_by_name(GST_BIN(bin), name));
}

std::string describe_error(GstMessage* message) {
  GError* raw_error = nullptr;
  gchar* raw_debug = nullptr;
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    gst_message_parse_error(message, &raw_error, &raw_debug);
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_WARNING) {
    gst_message_parse_warning(message, &raw_error, &raw_debug);
  }
  GErrorRef error(raw_error);
  GCharRef debug(raw_debug);
  std::string out = GST_OBJECT_NAME(GST_MESSAGE_SRC(message));
  out += ": ";
  out += error ? error->message : "unknown error";
  return out;
}

std::int64_t now_us() {
  return g_get_monotonic_time();
}

std::string raw_video_caps(int width, int height, int framerate) {
  return "video/x-raw,format=I420,width=" + std::to_string(width) +
         ",height=" + std::to_string(height) + ",framerate=" + std::to_string(framerate) +
         "/1,pixel-aspect-ratio=1/1,interlace-mode=progressive";
}

std::string raw_audio_caps() {
  return "audio/x-raw,format=S16LE,rate=48000,channels=2,layout=interleaved";
}

}  // namespace boai::stream
