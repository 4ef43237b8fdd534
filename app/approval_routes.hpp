// The desk's refunds over HTTP, finance and admin only (web/PROTOCOL.md, docs/FINANCE.md):
// POST /api/finance/refunds makes a refund up to the limit or proposes one above it;
// GET /api/finance/requests lists the proposals; POST /api/finance/requests/ID/approve|reject lets
// a second member decide.
#pragma once

#include <vector>

#include "donations/money.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// pool must outlive the routes. approval_above: the largest refund one person may make.
std::vector<web::HttpRoute> approval_routes(sql::WorkerPool& pool, donations::Money approval_above);

}  // namespace boai::app
