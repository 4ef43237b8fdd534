// The desk's closing and reports over HTTP, finance and admin only (web/PROTOCOL.md,
// docs/FINANCE.md "Closing and reports"): GET /api/finance/periods, POST
// /api/finance/periods/close, POST /api/finance/corrections, GET
// /api/finance/reports/reconciliation and /closeout (JSON, or CSV with format=csv).
#pragma once

#include <vector>

#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// pool must outlive the routes.
std::vector<web::HttpRoute> period_routes(sql::WorkerPool& pool);

}  // namespace boai::app
