// GStreamer's global initialisation, kept behind a function so gst/gst.h stays in stream/.
#include "stream/gstreamer_runtime.hpp"

#include <gst/gst.h>

#include <memory>

namespace boai::stream {

void init_gstreamer() {
  gst_init(nullptr, nullptr);
}

void join_gstreamer_threads() {
  if (!gst_is_initialized()) {
    return;
  }
  gst_task_cleanup_all();
  g_thread_pool_stop_unused_threads();
}

std::string gstreamer_version() {
  std::unique_ptr<gchar, decltype(&g_free)> v(gst_version_string(), &g_free);
  return v.get();
}

}  // namespace boai::stream
