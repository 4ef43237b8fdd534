// What `boai serve`'s options mean for each part it starts: the live room's limits, the live
// service's address, TLS, mounts and WebSocket limits, and the studio's room and folders.
#pragma once

#include <chrono>
#include <string>

#include "app/options.hpp"
#include "donations/money.hpp"
#include "stream/studio_config.hpp"
#include "web/live_room.hpp"
#include "web/live_service.hpp"

namespace boai::app {

struct ServeDirs {
  std::string hls;         // --hls-dir, or DATA_DIR/hls
  std::string recordings;  // --recordings-dir, or DATA_DIR/recordings
  std::string proofs;      // DATA_DIR/proofs: fulfilled wishes' proof images
};
ServeDirs serve_dirs(const Options& options);

web::LiveRoomConfig live_room_config(const Options& options);
// The largest refund one finance member may make alone (--limits refund_approval_above_yuan).
donations::Money refund_approval_above(const Options& options);
// Days a pledge may wait for its money before the desk's queue lists it (--limits overdue_days;
// 0: at once).
int overdue_days(const Options& options);
// How often serve signs the ledger's head when it grew (--limits checkpoint_minutes).
std::chrono::milliseconds checkpoint_every(const Options& options);
// Gift lookups one address may make a minute (--limits gift_lookups_per_minute).
double gift_lookups_per_minute(const Options& options);
// Requests to /api/pay/orders one address may make a minute (--limits pay_requests_per_minute).
double pay_requests_per_minute(const Options& options);
web::LiveServiceConfig live_service_config(const Options& options, const ServeDirs& dirs,
                                           web::WsEndpoint& room);
// Reads the first live campaign when no --room was given (a blocking query: startup only).
stream::StudioConfig studio_config(const Options& options, const std::string& conninfo,
                                   const ServeDirs& dirs);

}  // namespace boai::app
