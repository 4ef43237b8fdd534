// Who asks is known from the session cookie, never from the body: a proposal and its approval are
// tied to the two signed-in members, and the database refuses the same name twice.
#include "app/approval_routes.hpp"

#include <limits>

#include "app/route_support.hpp"
#include "app/staff_gate.hpp"
#include "donations/approvals.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

using nlohmann::json;

json request_json(const donations::ApprovalRequest& r) {
  return {{"id", r.id},
          {"kind", r.kind},
          {"reference", r.reference},
          {"amount_fen", r.amount.fen()},
          {"reason", r.reason},
          {"proposed_by", r.proposed_by},
          {"proposed_us", r.proposed_us},
          {"status", r.status},
          {"decided_by", r.decided_by},
          {"note", r.note},
          {"exception_id", r.exception_id == 0 ? json(nullptr) : json(r.exception_id)}};
}

int status_for(const Error& e) {
  if (e.code == "request_not_found" || e.code == "pledge_not_found") {
    return 404;
  }
  if (e.code == "request_decided" || e.code == "same_person" ||
      e.code == "pledge_not_cancellable") {
    return 409;
  }
  return e.code.starts_with("db_") ? 503 : 400;
}

// Runs then(member) for finance or admin staff; answers 401 or 403 otherwise.

std::optional<donations::RefundProposal> proposal_of(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("reference") ||
      !j["reference"].is_string() || !j.contains("amount_fen") ||
      !j["amount_fen"].is_number_integer() || !j.contains("reason") || !j["reason"].is_string()) {
    return std::nullopt;
  }
  return donations::RefundProposal{j["reference"].get<std::string>(),
                                   donations::Money::from_fen(j["amount_fen"].get<std::int64_t>()),
                                   j["reason"].get<std::string>(), ""};
}

void refund(sql::WorkerPool& pool, donations::Money limit, const web::HttpRequest& request,
            web::HttpResponder respond) {
  if (request.method != "POST" || request.path != "/api/finance/refunds") {
    return respond(error_response(405, "method_not_allowed", "POST a refund"));
  }
  auto proposal = proposal_of(request.body);
  if (!proposal) {
    return respond(error_response(
        400, "bad_json", R"(send {"reference": "...", "amount_fen": N, "reason": "..."})"));
  }
  with_staff(
      pool, request, std::move(respond), kFinanceDesk,
      [&pool, limit, proposal = *proposal](const web::StaffSession& s,
                                           web::HttpResponder answer) mutable {
        proposal.by = s.name;
        pool.run_expected<donations::Proposed>(
            [proposal, limit](sql::Connection& c) {
              return donations::propose_refund(c, proposal, limit);
            },
            [answer](std::expected<donations::Proposed, Error> done) {
              if (!done) {
                return answer(error_response(status_for(done.error()), done.error().code,
                                             done.error().message));
              }
              if (done->request) {
                return answer(json_response(202, {{"request", request_json(*done->request)}}));
              }
              answer(json_response(200, {{"refunded",
                                          {{"reference", done->refunded->reference},
                                           {"refunded_fen", done->refunded->refunded.fen()},
                                           {"status", done->refunded->status}}}}));
            });
      });
}

void list(sql::WorkerPool& pool, const web::HttpRequest& request, web::HttpResponder respond) {
  auto status = web::query_value(request.query, "status").value_or("");
  if (status != "" && status != "proposed" && status != "approved" && status != "rejected") {
    return respond(error_response(400, "bad_request", "status is proposed, approved or rejected"));
  }
  with_staff(pool, request, std::move(respond), kFinanceDesk,
             [&pool, status](const web::StaffSession&, web::HttpResponder answer) {
               pool.run_expected<std::vector<donations::ApprovalRequest>>(
                   [status](sql::Connection& c) { return donations::list_requests(c, status); },
                   [answer](auto rows) {
                     if (!rows) {
                       return answer(error_response(503, rows.error().code, rows.error().message));
                     }
                     json out = json::array();
                     for (const auto& r : *rows) {
                       out.push_back(request_json(r));
                     }
                     answer(json_response(200, {{"requests", out}}));
                   });
             });
}

// POST /api/finance/requests/ID/approve or /reject, body {"note"?}.
void decide(sql::WorkerPool& pool, const web::HttpRequest& request, web::HttpResponder respond) {
  constexpr std::string_view kPrefix = "/api/finance/requests/";
  std::string_view rest = std::string_view(request.path).substr(kPrefix.size());
  auto slash = rest.find('/');
  auto id =
      slash == std::string_view::npos
          ? std::nullopt
          : web::parse_bounded(rest.substr(0, slash), std::numeric_limits<std::int64_t>::max());
  auto action = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (request.method != "POST" || !id || (action != "approve" && action != "reject")) {
    return respond(
        error_response(404, "not_found", "POST /api/finance/requests/ID/approve|reject"));
  }
  auto body = json::parse(request.body.empty() ? "{}" : request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() ||
      (body.contains("note") && !body["note"].is_string())) {
    return respond(error_response(400, "bad_json", R"(send {"note": "..."} or nothing)"));
  }
  std::string note = body.value("note", "");
  with_staff(pool, request, std::move(respond), kFinanceDesk,
             [&pool, id = *id, approve = action == "approve", note](const web::StaffSession& s,
                                                                    web::HttpResponder answer) {
               pool.run_expected<donations::ApprovalRequest>(
                   [id, approve, by = s.name, note](sql::Connection& c) {
                     return donations::decide_request(c, id, approve, by, note);
                   },
                   [answer](std::expected<donations::ApprovalRequest, Error> decided) {
                     if (!decided) {
                       return answer(error_response(status_for(decided.error()),
                                                    decided.error().code, decided.error().message));
                     }
                     answer(json_response(200, {{"request", request_json(*decided)}}));
                   });
             });
}

}  // namespace

std::vector<web::HttpRoute> approval_routes(sql::WorkerPool& pool,
                                            donations::Money approval_above) {
  return {{"/api/finance/refunds",
           [&pool, approval_above](const web::HttpRequest& r, web::HttpResponder respond) {
             refund(pool, approval_above, r, std::move(respond));
           }},
          {"/api/finance/requests", [&pool](const web::HttpRequest& r, web::HttpResponder respond) {
             if (r.path == "/api/finance/requests") {
               return list(pool, r, std::move(respond));
             }
             decide(pool, r, std::move(respond));
           }}};
}

}  // namespace boai::app
