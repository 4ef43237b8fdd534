// Opening an order: the pledge read, the row inserted or found and locked, the provider asked
// only when the row has no answer yet, all in one transaction so a failure leaves no row. The
// sweep: a query's payment goes through notices::keep_and_apply, the very code a notice takes,
// so a notice and a query for one transaction make one payment.
#include "payorders/pay_orders.hpp"

#include <cstdio>

#include "notices/notice_store.hpp"
#include "payorders/alipay_api.hpp"
#include "payorders/wechat_api.hpp"
#include "sql/transaction.hpp"

namespace boai::payorders {

namespace {

struct Method {
  std::string provider;
  std::string method;  // as pay_orders names it
};

std::expected<Method, Error> read_method(const PaySettings& s, const std::string& name) {
  static const std::vector<std::pair<std::string, Method>> kMethods = {
      {"wechat_native", {"wechat", "native"}},
      {"wechat_h5", {"wechat", "h5"}},
      {"wechat_jsapi", {"wechat", "jsapi"}},
      {"alipay_qr", {"alipay", "precreate"}},
      {"alipay_wap", {"alipay", "wap"}}};
  for (const auto& [n, m] : kMethods) {
    if (n == name) {
      if ((m.provider == "wechat" && !s.wechat) || (m.provider == "alipay" && !s.alipay)) {
        return std::unexpected(make_error("method_not_configured",
                                          "this station takes no " + m.provider + " payments"));
      }
      return m;
    }
  }
  return std::unexpected(make_error("method_invalid", "no such way to pay: " + name));
}

std::string description(const PledgeToPay& p) {
  const char* what = p.kind == "sale" ? "爱心特卖" : p.kind == "wish" ? "红心愿" : "爱心捐赠";
  return std::string("博爱直播 ") + what + " " + p.reference;
}

std::expected<OrderMade, Error> ask_provider(const PaySettings& s, const std::string& provider,
                                             const OrderAsk& ask) {
  return provider == "wechat" ? wechat_create(*s.wechat, ask) : alipay_create(*s.alipay, ask);
}

std::expected<QueryAnswer, Error> query(const PaySettings& s, const PayOrder& o) {
  return o.provider == "wechat" ? wechat_query(*s.wechat, o.reference)
                                : alipay_query(*s.alipay, o.reference);
}

std::expected<CloseAnswer, Error> close(const PaySettings& s, const PayOrder& o) {
  return o.provider == "wechat" ? wechat_close(*s.wechat, o.reference)
                                : alipay_close(*s.alipay, o.reference);
}

bool configured(const PaySettings& s, const std::string& provider) {
  return provider == "wechat" ? s.wechat.has_value() : s.alipay.has_value();
}

// A refusal is kept on the row (failed, its detail) and answered; anything else rolls back.
struct Opened {
  PayOrder order;
  std::optional<Error> refused;
};

std::expected<Opened, Error> open_in_transaction(sql::Connection& conn, const PaySettings& s,
                                                 const OpenRequest& request, const Method& m) {
  auto pledge = pledge_to_pay(conn, request.reference);
  if (!pledge) {
    return std::unexpected(pledge.error());
  }
  if ((pledge->status != "pledged" && pledge->status != "part_paid") || pledge->owed.fen() <= 0) {
    return std::unexpected(make_error("pledge_not_payable", "this pledge takes no more money"));
  }
  auto order = lock_order(conn, *pledge, m.provider, m.method, request.openid);
  if (!order) {
    return std::unexpected(order.error());
  }
  if (order->status != "failed" && !order->fresh) {
    return Opened{std::move(*order), std::nullopt};  // made before: the same order again
  }
  OrderAsk ask{pledge->reference, pledge->owed,   description(*pledge),
               m.method,          request.openid, request.payer_ip};
  auto made = ask_provider(s, m.provider, ask);
  if (!made) {
    if (made.error().code != "provider_refused") {
      return std::unexpected(made.error());
    }
    if (auto f = save_failed(conn, order->id, made.error().message); !f) {
      return std::unexpected(f.error());
    }
    return Opened{std::move(*order), made.error()};
  }
  if (auto saved = save_made(conn, order->id, m.method, pledge->owed, *made); !saved) {
    return std::unexpected(saved.error());
  }
  order->status = "created";
  order->method = m.method;
  order->amount = pledge->owed;
  order->made = std::move(*made);
  return Opened{std::move(*order), std::nullopt};
}

// A payment the provider reported by query, applied as its notice would have been.
std::expected<void, Error> apply_payment(sql::Connection& conn, const PayOrder& o,
                                         const notices::VerifiedNotice& payment,
                                         SweepReport& report) {
  auto result = notices::keep_and_apply(conn, payment);
  if (!result) {
    return std::unexpected(result.error());
  }
  ++report.applied;
  if (notices::is_exception(result->outcome) && !result->repeated) {
    std::fprintf(stderr, "boai: pay order %s (%s) paid, waits for finance: %s: %s\n",
                 o.reference.c_str(), o.provider.c_str(), result->outcome.c_str(),
                 result->detail.c_str());
  }
  return settle_order(conn, o.id, "paid", "found by query: " + result->outcome);
}

std::expected<void, Error> query_one(sql::Connection& conn, const PaySettings& s, const PayOrder& o,
                                     SweepReport& report) {
  ++report.queried;
  auto answer = query(s, o);
  if (!answer) {
    return std::unexpected(answer.error());
  }
  if (answer->payment) {
    return apply_payment(conn, o, *answer->payment, report);
  }
  if (answer->closed) {
    ++report.closed;
    return settle_order(conn, o.id, "closed", "closed at the provider: " + answer->state);
  }
  return note_queried(conn, o.id, answer->state);
}

// The pledge takes no more money: paid through this order, or closed at the provider (and a
// close that finds the order paid queries it, so the payment joins the exception queue).
std::expected<void, Error> close_one(sql::Connection& conn, const PaySettings& s, const PayOrder& o,
                                     SweepReport& report) {
  auto paid_here = pledge_has_payment_from(conn, o.pledge_id, o.provider);
  if (!paid_here) {
    return std::unexpected(paid_here.error());
  }
  if (*paid_here) {
    return settle_order(conn, o.id, "paid", "paid");
  }
  auto closed = close(s, o);
  if (!closed) {
    return std::unexpected(closed.error());
  }
  if (*closed == CloseAnswer::kAlreadyPaid) {
    return query_one(conn, s, o, report);
  }
  ++report.closed;
  return settle_order(conn, o.id, "closed", "the pledge takes no more money");
}

}  // namespace

std::vector<std::string> offered_methods(const PaySettings& s) {
  std::vector<std::string> out;
  if (s.wechat) {
    out.insert(out.end(), {"wechat_native", "wechat_h5"});
    if (!s.wechat->app_secret.empty()) {
      out.push_back("wechat_jsapi");
    }
  }
  if (s.alipay) {
    out.insert(out.end(), {"alipay_qr", "alipay_wap"});
  }
  return out;
}

std::expected<PayOrder, Error> open_order(sql::Connection& conn, const PaySettings& settings,
                                          const OpenRequest& request) {
  auto m = read_method(settings, request.method);
  if (!m) {
    return std::unexpected(m.error());
  }
  if (m->method == "jsapi" && request.openid.empty()) {
    return std::unexpected(
        make_error("openid_required", "a payment inside WeChat needs the payer's openid"));
  }
  auto opened = sql::in_transaction(
      conn, [&](sql::Connection& c) { return open_in_transaction(c, settings, request, *m); });
  if (!opened) {
    return std::unexpected(opened.error());
  }
  if (opened->refused) {
    return std::unexpected(*opened->refused);
  }
  return std::move(opened->order);
}

SweepReport sweep_orders(sql::Connection& conn, const PaySettings& settings, int limit) {
  SweepReport report;
  auto note = [&](const PayOrder& o, const std::expected<void, Error>& done) {
    if (!done) {
      ++report.failed;
      std::fprintf(stderr, "boai: pay order %s (%s): %s: %s\n", o.reference.c_str(),
                   o.provider.c_str(), done.error().code.c_str(), done.error().message.c_str());
    }
  };
  if (auto to_close = orders_to_close(conn, limit)) {
    for (const auto& o : *to_close) {
      if (configured(settings, o.provider)) {
        note(o, close_one(conn, settings, o, report));
      }
    }
  }
  if (auto to_query = orders_to_query(conn, settings.query_after_seconds, limit)) {
    for (const auto& o : *to_query) {
      if (configured(settings, o.provider)) {
        note(o, query_one(conn, settings, o, report));
      }
    }
  }
  return report;
}

}  // namespace boai::payorders
