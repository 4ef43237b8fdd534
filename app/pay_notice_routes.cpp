// The notice routes: method and configuration checked, the provider's verifier run, refusals
// counted and logged, and genuine notices handed to notices::keep_and_apply on a worker.
#include "app/pay_notice_routes.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/route_support.hpp"
#include "notices/notice_store.hpp"

namespace boai::app {

namespace {

using Verify =
    std::function<std::expected<notices::VerifiedNotice, Error>(const web::HttpRequest&)>;

// How a provider wants to be answered.
struct Answers {
  std::function<web::HttpResponse(const notices::NoticeResult&)> success;
  std::function<web::HttpResponse(int status, const Error&)> refusal;
};

struct NoticeRoute {
  std::string provider;  // wechat, alipay, generic
  Verify verify;         // empty: not configured here
  Answers answers;
};

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// 401 for anything about the signature or its time, 403 for another merchant, 400 for the rest.
int refusal_status(const std::string& code) {
  if (code == "signature_missing" || code == "signature_invalid" || code == "serial_unknown" ||
      code == "timestamp_invalid" || code == "timestamp_stale") {
    return 401;
  }
  if (code == "merchant_mismatch") {
    return 403;
  }
  if (code == "method_not_allowed") {
    return 405;
  }
  if (code == "notices_not_configured") {
    return 503;  // so the provider retries once the station has configured it
  }
  return 400;
}

Answers wechat_answers() {
  return {
      [](const notices::NoticeResult&) {
        return web::HttpResponse{204, "application/json", "", {{"Cache-Control", "no-store"}}};
      },
      [](int status, const Error& e) {
        return json_response(status, {{"code", "FAIL"}, {"message", e.code + ": " + e.message}});
      }};
}

Answers alipay_answers() {
  auto text = [](const char* word) {
    return web::HttpResponse{
        200, "text/plain; charset=utf-8", word, {{"Cache-Control", "no-store"}}};
  };
  return {[text](const notices::NoticeResult&) { return text("success"); },
          [text](int, const Error&) { return text("fail"); }};
}

Answers generic_answers() {
  return {[](const notices::NoticeResult& r) {
            return json_response(200, {{"status", "ok"},
                                       {"notice_id", r.notice_id},
                                       {"outcome", r.outcome},
                                       {"repeated", r.repeated}});
          },
          [](int status, const Error& e) { return error_response(status, e.code, e.message); }};
}

class NoticeCounters {
 public:
  explicit NoticeCounters(web::Metrics& metrics) : metrics_(metrics) {}

  void refused(const std::string& provider, const std::string& reason) {
    metrics_
        .counter("boai_pay_notices_refused_total{provider=\"" + provider + "\",reason=\"" + reason +
                     "\"}",
                 "payment notices refused, by provider and reason")
        .add();
  }
  void kept(const std::string& provider, const std::string& outcome) {
    metrics_
        .counter(
            "boai_pay_notices_total{provider=\"" + provider + "\",outcome=\"" + outcome + "\"}",
            "genuine payment notices, by provider and outcome (repeated: delivered again)")
        .add();
  }

 private:
  web::Metrics& metrics_;
};

web::HttpRoute notice_route(NoticeRoute route, sql::WorkerPool& pool,
                            std::shared_ptr<NoticeCounters> counters,
                            std::function<void()> applied) {
  auto handler = [route, &pool, counters, applied](const web::HttpRequest& request,
                                                   web::HttpResponder respond) {
    auto refuse = [&](const Error& e) {
      counters->refused(route.provider, e.code);
      std::fprintf(stderr, "boai: pay notice refused (%s, %s) from %s: %s\n",
                   route.provider.c_str(), e.code.c_str(), request.peer.c_str(), e.message.c_str());
      respond(route.answers.refusal(refusal_status(e.code), e));
    };
    if (request.method != "POST") {
      return refuse(make_error("method_not_allowed", "notices are POSTed"));
    }
    if (!route.verify) {
      return refuse(make_error("notices_not_configured",
                               route.provider + " notices are not configured on this server"));
    }
    auto notice = route.verify(request);
    if (!notice) {
      return refuse(notice.error());
    }
    pool.run_expected<notices::NoticeResult>(
        [notice = std::move(*notice)](sql::Connection& conn) {
          return notices::keep_and_apply(conn, notice);
        },
        [route, counters, applied, respond](std::expected<notices::NoticeResult, Error> result) {
          if (!result) {
            std::fprintf(stderr, "boai: pay notice (%s) not kept: %s\n", route.provider.c_str(),
                         result.error().message.c_str());
            return respond(route.answers.refusal(
                503, make_error("db_unavailable", "the notice could not be kept; send it again")));
          }
          counters->kept(route.provider, result->repeated ? "repeated" : result->outcome);
          if (notices::is_exception(result->outcome) && !result->repeated) {
            std::fprintf(stderr, "boai: pay notice %lld (%s) waits for finance: %s: %s\n",
                         static_cast<long long>(result->notice_id), route.provider.c_str(),
                         result->outcome.c_str(), result->detail.c_str());
          }
          if (result->outcome == "applied" && !result->repeated && applied) {
            applied();
          }
          respond(route.answers.success(*result));
        });
  };
  return {"/api/pay/notify/" + route.provider, handler};
}

Verify wechat_verifier(const std::optional<notices::WechatSettings>& settings) {
  if (!settings) {
    return nullptr;
  }
  return [s = *settings](const web::HttpRequest& r) {
    notices::WechatHeaders h{r.header("wechatpay-timestamp"), r.header("wechatpay-nonce"),
                             r.header("wechatpay-signature"), r.header("wechatpay-serial"),
                             r.header("wechatpay-signature-type")};
    return notices::verify_wechat_notice(s, h, r.body, now_seconds());
  };
}

Verify alipay_verifier(const std::optional<notices::AlipaySettings>& settings) {
  if (!settings) {
    return nullptr;
  }
  return [s = *settings](const web::HttpRequest& r) {
    return notices::verify_alipay_notice(s, r.body);
  };
}

Verify generic_verifier(const std::optional<notices::GenericSettings>& settings) {
  if (!settings) {
    return nullptr;
  }
  return [s = *settings](const web::HttpRequest& r) {
    return notices::verify_generic_notice(s, r.header("x-boai-signature"), r.body, now_seconds());
  };
}

}  // namespace

std::vector<std::string> pay_notice_headers() {
  return {"wechatpay-timestamp", "wechatpay-nonce",          "wechatpay-signature",
          "wechatpay-serial",    "wechatpay-signature-type", "x-boai-signature"};
}

std::vector<web::HttpRoute> pay_notice_routes(notices::NoticeSettings settings,
                                              sql::WorkerPool& pool, web::Metrics& metrics,
                                              std::function<void()> applied) {
  auto counters = std::make_shared<NoticeCounters>(metrics);
  return {
      notice_route({"wechat", wechat_verifier(settings.wechat), wechat_answers()}, pool, counters,
                   applied),
      notice_route({"alipay", alipay_verifier(settings.alipay), alipay_answers()}, pool, counters,
                   applied),
      notice_route({"generic", generic_verifier(settings.generic), generic_answers()}, pool,
                   counters, applied),
  };
}

}  // namespace boai::app
