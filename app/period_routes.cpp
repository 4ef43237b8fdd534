// Arguments are read on the loop; the member comes from the session cookie (the close and a
// correction carry their name); the work runs on a worker: the loop never waits for a report.
#include "app/period_routes.hpp"

#include "app/route_support.hpp"
#include "app/staff_gate.hpp"
#include "donations/corrections.hpp"
#include "donations/periods.hpp"
#include "donations/report_csv.hpp"
#include "donations/reports.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

using nlohmann::json;
using namespace boai::donations;

int period_status_for(const Error& e) {
  if (e.code == "campaign_not_found" || e.code == "fund_not_found") {
    return 404;
  }
  if (e.code == "period_closed" || e.code == "period_not_ended") {
    return 409;
  }
  return e.code.starts_with("db_") ? 503 : 400;
}

web::HttpResponse failure(const Error& e) {
  return error_response(period_status_for(e), e.code, e.message);
}

json period_json(const Period& p) {
  return {{"period", p.name}, {"kind", p.kind}, {"starts_us", p.starts_us}, {"ends_us", p.ends_us}};
}

json closed_json(const ClosedPeriod& c) {
  auto j = period_json(c.period);
  j["closed_by"] = c.closed_by;
  j["closed_us"] = c.closed_us;
  j["closed_seq"] = c.closed_seq;
  j["figures"] = figures_json(c.figures);
  return j;
}

json reconciliation_json(const Reconciliation& r) {
  json rows = json::array();
  for (const auto& row : r.rows) {
    rows.push_back({{"group", row.group},
                    {"key", row.key},
                    {"name", row.name},
                    {"figures", figures_json(row.figures)}});
  }
  return {{"report", "reconciliation"},
          {"period", period_json(r.period)},
          {"as_of_us", r.as_of_us},
          {"ledger_seq", r.ledger_seq},
          {"rows", rows},
          {"totals", figures_json(r.totals)}};
}

json closeout_json(const CloseOut& c) {
  json owing = json::array();
  for (const auto& p : c.owing) {
    owing.push_back({{"reference", p.reference},
                     {"created_us", p.created_us},
                     {"amount_fen", p.amount.fen()},
                     {"paid_fen", p.paid.fen()},
                     {"status", p.status},
                     {"donor_name", p.donor_name},
                     {"anonymous", p.anonymous},
                     {"contact", p.contact}});
  }
  return {{"report", "closeout"},
          {"campaign", {{"slug", c.campaign}, {"title", c.title}, {"status", c.status}}},
          {"as_of_us", c.as_of_us},
          {"pledges", c.pledges},
          {"pledged_fen", c.pledged.fen()},
          {"paid_pledges", c.paid_pledges},
          {"arrived_fen", c.arrived.fen()},
          {"refunded_fen", c.refunded.fen()},
          {"cancelled_pledges", c.cancelled_pledges},
          {"cancelled_fen", c.cancelled.fen()},
          {"outstanding_pledges", c.outstanding_pledges},
          {"outstanding_fen", c.outstanding.fen()},
          {"owing", owing}};
}

web::HttpResponse csv_response(std::string body, const std::string& file_name) {
  return {200,
          "text/csv; charset=utf-8",
          std::move(body),
          {{"Content-Disposition", "attachment; filename=\"" + file_name + "\""},
           {"Cache-Control", "no-store"}}};
}

std::string arg(const web::HttpRequest& request, const char* name) {
  return web::query_value(request.query, name).value_or("");
}

// ?period=2026-11, or ?from=2026-11-01&to=2026-11-30.
std::expected<Period, Error> report_period(const web::HttpRequest& request) {
  auto period = arg(request, "period");
  auto from = arg(request, "from");
  auto to = arg(request, "to");
  if (!period.empty() && from.empty() && to.empty()) {
    return parse_period(period);
  }
  if (period.empty() && !from.empty() && !to.empty()) {
    return day_range(from, to);
  }
  return std::unexpected(
      make_error("bad_request", "give period=2026-11 (or a day) or from=DAY&to=DAY"));
}

void reconciliation_route(sql::WorkerPool& pool, const web::HttpRequest& request,
                          web::HttpResponder respond) {
  auto period = report_period(request);
  if (!period) {
    return respond(failure(period.error()));
  }
  bool csv = arg(request, "format") == "csv";
  with_staff(pool, request, std::move(respond), kFinanceDesk,
             [&pool, period = *period, csv](const web::StaffSession&, web::HttpResponder answer) {
               pool.run_expected<Reconciliation>(
                   [period](sql::Connection& c) { return reconciliation(c, period); },
                   [answer, csv](std::expected<Reconciliation, Error> r) {
                     if (!r) {
                       return answer(failure(r.error()));
                     }
                     answer(csv ? csv_response(reconciliation_csv(*r), reconciliation_file_name(*r))
                                : json_response(200, reconciliation_json(*r)));
                   });
             });
}

void closeout_route(sql::WorkerPool& pool, const web::HttpRequest& request,
                    web::HttpResponder respond) {
  auto campaign = arg(request, "campaign");
  if (campaign.empty()) {
    return respond(error_response(400, "bad_request", "give campaign=SLUG"));
  }
  bool csv = arg(request, "format") == "csv";
  with_staff(pool, request, std::move(respond), kFinanceDesk,
             [&pool, campaign, csv](const web::StaffSession&, web::HttpResponder answer) {
               pool.run_expected<CloseOut>(
                   [campaign](sql::Connection& c) { return closeout(c, campaign); },
                   [answer, csv](std::expected<CloseOut, Error> r) {
                     if (!r) {
                       return answer(failure(r.error()));
                     }
                     answer(csv ? csv_response(closeout_csv(*r), closeout_file_name(*r))
                                : json_response(200, closeout_json(*r)));
                   });
             });
}

