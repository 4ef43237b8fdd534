// Every route reads on a worker and answers with an ETag of the body: a CDN or a phone asks again
// with If-None-Match and gets 304 while the books have not moved.
#include "app/open_books_routes.hpp"

#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/answer_cache.hpp"
#include "app/route_support.hpp"
#include "openbooks/checkpoints.hpp"
#include "openbooks/gift_lookup.hpp"
#include "openbooks/public_lists.hpp"
#include "openbooks/public_summary.hpp"
#include "web/address_limiter.hpp"
#include "web/query_params.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

using Read = std::function<std::expected<json, Error>(sql::Connection&)>;

int status_of(const Error& e) {
  if (e.code == "gift_not_found") {
    return 404;
  }
  if (e.code == "reference_invalid" || e.code == "period_invalid") {
    return 400;
  }
  return 503;
}

using Cache = std::shared_ptr<AnswerCache>;

// Reads on a worker, unless the cache holds a fresh answer (cache may be null: never kept); 304
// when the caller already holds this very answer.
void answer_read(sql::WorkerPool& pool, const Cache& cache, const web::HttpRequest& request,
                 web::HttpResponder respond, Read read, std::string cache_control) {
  std::string key = request.path + "?" + request.query;
  if (const std::string* kept = cache ? cache->find(key) : nullptr) {
    return respond(cacheable(request, *kept, cache_control));
  }
  pool.run_expected<json>(std::move(read), [respond, cache_control, request, cache,
                                            key](std::expected<json, Error> body) {
    if (!body) {
      return respond(
          error_response(status_of(body.error()), body.error().code, body.error().message));
    }
    std::string text = body->dump();
    if (cache) {
      cache->keep(key, text);
    }
    respond(cacheable(request, std::move(text), cache_control));
  });
}

// A whole-number query argument, `fallback` when absent; nullopt when bad.
std::optional<std::int64_t> argument(const web::HttpRequest& request, const char* name,
                                     std::int64_t fallback, std::int64_t max) {
  auto text = web::query_value(request.query, name);
  return text ? web::parse_bounded(*text, max) : std::optional<std::int64_t>(fallback);
}

// The path after prefix ("/api/gift/K7QX2M9P" -> "K7QX2M9P").
std::string tail_of(const std::string& path, const std::string& prefix) {
  return path.size() > prefix.size() + 1 ? path.substr(prefix.size() + 1) : std::string();
}

constexpr const char* kShortCache = "public, max-age=5";

web::HttpRoute summary_route(sql::WorkerPool& pool, const Cache& cache) {
  return {"/api/ledger/summary",
          [&pool, cache](const web::HttpRequest& request, web::HttpResponder respond) {
            answer_read(pool, cache, request, std::move(respond), openbooks::ledger_summary,
                        kShortCache);
          }};
}

web::HttpRoute months_route(sql::WorkerPool& pool, const Cache& cache) {
  return {"/api/ledger/months",
          [&pool, cache](const web::HttpRequest& request, web::HttpResponder respond) {
            std::string month = tail_of(request.path, "/api/ledger/months");
            Read read =
                month.empty() ? Read(openbooks::month_list) : Read([month](sql::Connection& c) {
                  return openbooks::month_disclosure(c, month);
                });
            answer_read(pool, cache, request, std::move(respond), std::move(read), kShortCache);
          }};
}

// /api/ledger/expenditures and /api/ledger/wishes: ?before_id=ID&limit=N, newest first.
web::HttpRoute list_route(sql::WorkerPool& pool, const Cache& cache, const std::string& prefix,
                          std::expected<json, Error> (*page)(sql::Connection&, std::int64_t,
                                                             std::int64_t)) {
  return {
      prefix, [&pool, cache, page](const web::HttpRequest& request, web::HttpResponder respond) {
        auto before = argument(request, "before_id", 0, std::numeric_limits<std::int64_t>::max());
        auto limit = argument(request, "limit", 20, openbooks::kPublicListMax);
        if (!before || !limit || *limit < 1) {
          return respond(error_response(400, "bad_request",
                                        "before_id is a whole number; limit one from 1 to " +
                                            std::to_string(openbooks::kPublicListMax)));
        }
        answer_read(
            pool, cache, request, std::move(respond),
            [page, b = *before, l = *limit](sql::Connection& c) { return page(c, b, l); },
            kShortCache);
      }};
}

