// Starting GStreamer once per process, and telling which version runs.
#pragma once

#include <string>

namespace boai::stream {

// Safe to call more than once; later calls do nothing.
void init_gstreamer();
std::string gstreamer_version();

}  // namespace boai::stream
