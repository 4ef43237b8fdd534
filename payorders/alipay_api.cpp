// The Alipay gateway calls: a form POST of signed parameters, the answer's object cut out as
// sent and its signature checked, then its fields read. wap.pay makes no call: its signed
// parameters become the address the phone opens.
#include "payorders/alipay_api.hpp"

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "notices/alipay_notice.hpp"
#include "notices/crypto.hpp"
#include "notices/notice_time.hpp"
#include "payorders/answer_fields.hpp"
#include "payorders/http_client.hpp"

namespace boai::payorders {

namespace {

using nlohmann::json;

std::string beijing_now() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

std::string form(const std::map<std::string, std::string>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    out += (out.empty() ? "" : "&") + url_escape(name) + "=" + url_escape(value);
  }
  return out;
}

std::string response_key(const std::string& method) {
  std::string key = method;
  for (auto& c : key) {
    c = c == '.' ? '_' : c;
  }
  return key + "_response";
}

// One gateway call; the answer's object when its signature holds and its code is 10000.
std::expected<json, Error> call(const AlipayOrderSettings& s, const std::string& method,
                                const json& biz) {
  auto params = alipay_signed_params(s, method, biz.dump(), beijing_now());
  HttpCall c{"POST",
             s.gateway,
             {{"Content-Type", "application/x-www-form-urlencoded;charset=utf-8"},
              {"Accept", "application/json"}},
             form(params),
             std::chrono::milliseconds(10000)};
  auto reply = http_call(c);
  if (!reply) {
    return std::unexpected(reply.error());
  }
  auto signed_text = alipay_response_text(reply->body, response_key(method));
  auto whole = json::parse(reply->body, nullptr, false);
  auto sign = whole.is_object() && whole["sign"].is_string()
                  ? notices::base64_decode(whole["sign"].get<std::string>())
                  : std::nullopt;
  if (signed_text.empty() || !sign ||
      !notices::rsa_sha256_verify(s.alipay_public_key.get(), signed_text, *sign)) {
    return fail("response_signature_invalid", "Alipay's answer is not signed by Alipay's key");
  }
  auto answer = json::parse(signed_text, nullptr, false);
  if (!answer.is_object()) {
    return fail("response_malformed", "Alipay's answer is not a JSON object");
  }
  if (string_field(answer, "code") != "10000") {
    auto code = string_field(answer, "sub_code").empty() ? string_field(answer, "code")
                                                         : string_field(answer, "sub_code");
    auto words = string_field(answer, "sub_msg").empty() ? string_field(answer, "msg")
                                                         : string_field(answer, "sub_msg");
    return fail("provider_refused", code + ": " + words);
  }
  return answer;
}

json order_biz(const OrderAsk& ask) {
  json biz = {{"out_trade_no", ask.reference},
              {"total_amount", ask.amount.format_plain()},
              {"subject", ask.description}};
  if (ask.method == "wap") {
    biz["product_code"] = "QUICK_WAP_WAY";
  }
  return biz;
}

}  // namespace

std::map<std::string, std::string> alipay_signed_params(const AlipayOrderSettings& s,
                                                        const std::string& method,
                                                        const std::string& biz_content,
                                                        const std::string& timestamp) {
  std::map<std::string, std::string> p = {
      {"app_id", s.app_id}, {"method", method},           {"format", "JSON"},
      {"charset", "utf-8"}, {"sign_type", "RSA2"},        {"timestamp", timestamp},
      {"version", "1.0"},   {"notify_url", s.notify_url}, {"biz_content", biz_content}};
  if (method == "alipay.trade.wap.pay") {
    p["return_url"] = s.return_url;
  }
  // Requests are signed with sign_type among the parameters (only notices leave it out).
  std::string content;
  for (const auto& [name, value] : p) {
    content += (content.empty() ? "" : "&") + name + "=" + value;
  }
  p["sign"] = rsa_sha256_sign_base64(s.key.get(), content);
  return p;
}

std::string alipay_response_text(const std::string& body, const std::string& key) {
  auto at = body.find("\"" + key + "\"");
  if (at == std::string::npos) {
    return {};
  }
  auto start = body.find('{', at + key.size() + 2);
  if (start == std::string::npos) {
    return {};
  }
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return body.substr(start, i - start + 1);
    }
  }
  return {};
}

std::expected<OrderMade, Error> alipay_create(const AlipayOrderSettings& s, const OrderAsk& ask) {
  if (ask.method == "wap") {
    auto params =
        alipay_signed_params(s, "alipay.trade.wap.pay", order_biz(ask).dump(), beijing_now());
    return OrderMade{"", s.gateway + "?" + form(params), ""};
  }
  auto answer = call(s, "alipay.trade.precreate", order_biz(ask));
  if (!answer) {
    return std::unexpected(answer.error());
  }
  auto qr = string_field(*answer, "qr_code");
  if (qr.empty() || string_field(*answer, "out_trade_no") != ask.reference) {
    return fail("response_malformed", "Alipay's precreate answer lacks qr_code");
  }
  return OrderMade{qr, "", ""};
}

std::expected<QueryAnswer, Error> alipay_query_answer(const std::string& reference,
                                                      const nlohmann::json& answer) {
  QueryAnswer q;
  q.state = string_field(answer, "trade_status");
  if (q.state.empty() || string_field(answer, "out_trade_no") != reference) {
    return fail("response_malformed", "the query answered another order or no trade_status");
  }
  q.closed = q.state == "TRADE_CLOSED";
  if (q.state != "TRADE_SUCCESS" && q.state != "TRADE_FINISHED") {
    return q;
  }
  auto amount = donations::Money::parse(string_field(answer, "total_amount"));
  auto txn = string_field(answer, "trade_no");
  if (!amount || amount->fen() <= 0 || txn.empty()) {
    return fail("response_malformed", "a paid trade without its amount or trade_no");
  }
  notices::VerifiedNotice n;
  n.via = "query";
  n.provider = "alipay";
  n.txn_id = txn;
  n.reference = reference;
  n.amount = *amount;
  n.state = q.state;
  n.paid = true;
  n.paid_us = notices::parse_beijing_time_us(string_field(answer, "send_pay_date"));
  n.raw_body = answer.dump();
  q.payment = std::move(n);
  return q;
}

std::expected<QueryAnswer, Error> alipay_query(const AlipayOrderSettings& s,
                                               const std::string& reference) {
  auto answer = call(s, "alipay.trade.query", json{{"out_trade_no", reference}});
  if (!answer) {
    if (answer.error().message.starts_with("ACQ.TRADE_NOT_EXIST")) {
      return QueryAnswer{"NOT_FOUND", false, std::nullopt};  // a wap page never opened
    }
    return std::unexpected(answer.error());
  }
  return alipay_query_answer(reference, *answer);
}

std::expected<CloseAnswer, Error> alipay_close(const AlipayOrderSettings& s,
                                               const std::string& reference) {
  auto answer = call(s, "alipay.trade.close", json{{"out_trade_no", reference}});
  if (!answer) {
    const auto& m = answer.error().message;
    if (m.starts_with("ACQ.TRADE_NOT_EXIST")) {
      return CloseAnswer::kClosed;  // never opened: nothing to close, nothing can be paid
    }
    if (m.starts_with("ACQ.TRADE_STATUS_ERROR")) {
      return CloseAnswer::kAlreadyPaid;  // paid (or closed): the caller queries it
    }
    return std::unexpected(answer.error());
  }
  return CloseAnswer::kClosed;
}

}  // namespace boai::payorders
