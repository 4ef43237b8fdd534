// Low-Latency HLS for the studio's room, beside the classic files under /hls/: the master playlist
// at /ll/<room>/master.m3u8, each rendition's LL playlist at /ll/<room>/<rendition>/index.m3u8
// from the studio's LiveEdge with blocking reloads (_HLS_msn, _HLS_part: held on the loop until
// that segment or part is there, 400 when too far ahead, 503 when it has not come within three
// target durations), and its segments and parts (a part being written is held until complete).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "stream/live_edge.hpp"
#include "web/http_types.hpp"

namespace boai::app {

struct LowLatencySite {
  std::string room;
  std::string room_dir;  // <hls_dir>/<room>: the master playlist, <rendition>/ the media files
  std::shared_ptr<stream::LiveEdge> edge;
};

// Call on the loop's thread, before the loop runs or on it.
std::vector<web::HttpRoute> low_latency_routes(LowLatencySite site);

}  // namespace boai::app
