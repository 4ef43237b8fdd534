// Starting GStreamer once per process, and telling which version runs.
#pragma once

#include <string>

namespace boai::stream {

// Safe to call more than once; later calls do nothing.
void init_gstreamer();
// Waits until GStreamer's pooled streaming threads have ended; for a process's last step, when
// no pipeline runs any more.
void join_gstreamer_threads();
std::string gstreamer_version();

}  // namespace boai::stream
