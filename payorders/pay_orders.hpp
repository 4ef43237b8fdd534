// The orders' two jobs, each run on a pay worker's thread with its own connection: opening the
// provider order for a pledge (idempotent per reference and provider), and the poller's sweep
// (orders with no notice queried, orders of pledges that take no more money closed).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "payorders/order_store.hpp"
#include "payorders/pay_settings.hpp"
#include "sql/connection.hpp"

namespace boai::payorders {

// What the page asked for: wechat_native, wechat_h5, wechat_jsapi, alipay_qr, alipay_wap.
struct OpenRequest {
  std::string reference;
  std::string method;
  std::string openid;    // wechat_jsapi
  std::string payer_ip;  // wechat_h5
};

// The methods this server offers, in the page's order of preference.
std::vector<std::string> offered_methods(const PaySettings& settings);

// The order, made at the provider on the first call and the same row on every retry; an order
// already made for this provider answers as it is, whatever method the retry names.
// Errors: method_invalid, method_not_configured, openid_required, pledge_not_found,
// pledge_not_payable, provider_refused, provider_unreachable, response_signature_invalid,
// response_malformed, the database's.
std::expected<PayOrder, Error> open_order(sql::Connection& conn, const PaySettings& settings,
                                          const OpenRequest& request);

struct SweepReport {
  int queried = 0;
  int applied = 0;  // payments a query found that were applied (or queued for finance)
  int closed = 0;
  int failed = 0;  // calls that failed; tried again at the next sweep
};

// One pass of the poller over at most `limit` orders of each list.
SweepReport sweep_orders(sql::Connection& conn, const PaySettings& settings, int limit);

}  // namespace boai::payorders
