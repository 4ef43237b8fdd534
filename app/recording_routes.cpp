// The recordings route: arguments checked on the loop, the page read and its JSON made on a
// worker thread, the answer given back on the loop.
#include "app/recording_routes.hpp"

#include <memory>

#include "app/route_support.hpp"
#include "stream/recordings.hpp"
#include "web/query_params.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

web::HttpResponse page_response(stream::RecordingIndex& index, std::size_t limit,
                                const std::string& before) {
  auto page = index.page(limit, before);
  if (!page) {
    return error_response(400, "bad_request", "before is not a recording's name");
  }
  json list = json::array();
  for (const auto& r : page->recordings) {
    list.push_back({{"name", r.file_name},
                    {"room", r.room},
                    {"url", "/recordings/" + r.file_name},
                    {"bytes", r.size_bytes},
                    {"started", r.started_utc}});
  }
  return json_response(
      200, {{"recordings", std::move(list)},
            {"next_before", page->next_before ? json(*page->next_before) : json(nullptr)}});
}

}  // namespace

web::HttpRoute recordings_route(const std::string& recordings_dir, sql::WorkerPool& pool) {
  auto index = std::make_shared<stream::RecordingIndex>(recordings_dir);
  auto handler = [index, &pool](const web::HttpRequest& request, web::HttpResponder respond) {
    auto limit_text = web::query_value(request.query, "limit");
    auto limit = limit_text ? web::parse_bounded(*limit_text, kRecordingsPageMax)
                            : std::optional<std::int64_t>(kRecordingsPageDefault);
    if (!limit || *limit < 1) {
      return respond(error_response(
          400, "bad_request",
          "limit is a whole number from 1 to " + std::to_string(kRecordingsPageMax)));
    }
    auto before = web::query_value(request.query, "before").value_or("");
    auto n = static_cast<std::size_t>(*limit);
    // Listing files needs no database: the same work runs when the pool has no connection.
    auto work = [index, n, before](sql::Connection&) { return page_response(*index, n, before); };
    auto without_db = [index, n, before](const sql::DbError&) {
      return page_response(*index, n, before);
    };
    pool.run<web::HttpResponse>(work, respond, without_db);
  };
  return {"/api/recordings", handler};
}

}  // namespace boai::app
