// The desk's exception queue over HTTP, finance and admin only (web/PROTOCOL.md,
// docs/FINANCE.md "Resolving exceptions"): GET /api/finance/exceptions lists what is open,
// POST /api/finance/exceptions/ID/resolve resolves one with a reason (or proposes it, above the
// limit, for a second member).
#pragma once

#include <functional>
#include <vector>

#include "donations/money.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

struct QueueSettings {
  donations::Money approval_above;  // the largest write-off or refund one person may make
  int overdue_days = 7;             // a pledge with no payment after this long joins the queue
};

// pool must outlive the routes. money_moved runs on the loop after a resolution that recorded
// money (the rooms' totals follow).
std::vector<web::HttpRoute> exception_routes(sql::WorkerPool& pool, QueueSettings settings,
                                             std::function<void()> money_moved);

}  // namespace boai::app
