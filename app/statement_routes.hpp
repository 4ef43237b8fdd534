// The desk's statement upload, finance and admin only (web/PROTOCOL.md): POST
// /api/finance/statements?provider=wechat|alipay|bank[&bank_profile=NAME][&name=FILE] with the
// file as the body; imported, matched and posted on a worker like `boai reconcile import`.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// A day's bill is a few hundred lines; a larger history goes through the command line.
inline constexpr std::size_t kMaxStatementBytes = 32u << 20;

struct StatementSettings {
  std::string wechat_mchid;  // the station's merchant numbers, checked against each bill
  std::string alipay_seller_id;
  int overdue_days = 7;
};

// pool must outlive the route. money_moved runs on the loop after an import that posted payments.
web::HttpRoute statement_route(sql::WorkerPool& pool, StatementSettings settings,
                               std::function<void()> money_moved);

}  // namespace boai::app
