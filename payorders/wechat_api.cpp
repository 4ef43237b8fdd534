// The WeChat Pay v3 calls: a JSON body, the signed Authorization header, the answer's signature
// checked first, then its fields read.
#include "payorders/wechat_api.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "notices/crypto.hpp"
#include "notices/notice_time.hpp"
#include "notices/wechat_notice.hpp"
#include "payorders/answer_fields.hpp"

namespace boai::payorders {

namespace {

using nlohmann::json;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One signed call; a 2xx answer with a good signature comes back, anything else is an error
// (a refusal's own code from the provider, when its signature holds).
std::expected<HttpReply, Error> call(const WechatOrderSettings& s, const std::string& method,
                                     const std::string& path, const std::string& body) {
  HttpCall c{method, s.api_base + path, {}, body, std::chrono::milliseconds(10000)};
  c.headers = {{"Accept", "application/json"},
               {"Content-Type", "application/json"},
               {"User-Agent", "boai-live"},
               {"Authorization",
                wechat_authorization(s, method, path, body, now_seconds(), random_nonce())}};
  auto reply = http_call(c);
  if (!reply) {
    return std::unexpected(reply.error());
  }
  if (auto ok = verify_wechat_reply(s, *reply, now_seconds()); !ok) {
    return std::unexpected(ok.error());
  }
  if (reply->status < 200 || reply->status > 299) {
    auto j = json::parse(reply->body, nullptr, false);
    std::string code = j.is_object() ? string_field(j, "code") : "";
    std::string message = j.is_object() ? string_field(j, "message") : "";
    return fail("provider_refused",
                (code.empty() ? std::to_string(reply->status) : code) + ": " + message);
  }
  return reply;
}

std::expected<json, Error> json_body(const HttpReply& r) {
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object()) {
    return fail("response_malformed", "WeChat Pay answered something that is not a JSON object");
  }
  return j;
}

json order_body(const WechatOrderSettings& s, const OrderAsk& ask) {
  json body = {{"appid", s.appid},
               {"mchid", s.mchid},
               {"description", ask.description},
               {"out_trade_no", ask.reference},
               {"notify_url", s.notify_url},
               {"amount", {{"total", ask.amount.fen()}, {"currency", "CNY"}}}};
  if (ask.method == "jsapi") {
    body["payer"] = {{"openid", ask.openid}};
  } else if (ask.method == "h5") {
    body["scene_info"] = {{"payer_client_ip", ask.payer_ip.empty() ? "127.0.0.1" : ask.payer_ip},
                          {"h5_info", {{"type", "Wap"}}}};
  }
  return body;
}

}  // namespace

std::expected<QueryAnswer, Error> wechat_query_answer(const WechatOrderSettings& s,
                                                      const std::string& reference,
                                                      const std::string& body) {
  auto j = json_body(HttpReply{200, {}, body});
  if (!j) {
    return std::unexpected(j.error());
  }
  QueryAnswer answer;
  answer.state = string_field(*j, "trade_state");
  if (string_field(*j, "mchid") != s.mchid || string_field(*j, "out_trade_no") != reference ||
      answer.state.empty()) {
    return fail("response_malformed", "the query answered another order or no trade_state");
  }
  answer.closed =
      answer.state == "CLOSED" || answer.state == "REVOKED" || answer.state == "PAYERROR";
  if (answer.state != "SUCCESS" && answer.state != "REFUND") {
    return answer;
  }
  std::int64_t total = 0;  // a whole number of fen, read without inserting or assuming anything
  if (auto amount = j->find("amount"); amount != j->end() && amount->is_object()) {
    if (auto t = amount->find("total"); t != amount->end() && t->is_number_integer()) {
      total = t->get<std::int64_t>();
    }
  }
  auto txn = string_field(*j, "transaction_id");
  if (total <= 0 || txn.empty()) {
    return fail("response_malformed", "a paid transaction without its amount or id");
  }
  notices::VerifiedNotice n;
  n.via = "query";
  n.provider = "wechat";
  n.txn_id = txn;
  n.reference = reference;
  n.amount = donations::Money::from_fen(total);
  n.state = "SUCCESS";  // a refund later does not unmake the payment: it was paid
  n.paid = true;
  n.paid_us = notices::parse_rfc3339_us(string_field(*j, "success_time"));
  n.raw_body = body;
  n.resource = body;
  answer.payment = std::move(n);
  return answer;
}

