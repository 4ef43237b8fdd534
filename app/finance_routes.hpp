// The finance desk's searches over HTTP, for finance and admin staff only:
// GET /api/finance/pledges and GET /api/finance/payments (web/PROTOCOL.md). The query runs on the
// worker pool; rows carry donors' names and contacts, so every answer is `no-store`.
#pragma once

#include <vector>

#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// pool must outlive the routes.
std::vector<web::HttpRoute> finance_routes(sql::WorkerPool& pool);

}  // namespace boai::app
