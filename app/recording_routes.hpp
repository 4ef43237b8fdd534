// GET /api/recordings?limit=N&before=NAME: the replay library a page at a time, newest first,
// read off the loop (web/PROTOCOL.md).
#pragma once

#include <string>

#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

inline constexpr std::int64_t kRecordingsPageDefault = 50;
inline constexpr std::int64_t kRecordingsPageMax = 200;

// The directory is read on the pool's threads (whether or not the database is up); pool must
// outlive the route.
web::HttpRoute recordings_route(const std::string& recordings_dir, sql::WorkerPool& pool);

}  // namespace boai::app
