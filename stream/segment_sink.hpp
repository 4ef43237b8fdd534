// Inside stream/ only: hands what a rendition's mpegtsmux writes (through an appsink) to its
// TsSegmenter, on the muxer's streaming thread, and ends the playlist at end of stream.
#pragma once

#include <gst/gst.h>

#include "stream/ts_segmenter.hpp"

namespace boai::stream {

// The element message's name when the replay stops recording (fields "code", "message").
inline constexpr const char* kReplayStoppedMessage = "boai-replay-stopped";

// Sets the appsink's callbacks; the appsink owns the segmenter from then on. A write that fails
// posts an error on the bus (once, until writing works again); the stream goes on.
void attach_segmenter(GstElement* appsink, TsSegmenterOptions options);

}  // namespace boai::stream
