// GET /api/ledger/entries?after_seq=N&limit=M: the public ledger a page at a time, by keyset,
// on the worker pool (web/PROTOCOL.md, docs/LEDGER.md).
#pragma once

#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// pool must outlive the route.
web::HttpRoute ledger_entries_route(sql::WorkerPool& pool);

}  // namespace boai::app
