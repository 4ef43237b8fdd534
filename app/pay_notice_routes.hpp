// POST /api/pay/notify/wechat, /alipay and /generic: payment notices verified on the loop (a few
// microseconds of RSA and AES), then kept and applied on the worker pool; each answered as its
// provider expects (docs/FINANCE.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "notices/notice_settings.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"
#include "web/metrics.hpp"

namespace boai::app {

// The request headers the routes read (web::LiveServiceConfig::request_headers).
std::vector<std::string> pay_notice_headers();

// pool and metrics must outlive the routes; applied runs on the loop after a notice became a
// payment (it pokes the outbox relay, so the rooms' totals follow at once).
std::vector<web::HttpRoute> pay_notice_routes(notices::NoticeSettings settings,
                                              sql::WorkerPool& pool, web::Metrics& metrics,
                                              std::function<void()> applied);

}  // namespace boai::app
