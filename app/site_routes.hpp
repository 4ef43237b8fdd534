// The HTTP routes the pages use beside the protocol: the viewer page at /r/<room>, the host
// console at /host, the rooms, the station, the recordings, and the studio's preview.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "donations/money.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

class ReplayKeeper;
class Show;

struct SiteInfo {
  std::string static_dir;
  std::string station_name;
  std::string certificate;
  std::string credit_code;
  std::string studio_room;  // empty without a studio
  std::shared_ptr<ReplayKeeper> replays;
  // Open pledges above it stay out of the rooms' 已认捐 until paid (donations/held_pledges.hpp).
  donations::Money show_unpaid_up_to;
};

// show may be null (no studio on this node). pool and show must outlive the routes.
std::vector<web::HttpRoute> site_routes(const SiteInfo& site, sql::WorkerPool& pool, Show* show);

}  // namespace boai::app