web::HttpRoute checkpoints_route(sql::WorkerPool& pool, const Cache& cache,
                                 const openbooks::PublicKey& key) {
  json key_json = {{"id", key.id}, {"public_key", key.raw_base64}};
  return {"/api/ledger/checkpoints",
          [&pool, cache, key_json](const web::HttpRequest& request, web::HttpResponder respond) {
            auto after =
                argument(request, "after_seq", 0, std::numeric_limits<std::int64_t>::max());
            auto limit = argument(request, "limit", openbooks::kCheckpointPageMax,
                                  openbooks::kCheckpointPageMax);
            if (!after || !limit || *limit < 1) {
              return respond(error_response(400, "bad_request",
                                            "after_seq is a whole number; limit one from 1 to " +
                                                std::to_string(openbooks::kCheckpointPageMax)));
            }
            Read read = [key_json, a = *after,
                         l = *limit](sql::Connection& c) -> std::expected<json, Error> {
              auto list = openbooks::list_checkpoints(c, a, l);
              if (!list) {
                return std::unexpected(list.error());
              }
              json out = {{"key", key_json}, {"checkpoints", json::array()}};
              for (const auto& cp : *list) {
                out["checkpoints"].push_back(openbooks::checkpoint_json(cp));
              }
              out["next_after_seq"] = list->empty() ? a : list->back().seq;
              return out;
            };
            answer_read(pool, cache, request, std::move(respond), std::move(read), kShortCache);
          }};
}

web::HttpRoute key_route(const openbooks::PublicKey& key) {
  std::string body = json{
      {"algorithm", "Ed25519"},
      {"id", key.id},
      {"public_key", key.raw_base64},
      {"pem", key.pem}}.dump();
  return {"/api/ledger/key", [body](const web::HttpRequest& request, web::HttpResponder respond) {
            respond(cacheable(request, body, "public, max-age=3600"));
          }};
}

// Rate-limited per address: a reference is the only key to a gift, so guessing must be slow.
web::HttpRoute gift_route(sql::WorkerPool& pool, double per_minute) {
  auto limiter = std::make_shared<web::AddressLimiter>(per_minute, std::max(1.0, per_minute / 4));
  return {"/api/gift",
          [&pool, limiter](const web::HttpRequest& request, web::HttpResponder respond) {
            if (!limiter->take(request.peer)) {
              return respond(error_response(429, "rate_limited",
                                            "too many gift lookups from this address; try again "
                                            "in a minute"));
            }
            std::string reference = tail_of(request.path, "/api/gift");
            answer_read(
                pool, nullptr, request, std::move(respond),
                [reference](sql::Connection& c) { return openbooks::find_gift(c, reference); },
                "private, no-cache");
          }};
}

}  // namespace

std::vector<web::HttpRoute> open_books_routes(const OpenBooksConfig& config,
                                              sql::WorkerPool& pool) {
  // One second: a summary read costs PostgreSQL about a millisecond of CPU (bench/ledger_public).
  auto cache = std::make_shared<AnswerCache>(std::chrono::seconds(1));
  return {summary_route(pool, cache),
          months_route(pool, cache),
          list_route(pool, cache, "/api/ledger/expenditures", openbooks::expenditure_page),
          list_route(pool, cache, "/api/ledger/wishes", openbooks::wish_page),
          checkpoints_route(pool, cache, config.key),
          key_route(config.key),
          gift_route(pool, config.gift_lookups_per_minute)};
}

}  // namespace boai::app
