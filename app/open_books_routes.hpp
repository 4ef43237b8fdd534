// The open books over HTTP (issue #13; web/PROTOCOL.md "Open books"): the summary, the months,
// expenditures, wishes, signed checkpoints and the key of /api/ledger, a donor's own gift at
// /api/gift/REF, and the pages /ledger and /gift/REF. Public, cacheable (ETag), read on workers.
#pragma once

#include <string>
#include <vector>

#include "openbooks/ledger_key.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

struct OpenBooksConfig {
  std::string static_dir;
  openbooks::PublicKey key;
  double gift_lookups_per_minute = 20;
};

// pool must outlive the routes.
std::vector<web::HttpRoute> open_books_routes(const OpenBooksConfig& config, sql::WorkerPool& pool);

}  // namespace boai::app
