// The body is the file, bytes as they were (an Alipay bill stays GBK: the import converts it); the
// member who uploaded is kept with the import.
#include "app/statement_routes.hpp"

#include <memory>

#include "app/route_support.hpp"
#include "app/staff_gate.hpp"
#include "statements/statement_import.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

using nlohmann::json;

json report_json(const statements::ImportReport& r) {
  return {{"import_id", r.import_id},         {"rows_read", r.rows_read},
          {"new_lines", r.new_lines},         {"matched", r.matched},
          {"exceptions", r.exceptions},       {"skipped", r.skipped},
          {"overdue_added", r.overdue_added}, {"posted", r.posted},
          {"post_failed", r.post_failed}};
}

int status_for(const Error& e) {
  if (e.code == "bank_profile_not_found") {
    return 404;
  }
  if (e.code == "merchant_not_configured") {
    return 409;
  }
  return e.code.starts_with("db_") ? 503 : 422;  // the file itself is wrong
}

}  // namespace

web::HttpRoute statement_route(sql::WorkerPool& pool, StatementSettings settings,
                               std::function<void()> money_moved) {
  auto handler = [&pool, settings, money_moved](const web::HttpRequest& request,
                                                web::HttpResponder respond) {
    if (request.method != "POST" || request.path != "/api/finance/statements") {
      return respond(error_response(404, "not_found", "POST /api/finance/statements"));
    }
    statements::ImportRequest import;
    import.provider = web::query_value(request.query, "provider").value_or("");
    import.bank_profile = web::query_value(request.query, "bank_profile").value_or("");
    import.file_name = web::query_value(request.query, "name").value_or("upload.csv");
    import.wechat_mchid = settings.wechat_mchid;
    import.alipay_seller_id = settings.alipay_seller_id;
    import.overdue_days = settings.overdue_days;
    if (import.provider != "wechat" && import.provider != "alipay" && import.provider != "bank") {
      return respond(error_response(400, "provider_invalid", "provider is wechat, alipay or bank"));
    }
    if (import.file_name.size() > 200) {
      return respond(error_response(400, "bad_request", "the file's name is too long"));
    }
    if (request.body.empty()) {
      return respond(error_response(400, "file_empty", "send the statement file as the body"));
    }
    with_staff(pool, request, std::move(respond), kFinanceDesk,
               [&pool, money_moved, import, bytes = std::make_shared<std::string>(request.body)](
                   const web::StaffSession& s, web::HttpResponder answer) mutable {
                 import.imported_by = s.name;
                 pool.run_expected<statements::ImportReport>(
                     [import, bytes](sql::Connection& c) {
                       statements::TextSource source(*bytes);
                       return statements::import_statement(c, import, source);
                     },
                     [answer, money_moved](std::expected<statements::ImportReport, Error> done) {
                       if (!done) {
                         return answer(error_response(status_for(done.error()), done.error().code,
                                                      done.error().message));
                       }
                       if (done->posted > 0) {
                         money_moved();
                       }
                       answer(json_response(200, {{"report", report_json(*done)}}));
                     });
               });
  };
  return {"/api/finance/statements", handler, kMaxStatementBytes, web::RequestGuard::kUpload};
}

}  // namespace boai::app
