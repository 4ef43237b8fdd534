// The payment orders' HTTP side: the methods offered, an order for a pledge, its status for the
// page waiting for "支付成功", WeChat's web authorization for JSAPI, and the poller's timer.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/loop_timer.hpp"
#include "payorders/pay_settings.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"

namespace boai::app {

// The routes under /api/pay/ (but the notices'). public_url: the site for WeChat's redirect;
// per_minute: requests to /api/pay/orders one address may make a minute.
std::vector<web::HttpRoute> pay_order_routes(std::shared_ptr<const payorders::PaySettings> s,
                                             sql::WorkerPool& pool, std::string public_url,
                                             double per_minute);

// Every few seconds (half of --pay-query-after, at most 30 s), one sweep on the pool at a time;
// money_moved after a sweep that applied a payment.
class PayOrderPoller {
 public:
  PayOrderPoller(std::shared_ptr<const payorders::PaySettings> s, sql::WorkerPool& pool,
                 std::function<void()> money_moved);
  ~PayOrderPoller();
  PayOrderPoller(const PayOrderPoller&) = delete;
  PayOrderPoller& operator=(const PayOrderPoller&) = delete;

  // A sweep now (or again once the running one is done): a payment has just been recorded.
  void sweep_soon();

 private:
  void sweep();

  std::shared_ptr<const payorders::PaySettings> settings_;
  sql::WorkerPool& pool_;
  std::function<void()> money_moved_;
  bool sweeping_ = false;
  bool again_ = false;  // asked for while sweeping
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  LoopTimer timer_;
};

}  // namespace boai::app
