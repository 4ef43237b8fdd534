// The ledger's pages: arguments checked on the loop, the page read and written on a worker.
#include "app/ledger_routes.hpp"

#include <limits>

#include "app/route_support.hpp"
#include "donations/ledger_page.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

// nullopt: a bad argument (not a whole number, or out of range); a missing one is `fallback`.
std::optional<std::int64_t> argument(const web::HttpRequest& request, const char* name,
                                     std::int64_t fallback, std::int64_t max) {
  auto text = web::query_value(request.query, name);
  return text ? web::parse_bounded(*text, max) : std::optional<std::int64_t>(fallback);
}

}  // namespace

web::HttpRoute ledger_entries_route(sql::WorkerPool& pool) {
  auto handler = [&pool](const web::HttpRequest& request, web::HttpResponder respond) {
    // "after" is the short name the open books' issue used; both mean the same.
    auto after =
        argument(request, web::query_value(request.query, "after_seq") ? "after_seq" : "after", 0,
                 std::numeric_limits<std::int64_t>::max());
    auto limit =
        argument(request, "limit", donations::kLedgerPageDefault, donations::kLedgerPageMax);
    if (!after || !limit || *limit < 1) {
      return respond(
          error_response(400, "bad_request",
                         "after_seq is a whole number of 0 or more; limit one from 1 to " +
                             std::to_string(donations::kLedgerPageMax)));
    }
    pool.run_expected<donations::LedgerPage>(
        [after = *after, limit = *limit](sql::Connection& conn) {
          return donations::public_ledger_page(conn, after, limit);
        },
        [respond, request, limit = *limit](std::expected<donations::LedgerPage, Error> page) {
          if (!page) {
            return respond(error_response(503, page.error().code, "the ledger cannot be read now"));
          }
          // A full page never changes (entries are only appended): a CDN may keep it for good.
          respond(cacheable(request, std::move(page->json),
                            page->entries == limit ? "public, max-age=31536000, immutable"
                                                   : "public, max-age=5"));
        });
  };
  return {"/api/ledger/entries", handler};
}

}  // namespace boai::app
