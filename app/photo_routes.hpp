// POST /api/photos: staff upload a PNG or JPEG (the request's body, at most 5 MiB) for a wish's
// proof (?wish=ID) or a sale item's photo; the answer names the saved file, which wish.fulfil and
// sale.add then refer to. The file is written on a worker, never on the loop.
#pragma once

#include <string>

#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// pool must outlive the route.
web::HttpRoute photo_route(sql::WorkerPool& pool, std::string proofs_dir);

}  // namespace boai::app
