// POST /api/pay/orders and its neighbours: JSON read at the edge, the order opened on a pay
// worker (it may wait on the provider for seconds, so never on the loop nor on the site's pool),
// the answer with what the page shows: a QR (as SVG), an address, or WeixinJSBridge's params.
#include "app/pay_order_routes.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/route_support.hpp"
#include "payorders/pay_orders.hpp"
#include "payorders/wechat_api.hpp"
#include "stream/qr_code.hpp"
#include "web/address_limiter.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

using nlohmann::json;
using Settings = std::shared_ptr<const payorders::PaySettings>;

// The cookie that keeps the payer's openid after WeChat's web authorization (30 days).
constexpr const char* kOpenidCookie = "boai_wx_openid";

int status_for(const std::string& code) {
  if (code == "bad_json" || code == "method_invalid" || code == "openid_required") {
    return 400;
  }
  if (code == "pledge_not_found") {
    return 404;
  }
  if (code == "pledge_not_payable" || code == "method_not_configured") {
    return 409;
  }
  if (code == "provider_refused" || code == "provider_unreachable" ||
      code == "response_signature_invalid" || code == "response_malformed" ||
      code == "reply_too_large") {
    return 502;  // the provider's side: the page offers the bank transfer meanwhile
  }
  return 503;  // the database's codes
}

std::string cookie_value(const std::string& header, const std::string& name) {
  std::size_t at = 0;
  while ((at = header.find(name + "=", at)) != std::string::npos) {
    if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ';') {
      auto start = at + name.size() + 1;
      return header.substr(start, header.find(';', start) - start);
    }
    at += name.size();
  }
  return {};
}

// A QR code as an SVG of dark squares with a four-module quiet zone.
std::string qr_svg(const std::string& text) {
  auto qr = stream::encode_qr(text);
  if (!qr) {
    return {};
  }
  int side = qr->size + 8;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(side) + " " + std::to_string(side) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < qr->size; ++y) {
    for (int x = 0; x < qr->size; ++x) {
      if (qr->at(x, y)) {
        svg += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
      }
    }
  }
  return svg + "\"/></svg>";
}

json order_json(const payorders::PaySettings& s, const payorders::PayOrder& o) {
  json j = {{"reference", o.reference},     {"provider", o.provider}, {"method", o.method},
            {"amount_fen", o.amount.fen()}, {"status", o.status},     {"code_url", o.made.code_url},
            {"h5_url", o.made.h5_url}};
  if (!o.made.code_url.empty()) {
    j["qr_svg"] = qr_svg(o.made.code_url);
  }
  if (!o.made.prepay_id.empty() && s.wechat) {
    j["jsapi"] = json::parse(payorders::wechat_jsapi_params(*s.wechat, o.made.prepay_id));
  }
  return j;
}

web::HttpRoute methods_route(Settings s) {
  return {"/api/pay/methods", [s](const web::HttpRequest&, web::HttpResponder respond) {
            respond(json_response(200, {{"methods", payorders::offered_methods(*s)}}));
          }};
}

void open_order(Settings s, sql::WorkerPool& pool, const web::HttpRequest& request,
                web::HttpResponder respond) {
  auto body = json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body["reference"].is_string() || !body["method"].is_string()) {
    return respond(error_response(400, "bad_json", "send {reference, method}"));
  }
  payorders::OpenRequest open{body["reference"].get<std::string>(),
                              body["method"].get<std::string>(),
                              cookie_value(request.cookie, kOpenidCookie), request.peer};
  pool.run_expected<payorders::PayOrder>(
      [s, open](sql::Connection& conn) { return payorders::open_order(conn, *s, open); },
      [s, respond](std::expected<payorders::PayOrder, Error> order) {
        if (!order) {
          return respond(error_response(status_for(order.error().code), order.error().code,
                                        order.error().message));
        }
        respond(json_response(200, {{"order", order_json(*s, *order)}}));
      });
}

