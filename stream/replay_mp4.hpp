// Blocking conversions of the replay library, run off the loop (the replay keeper's thread, or
// `boai recordings convert`): a finished replay remuxed into one MP4 for download, and a Matroska
// file of older versions turned into a replay. Neither encodes again: the H.264 and AAC are copied.
#pragma once

#include <atomic>
#include <expected>
#include <string>

#include "base/error.hpp"

namespace boai::stream {

// <replay>/<name>.mp4 from the first rendition's segments, with the index (moov) before the media
// so a player starts before the download ends. Written as <name>.mp4.part and renamed, so a
// half-made file is never offered. "remux_failed" says why; "remux_cancelled" when `cancel`
// turned true (the service is stopping) before it was done.
std::expected<void, Error> remux_replay_mp4(const std::string& replay_dir,
                                            const std::atomic<bool>* cancel = nullptr);

// <recordings>/<stem>.mkv becomes the replay folder <recordings>/<stem>/ (one rendition, cut at
// its key frames, VOD) and its MP4; the .mkv is removed once both are made. "convert_failed".
std::expected<void, Error> convert_matroska(const std::string& mkv_path);

}  // namespace boai::stream
