// WeChat's web authorization (网页授权, snsapi_base) for JSAPI payments: the page inside WeChat
// goes to /api/pay/wechat/oauth?back=/r/ROOM, WeChat sends it back with a code, the code becomes
// the payer's openid (on a pay worker: an outbound call) kept in a cookie, and the page returns
// where it was. The openid is no secret: an order made for another's openid only that person
// can pay.
#include <nlohmann/json.hpp>

#include "app/route_support.hpp"
#include "payorders/http_client.hpp"
#include "payorders/pay_settings.hpp"
#include "sql/worker_pool.hpp"
#include "web/query_params.hpp"

namespace boai::app {

namespace {

using nlohmann::json;
using Settings = std::shared_ptr<const payorders::PaySettings>;

constexpr const char* kAuthorize = "https://open.weixin.qq.com/connect/oauth2/authorize";

// Only a path of this site: never an open redirect.
std::string safe_back(const std::optional<std::string>& back) {
  if (!back || back->empty() || (*back)[0] != '/' || back->starts_with("//") ||
      back->find('\\') != std::string::npos || back->size() > 200) {
    return "/";
  }
  return *back;
}

web::HttpResponse redirect(const std::string& location, std::string cookie = {}) {
  web::HttpResponse r{302, "text/plain; charset=utf-8", "", {{"Location", location}}};
  r.headers.emplace_back("Cache-Control", "no-store");
  if (!cookie.empty()) {
    r.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  return r;
}

// The code for the openid: GET /sns/oauth2/access_token.
std::expected<std::string, Error> exchange_code(const payorders::WechatOrderSettings& w,
                                                const std::string& code) {
  payorders::HttpCall call{
      "GET",
      w.oauth_base + "/sns/oauth2/access_token?appid=" + payorders::url_escape(w.appid) +
          "&secret=" + payorders::url_escape(w.app_secret) +
          "&code=" + payorders::url_escape(code) + "&grant_type=authorization_code",
      {},
      "",
      std::chrono::milliseconds(10000)};
  auto reply = payorders::http_call(call);
  if (!reply) {
    return std::unexpected(reply.error());
  }
  auto j = json::parse(reply->body, nullptr, false);
  if (!j.is_object() || !j["openid"].is_string() || j["openid"].get<std::string>().empty()) {
    return std::unexpected(make_error("oauth_failed", "WeChat did not give the payer's openid"));
  }
  return j["openid"].get<std::string>();
}

void handle(Settings s, sql::WorkerPool& pool, const std::string& site,
            const web::HttpRequest& request, web::HttpResponder respond) {
  if (!s->wechat || s->wechat->app_secret.empty()) {
    return respond(error_response(404, "jsapi_not_configured",
                                  "payments inside WeChat are not configured here"));
  }
  if (request.path == "/api/pay/wechat/oauth") {
    auto back = safe_back(web::query_value(request.query, "back"));
    return respond(
        redirect(std::string(kAuthorize) + "?appid=" + payorders::url_escape(s->wechat->appid) +
                 "&redirect_uri=" + payorders::url_escape(site + "/api/pay/wechat/oauth/back") +
                 "&response_type=code&scope=snsapi_base&state=" + payorders::url_escape(back) +
                 "#wechat_redirect"));
  }
  auto code = web::query_value(request.query, "code");
  if (request.path != "/api/pay/wechat/oauth/back" || !code || code->empty()) {
    return respond(error_response(400, "code_missing", "WeChat sent no code"));
  }
  auto back = safe_back(web::query_value(request.query, "state"));
  pool.run_expected<std::string>(
      [s, code = *code](sql::Connection&) { return exchange_code(*s->wechat, code); },
      [respond, back](std::expected<std::string, Error> openid) {
        if (!openid) {
          return respond(redirect(back));  // the page offers the QR and the bank instead
        }
        respond(redirect(back, "boai_wx_openid=" + payorders::url_escape(*openid) +
                                   "; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000"));
      });
}

}  // namespace

std::vector<web::HttpRoute> wechat_oauth_routes(Settings s, sql::WorkerPool& pool,
                                                const std::string& public_url) {
  std::string site = public_url;
  while (!site.empty() && site.back() == '/') {
    site.pop_back();
  }
  return {{"/api/pay/wechat/oauth",
           [s, &pool, site](const web::HttpRequest& request, web::HttpResponder respond) {
             handle(s, pool, site, request, respond);
           }}};
}

}  // namespace boai::app
