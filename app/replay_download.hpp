// GET /api/recordings/NAME/download: a replay's MP4 (or an older recording's .mkv) as a download,
// in byte ranges when asked (a player seeking in it, a download resumed), read from the disk a
// chunk at a time by the connection. Blocking (a stat): run it off the loop.
#pragma once

#include <string>

#include "app/replay_keeper.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// 404 recording_unknown for no such recording or a hidden one, 404 download_not_ready before
// the MP4 is made, 416 for a range past the end.
web::HttpResponse replay_download(ReplayKeeper& keeper, const std::string& name,
                                  const std::string& range_header);

}  // namespace boai::app
