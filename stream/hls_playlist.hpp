// The HLS master playlist: hlssink2 writes each rendition's media playlist, this lists them.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "stream/studio_config.hpp"

namespace boai::stream {

// The text of <room>/master.m3u8: one EXT-X-STREAM-INF per rendition, highest first.
std::string master_playlist(const std::vector<Rendition>& ladder, int framerate, int audio_kbps);

// Written beside the renditions through a temporary file and a rename, so a reader never sees
// half of it. "hls_dir_unwritable" names the path.
std::expected<void, Error> write_master_playlist(const std::string& room_dir,
                                                 const std::vector<Rendition>& ladder,
                                                 int framerate, int audio_kbps);

// The avc1 codec string for Main profile at the level x264 picks for this size and rate.
std::string h264_codec_string(int width, int height, int framerate);

}  // namespace boai::stream
