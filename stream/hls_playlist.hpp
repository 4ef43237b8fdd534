// The HLS master playlist, which lists the renditions' media playlists (MediaPlaylistWriter or
// hlssink2 write those), and the atomic replacement every playlist is written with.
#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "stream/studio_config.hpp"

namespace boai::stream {

// Writes `text` to a temporary file beside `path`, then renames it over `path`: a reader sees the
// old file or the new one, never half of one. False when either step fails.
bool replace_file(const std::string& path, std::string_view text);

// EXT-X-PROGRAM-DATE-TIME's value: "2026-12-05T11:38:38.123Z".
std::string program_date_time(std::chrono::system_clock::time_point t);

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