void periods_route(sql::WorkerPool& pool, const web::HttpRequest& request,
                   web::HttpResponder respond) {
  if (request.path == "/api/finance/periods/close") {
    if (request.method != "POST") {
      return respond(error_response(405, "method_not_allowed", "POST a period to close"));
    }
    auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("period") ||
        !body["period"].is_string()) {
      return respond(error_response(400, "bad_json", R"(send {"period": "2026-11"})"));
    }
    return with_staff(
        pool, request, std::move(respond), kFinanceDesk,
        [&pool, period = body["period"].get<std::string>()](const web::StaffSession& s,
                                                            web::HttpResponder answer) {
          pool.run_expected<ClosedPeriod>(
              [period, by = s.name](sql::Connection& c) { return close_period(c, period, by); },
              [answer](std::expected<ClosedPeriod, Error> closed) {
                if (!closed) {
                  return answer(failure(closed.error()));
                }
                answer(json_response(200, {{"closed", closed_json(*closed)}}));
              });
        });
  }
  if (request.path != "/api/finance/periods" || request.method != "GET") {
    return respond(error_response(404, "not_found", "GET /api/finance/periods"));
  }
  with_staff(pool, request, std::move(respond), kFinanceDesk,
             [&pool](const web::StaffSession&, web::HttpResponder answer) {
               pool.run_expected<PeriodList>(
                   [](sql::Connection& c) { return list_periods(c); },
                   [answer](std::expected<PeriodList, Error> list) {
                     if (!list) {
                       return answer(failure(list.error()));
                     }
                     json closed = json::array();
                     for (const auto& c : list->closed) {
                       closed.push_back(closed_json(c));
                     }
                     json closable = json::array();
                     for (const auto& p : list->closable) {
                       closable.push_back(period_json(p));
                     }
                     answer(json_response(200, {{"closed", closed}, {"closable", closable}}));
                   });
             });
}

// POST /api/finance/corrections {period, kind: "received"|"spent", amount_fen, fund, campaign?,
// reason}.
std::optional<CorrectionRequest> correction_of(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  auto is_text = [&](const char* k) { return j.contains(k) && j[k].is_string(); };
  if (j.is_discarded() || !j.is_object() || !is_text("period") || !is_text("kind") ||
      !is_text("fund") || !is_text("reason") || !j.contains("amount_fen") ||
      !j["amount_fen"].is_number_integer() ||
      (j.contains("campaign") && !j["campaign"].is_null() && !j["campaign"].is_string())) {
    return std::nullopt;
  }
  auto kind = j["kind"].get<std::string>();
  if (kind != "received" && kind != "spent") {
    return std::nullopt;
  }
  CorrectionRequest r;
  r.period = j["period"].get<std::string>();
  r.received = kind == "received";
  r.amount = Money::from_fen(j["amount_fen"].get<std::int64_t>());
  r.fund = j["fund"].get<std::string>();
  r.campaign = is_text("campaign") ? j["campaign"].get<std::string>() : "";
  r.reason = j["reason"].get<std::string>();
  return r;
}

void corrections_route(sql::WorkerPool& pool, const web::HttpRequest& request,
                       web::HttpResponder respond) {
  if (request.method != "POST" || request.path != "/api/finance/corrections") {
    return respond(error_response(405, "method_not_allowed", "POST a correction"));
  }
  auto correction = correction_of(request.body);
  if (!correction) {
    return respond(
        error_response(400, "bad_json",
                       R"(send {"period": "2026-11", "kind": "received"|"spent", "amount_fen": N, )"
                       R"("fund": "general", "reason": "..."})"));
  }
  with_staff(pool, request, std::move(respond), kFinanceDesk,
             [&pool, correction = *correction](const web::StaffSession& s,
                                               web::HttpResponder answer) mutable {
               correction.by = s.name;
               pool.run_expected<Correction>(
                   [correction](sql::Connection& c) { return record_correction(c, correction); },
                   [answer](std::expected<Correction, Error> done) {
                     if (!done) {
                       return answer(failure(done.error()));
                     }
                     answer(json_response(201, {{"correction",
                                                 {{"id", done->id},
                                                  {"seq", done->seq},
                                                  {"kind", done->kind},
                                                  {"amount_fen", done->amount.fen()},
                                                  {"memo", done->memo}}}}));
                   });
             });
}

}  // namespace

std::vector<web::HttpRoute> period_routes(sql::WorkerPool& pool) {
  auto bind = [&pool](void (*fn)(sql::WorkerPool&, const web::HttpRequest&, web::HttpResponder)) {
    return [&pool, fn](const web::HttpRequest& r, web::HttpResponder respond) {
      fn(pool, r, std::move(respond));
    };
  };
  return {{"/api/finance/periods", bind(periods_route)},
          {"/api/finance/corrections", bind(corrections_route)},
          {"/api/finance/reports/reconciliation", bind(reconciliation_route)},
          {"/api/finance/reports/closeout", bind(closeout_route)}};
}

}  // namespace boai::app