std::string wechat_authorization(const WechatOrderSettings& s, std::string_view method,
                                 std::string_view url_path, std::string_view body,
                                 std::int64_t timestamp, const std::string& nonce) {
  auto ts = std::to_string(timestamp);
  std::string message = std::string(method) + "\n" + std::string(url_path) + "\n" + ts + "\n" +
                        nonce + "\n" + std::string(body) + "\n";
  auto signature = rsa_sha256_sign_base64(s.key.get(), message);
  return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + s.mchid + "\",nonce_str=\"" + nonce +
         "\",signature=\"" + signature + "\",timestamp=\"" + ts + "\",serial_no=\"" + s.serial_no +
         "\"";
}

std::expected<void, Error> verify_wechat_reply(const WechatOrderSettings& s, const HttpReply& r,
                                               std::int64_t now) {
  auto ts = r.header("wechatpay-timestamp");
  auto nonce = r.header("wechatpay-nonce");
  auto serial = r.header("wechatpay-serial");
  auto signature = notices::base64_decode(r.header("wechatpay-signature"));
  auto seconds = notices::parse_unix_seconds(ts);
  if (ts.empty() || nonce.empty() || serial.empty() || !signature || signature->empty() ||
      !seconds || *seconds < now - s.max_skew_seconds || *seconds > now + s.max_skew_seconds) {
    return fail("response_signature_invalid",
                "WeChat Pay's answer has no valid Wechatpay-Signature, or a stale one");
  }
  for (const auto& cert : s.platform_certs) {
    if (cert.serial.size() == serial.size() &&
        std::equal(cert.serial.begin(), cert.serial.end(), serial.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) ==
                 std::toupper(static_cast<unsigned char>(b));
        })) {
      if (notices::rsa_sha256_verify(cert.key.get(), notices::wechat_signed_text(ts, nonce, r.body),
                                     *signature)) {
        return {};
      }
      break;
    }
  }
  return fail("response_signature_invalid",
              "WeChat Pay's answer is not signed by a platform certificate we hold");
}

std::expected<OrderMade, Error> wechat_create(const WechatOrderSettings& s, const OrderAsk& ask) {
  auto reply = call(s, "POST", "/v3/pay/transactions/" + ask.method, order_body(s, ask).dump());
  if (!reply) {
    return std::unexpected(reply.error());
  }
  auto j = json_body(*reply);
  if (!j) {
    return std::unexpected(j.error());
  }
  OrderMade made{string_field(*j, "code_url"), string_field(*j, "h5_url"),
                 string_field(*j, "prepay_id")};
  bool has = ask.method == "native" ? !made.code_url.empty()
             : ask.method == "h5"   ? !made.h5_url.empty()
                                    : !made.prepay_id.empty();
  if (!has) {
    return fail("response_malformed", "WeChat Pay's order answer lacks what the page needs");
  }
  return made;
}

std::expected<QueryAnswer, Error> wechat_query(const WechatOrderSettings& s,
                                               const std::string& reference) {
  auto reply = call(s, "GET",
                    "/v3/pay/transactions/out-trade-no/" + url_escape(reference) +
                        "?mchid=" + url_escape(s.mchid),
                    "");
  if (!reply) {
    if (reply.error().message.starts_with("ORDER_NOT_EXIST")) {
      return QueryAnswer{"NOT_FOUND", false, std::nullopt};
    }
    return std::unexpected(reply.error());
  }
  return wechat_query_answer(s, reference, reply->body);
}

std::expected<CloseAnswer, Error> wechat_close(const WechatOrderSettings& s,
                                               const std::string& reference) {
  auto reply =
      call(s, "POST", "/v3/pay/transactions/out-trade-no/" + url_escape(reference) + "/close",
           json{{"mchid", s.mchid}}.dump());
  if (!reply) {
    if (reply.error().message.starts_with("ORDERPAID")) {
      return CloseAnswer::kAlreadyPaid;
    }
    if (reply.error().message.starts_with("ORDER_NOT_EXIST") ||
        reply.error().message.starts_with("ORDERCLOSED")) {
      return CloseAnswer::kClosed;
    }
    return std::unexpected(reply.error());
  }
  return CloseAnswer::kClosed;
}

std::string wechat_jsapi_params(const WechatOrderSettings& s, const std::string& prepay_id) {
  auto ts = std::to_string(now_seconds());
  auto nonce = random_nonce();
  auto package = "prepay_id=" + prepay_id;
  auto sign = rsa_sha256_sign_base64(s.key.get(),
                                     s.appid + "\n" + ts + "\n" + nonce + "\n" + package + "\n");
  return json{{"appId", s.appid},   {"timeStamp", ts},   {"nonceStr", nonce},
              {"package", package}, {"signType", "RSA"}, {"paySign", sign}}
      .dump();
}

}  // namespace boai::payorders
