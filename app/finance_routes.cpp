// The desk's searches: the arguments are read on the loop, the signed-in member's role checked,
// then the page read on a worker. A page ends with `next_before_id`, the id the next page starts
// below (null on the last).
#include "app/finance_routes.hpp"

#include <limits>

#include "app/route_support.hpp"
#include "app/staff_gate.hpp"
#include "donations/desk_search.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

using nlohmann::json;

struct Paging {
  std::optional<std::int64_t> before_id;
  int limit = 50;
};

std::optional<Paging> paging(const web::HttpRequest& request) {
  Paging p;
  if (auto before = web::query_value(request.query, "before_id")) {
    p.before_id = web::parse_bounded(*before, std::numeric_limits<std::int64_t>::max());
    if (!p.before_id) {
      return std::nullopt;
    }
  }
  if (auto limit = web::query_value(request.query, "limit")) {
    auto n = web::parse_bounded(*limit, donations::kDeskPageMax);
    if (!n || *n < 1) {
      return std::nullopt;
    }
    p.limit = static_cast<int>(*n);
  }
  return p;
}

std::string arg(const web::HttpRequest& request, const char* name) {
  return web::query_value(request.query, name).value_or("");
}

json pledge_json(const donations::DeskPledge& p) {
  return {{"id", p.id},
          {"reference", p.reference},
          {"created_us", p.created_us},
          {"campaign", p.campaign},
          {"fund", p.fund},
          {"kind", p.kind},
          {"amount_fen", p.amount.fen()},
          {"paid_fen", p.paid.fen()},
          {"refunded_fen", p.refunded.fen()},
          {"status", p.status},
          {"channel", p.channel},
          {"donor_name", p.donor_name},
          {"anonymous", p.anonymous},
          {"contact", p.contact},
          {"payments", p.payments}};
}

json payment_json(const donations::DeskPayment& m) {
  return {{"id", m.id},
          {"provider", m.provider},
          {"txn_id", m.txn_id},
          {"amount_fen", m.amount.fen()},
          {"fee_fen", m.fee.fen()},
          {"paid_us", m.paid_us},
          {"reference", m.reference.empty() ? json(nullptr) : json(m.reference)},
          {"payer_remark", m.payer_remark}};
}

// A page of rows as {key: [...], next_before_id}.
template <typename Row>
web::HttpResponse page_of(const char* key, const std::vector<Row>& rows, int limit,
                          json (*to_json)(const Row&)) {
  json list = json::array();
  for (const auto& row : rows) {
    list.push_back(to_json(row));
  }
  bool full = static_cast<int>(rows.size()) == limit;
  return json_response(
      200, {{key, list}, {"next_before_id", full ? json(rows.back().id) : json(nullptr)}});
}

// Runs search(conn) for finance or admin staff, answering its rows as a page.
template <typename Row, typename Search>
void for_finance(sql::WorkerPool& pool, const web::HttpRequest& request, web::HttpResponder respond,
                 const char* key, int limit, json (*to_json)(const Row&), Search search) {
  with_staff(
      pool, request, std::move(respond), kFinanceDesk,
      [&pool, key, limit, to_json, search](const web::StaffSession&, web::HttpResponder answer) {
        pool.run_expected<std::vector<Row>>(
            search, [answer, key, limit, to_json](std::expected<std::vector<Row>, Error> rows) {
              if (!rows) {
                int status = rows.error().code == "bad_request" ? 400 : 503;
                return answer(error_response(status, rows.error().code, rows.error().message));
              }
              answer(page_of(key, *rows, limit, to_json));
            });
      });
}

constexpr const char* kBadPage =
    "before_id is a whole number, limit one from 1 to 200 (web/PROTOCOL.md)";

void pledges(sql::WorkerPool& pool, const web::HttpRequest& request, web::HttpResponder respond) {
  auto page = paging(request);
  if (!page) {
    return respond(error_response(400, "bad_request", kBadPage));
  }
  donations::PledgeFilter filter{arg(request, "q"), arg(request, "status"),
                                 arg(request, "campaign"), page->before_id, page->limit};
  for_finance<donations::DeskPledge>(
      pool, request, std::move(respond), "pledges", page->limit, &pledge_json,
      [filter](sql::Connection& c) { return donations::search_pledges(c, filter); });
}

void payments(sql::WorkerPool& pool, const web::HttpRequest& request, web::HttpResponder respond) {
  auto page = paging(request);
  if (!page) {
    return respond(error_response(400, "bad_request", kBadPage));
  }
  donations::PaymentFilter filter{arg(request, "q"), arg(request, "provider"),
                                  arg(request, "unmatched") == "1", page->before_id, page->limit};
  for_finance<donations::DeskPayment>(
      pool, request, std::move(respond), "payments", page->limit, &payment_json,
      [filter](sql::Connection& c) { return donations::search_payments(c, filter); });
}

}  // namespace

std::vector<web::HttpRoute> finance_routes(sql::WorkerPool& pool) {
  return {{"/api/finance/pledges",
           [&pool](const web::HttpRequest& r, web::HttpResponder respond) {
             pledges(pool, r, std::move(respond));
           }},
          {"/api/finance/payments", [&pool](const web::HttpRequest& r, web::HttpResponder respond) {
             payments(pool, r, std::move(respond));
           }}};
}

}  // namespace boai::app
