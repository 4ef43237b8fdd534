// The replay library over HTTP (web/PROTOCOL.md):
//   GET  /api/recordings?limit=N&before=NAME        a page, newest first, hidden ones left out;
//        &all=1 (hosts): hidden ones too, and the disk the library uses
//   POST /api/recordings/NAME {title, hidden, pinned} (hosts): rename, hide, pin
// The disk is read on the pool's threads (whether or not the database is up).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "app/replay_keeper.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

inline constexpr std::int64_t kRecordingsPageDefault = 50;
inline constexpr std::int64_t kRecordingsPageMax = 200;
inline constexpr std::size_t kReplayTitleMaxChars = 80;

// pool must outlive the routes; the keeper is held by them (and by the pool's jobs).
std::vector<web::HttpRoute> recording_routes(std::shared_ptr<ReplayKeeper> keeper,
                                             sql::WorkerPool& pool);

}  // namespace boai::app
