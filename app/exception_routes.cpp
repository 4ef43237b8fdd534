// The list is read a page at a time by id (after_id), with the overdue pledges brought up to date
// first; who resolves is the signed-in member, never a name in the body.
#include "app/exception_routes.hpp"

#include <limits>

#include "app/route_support.hpp"
#include "app/staff_gate.hpp"
#include "donations/exception_resolution.hpp"
#include "statements/exception_queue.hpp"
#include "statements/statement_matching.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

using nlohmann::json;

constexpr int kPage = 50;

json money_or_null(const std::optional<donations::Money>& m) {
  return m ? json(m->fen()) : json(nullptr);
}

// "7KQ2MZ9D 930, 8MZ2QK7D 610" as [{reference, score}], best first.
json candidates_json(const std::string& text) {
  json out = json::array();
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find(", ", at);
    auto item = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    auto space = item.find(' ');
    if (space != std::string::npos) {
      out.push_back(
          {{"reference", item.substr(0, space)}, {"score", std::stoi(item.substr(space + 1))}});
    }
    at = end == std::string::npos ? text.size() : end + 2;
  }
  return out;
}

json entry_json(const statements::QueueEntry& e) {
  return {{"id", e.id},
          {"kind", e.kind},
          {"source", e.source},
          {"status", e.status},
          {"provider", e.provider},
          {"txn_id", e.txn_id},
          {"line_no", e.line_no},
          {"occurred", e.occurred},
          {"reference", e.reference},
          {"expected_fen", money_or_null(e.expected)},
          {"actual_fen", money_or_null(e.actual)},
          {"counterparty", e.counterparty},
          {"detail", e.detail},
          {"candidates", candidates_json(e.candidates)},
          {"donor_name", e.donor_name},
          {"contact", e.contact},
          {"proposal", e.proposal},
          {"proposed_by", e.proposed_by},
          {"actions", e.actions}};
}

int exception_status_for(const Error& e) {
  if (e.code == "exception_not_found" || e.code == "pledge_not_found" ||
      e.code == "payment_not_found") {
    return 404;
  }
  if (e.code == "exception_resolved" || e.code == "exception_proposed" ||
      e.code == "pledge_not_payable" || e.code == "pledge_not_cancellable" ||
      e.code == "payment_matched" || e.code == "payment_conflict" || e.code == "line_not_posted") {
    return 409;
  }
  return e.code.starts_with("db_") ? 503 : 400;
}

void list(sql::WorkerPool& pool, int overdue_days, const web::HttpRequest& request,
          web::HttpResponder respond) {
  auto kind = web::query_value(request.query, "kind").value_or("");
  std::int64_t after_id = 0;
  if (auto after = web::query_value(request.query, "after_id")) {
    auto n = web::parse_bounded(*after, std::numeric_limits<std::int64_t>::max());
    if (!n) {
      return respond(error_response(400, "bad_request", "after_id is a whole number"));
    }
    after_id = *n;
  }
  with_staff(
      pool, request, std::move(respond), kFinanceDesk,
      [&pool, kind, after_id, overdue_days](const web::StaffSession&, web::HttpResponder answer) {
        pool.run_expected<std::vector<statements::QueueEntry>>(
            [kind, after_id, overdue_days](
                sql::Connection& c) -> std::expected<std::vector<statements::QueueEntry>, Error> {
              if (auto refreshed = statements::refresh_overdue(c, overdue_days); !refreshed) {
                return std::unexpected(refreshed.error());
              }
              return statements::list_exceptions(c, kind, kPage, after_id);
            },
            [answer](std::expected<std::vector<statements::QueueEntry>, Error> rows) {
              if (!rows) {
                return answer(error_response(rows.error().code == "kind_invalid" ? 400 : 503,
                                             rows.error().code, rows.error().message));
              }
              json out = json::array();
              for (const auto& e : *rows) {
                out.push_back(entry_json(e));
              }
              bool full = rows->size() == static_cast<std::size_t>(kPage);
              answer(json_response(
                  200, {{"exceptions", out},
                        {"next_after_id", full ? json(rows->back().id) : json(nullptr)}}));
            });
      });
}

std::optional<donations::Resolution> resolution_of(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("action") || !j["action"].is_string() ||
      !j.contains("reason") || !j["reason"].is_string() ||
      (j.contains("reference") && !j["reference"].is_string())) {
    return std::nullopt;
  }
  donations::Resolution r;
  r.action = j["action"].get<std::string>();
  r.reason = j["reason"].get<std::string>();
  r.reference = j.value("reference", "");
  return r;
}

// POST /api/finance/exceptions/ID/resolve, body {"action", "reason", "reference"?}.
void resolve(sql::WorkerPool& pool, const QueueSettings& settings,
             const std::function<void()>& money_moved, const web::HttpRequest& request,
             web::HttpResponder respond) {
  constexpr std::string_view kPrefix = "/api/finance/exceptions/";
  constexpr std::string_view kSuffix = "/resolve";
  std::string_view path = request.path;
  std::optional<std::int64_t> id;
  if (path.ends_with(kSuffix) && path.size() > kPrefix.size() + kSuffix.size()) {
    id = web::parse_bounded(
        path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()),
        std::numeric_limits<std::int64_t>::max());
  }
  if (request.method != "POST" || !id) {
    return respond(error_response(404, "not_found", "POST /api/finance/exceptions/ID/resolve"));
  }
  auto resolution = resolution_of(request.body);
  if (!resolution) {
    return respond(error_response(
        400, "bad_json", R"(send {"action": "...", "reason": "...", "reference": "..."})"));
  }
  resolution->exception_id = *id;
  with_staff(
      pool, request, std::move(respond), kFinanceDesk,
      [&pool, limit = settings.approval_above, money_moved, r = *resolution](
          const web::StaffSession& s, web::HttpResponder answer) mutable {
        r.by = s.name;
        pool.run_expected<donations::Resolved>(
            [r, limit](sql::Connection& c) { return donations::resolve_exception(c, r, limit); },
            [answer, money_moved](std::expected<donations::Resolved, Error> done) {
              if (!done) {
                return answer(error_response(exception_status_for(done.error()), done.error().code,
                                             done.error().message));
              }
              if (done->request) {
                return answer(json_response(
                    202, {{"status", "proposed"}, {"request_id", done->request->id}}));
              }
              money_moved();
              answer(
                  json_response(200, {{"status", "resolved"}, {"ledger_seq", *done->ledger_seq}}));
            });
      });
}

}  // namespace

std::vector<web::HttpRoute> exception_routes(sql::WorkerPool& pool, QueueSettings settings,
                                             std::function<void()> money_moved) {
  return {{"/api/finance/exceptions",
           [&pool, settings, money_moved](const web::HttpRequest& r, web::HttpResponder respond) {
             if (r.path == "/api/finance/exceptions") {
               return list(pool, settings.overdue_days, r, std::move(respond));
             }
             resolve(pool, settings, money_moved, r, std::move(respond));
           }}};
}

}  // namespace boai::app