// The page asks as it opens the panel, and now and then while it waits for the room's
// donation.paid: whether the pledge is paid, its id (as the room's events name it), its orders.
void order_status(sql::WorkerPool& pool, const std::string& reference, web::HttpResponder respond) {
  struct Status {
    payorders::PledgeToPay pledge;
    std::vector<payorders::PayOrder> orders;
  };
  pool.run_expected<Status>(
      [reference](sql::Connection& conn) -> std::expected<Status, Error> {
        auto pledge = payorders::pledge_to_pay(conn, reference);
        if (!pledge) {
          return std::unexpected(pledge.error());
        }
        auto orders = payorders::orders_for(conn, reference);
        if (!orders) {
          return std::unexpected(orders.error());
        }
        return Status{std::move(*pledge), std::move(*orders)};
      },
      [respond](std::expected<Status, Error> st) {
        if (!st) {
          return respond(
              error_response(status_for(st.error().code), st.error().code, st.error().message));
        }
        json orders = json::array();
        for (const auto& o : st->orders) {
          orders.push_back({{"provider", o.provider}, {"method", o.method}, {"status", o.status}});
        }
        bool paid = st->pledge.status == "paid" || st->pledge.status == "reconciled";
        respond(json_response(200, {{"reference", st->pledge.reference},
                                    {"pledge", st->pledge.id},
                                    {"pledge_status", st->pledge.status},
                                    {"amount_fen", st->pledge.owed.fen()},
                                    {"paid", paid},
                                    {"orders", orders}}));
      });
}

// Rate-limited per address, both ways: an order costs a call to the provider, and a status
// answers whether a reference exists, like the gift lookup.
web::HttpRoute orders_route(Settings s, sql::WorkerPool& pool, double per_minute) {
  auto limiter = std::make_shared<web::AddressLimiter>(per_minute, std::max(1.0, per_minute / 4));
  return {"/api/pay/orders",
          [s, &pool, limiter](const web::HttpRequest& request, web::HttpResponder respond) {
            if (!limiter->take(request.peer)) {
              return respond(error_response(429, "rate_limited",
                                            "too many payment requests from this address; try "
                                            "again in a minute"));
            }
            if (request.method == "POST" && request.path == "/api/pay/orders") {
              return open_order(s, pool, request, respond);
            }
            std::string prefix = "/api/pay/orders/";
            auto reference = request.path.size() > prefix.size() && request.path.starts_with(prefix)
                                 ? request.path.substr(prefix.size())
                                 : std::string();
            if (request.method != "GET" || reference.empty() || reference.size() > 16) {
              return respond(error_response(405, "method_not_allowed",
                                            "POST /api/pay/orders or GET /api/pay/orders/REF"));
            }
            order_status(pool, reference, respond);
          },
          4096};
}

}  // namespace

std::vector<web::HttpRoute> wechat_oauth_routes(Settings s, sql::WorkerPool& pool,
                                                const std::string& public_url);

std::vector<web::HttpRoute> pay_order_routes(Settings s, sql::WorkerPool& pool,
                                             std::string public_url, double per_minute) {
  std::vector<web::HttpRoute> routes = {methods_route(s), orders_route(s, pool, per_minute)};
  for (auto& r : wechat_oauth_routes(s, pool, public_url)) {
    routes.push_back(std::move(r));
  }
  return routes;
}

PayOrderPoller::PayOrderPoller(Settings s, sql::WorkerPool& pool, std::function<void()> money_moved)
    : settings_(std::move(s)),
      pool_(pool),
      money_moved_(std::move(money_moved)),
      timer_(nullptr,
             std::chrono::milliseconds(
                 std::clamp<std::int64_t>(settings_->query_after_seconds / 2, 1, 30) * 1000),
             [this] { sweep(); }) {}

PayOrderPoller::~PayOrderPoller() {
  *alive_ = false;
}

void PayOrderPoller::sweep_soon() {
  if (sweeping_) {
    again_ = true;
    return;
  }
  sweep();
}

void PayOrderPoller::sweep() {
  if (sweeping_ || !settings_->any()) {
    return;
  }
  sweeping_ = true;
  pool_.run_expected<payorders::SweepReport>(
      [s = settings_](sql::Connection& conn) -> std::expected<payorders::SweepReport, Error> {
        return payorders::sweep_orders(conn, *s, 50);
      },
      [this, alive = alive_](std::expected<payorders::SweepReport, Error> report) {
        if (!*alive) {
          return;
        }
        sweeping_ = false;
        if (report && report->applied > 0 && money_moved_) {
          money_moved_();
        }
        if (again_) {
          again_ = false;
          sweep();
        }
      });
}

}  // namespace boai::app
