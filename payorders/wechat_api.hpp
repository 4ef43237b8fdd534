// WeChat Pay API v3 for orders: Native, H5 and JSAPI orders, query and close by out_trade_no.
// Every request is signed with the merchant key (WECHATPAY2-SHA256-RSA2048 over
// "METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n"); every answer's Wechatpay-Signature is checked with the
// platform certificate its Wechatpay-Serial names before anything in it is believed.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "base/error.hpp"
#include "payorders/http_client.hpp"
#include "payorders/pay_settings.hpp"
#include "payorders/provider_api.hpp"

namespace boai::payorders {

// The Authorization header of one request.
std::string wechat_authorization(const WechatOrderSettings& s, std::string_view method,
                                 std::string_view url_path, std::string_view body,
                                 std::int64_t timestamp, const std::string& nonce);

// The answer's signature and time. Errors: response_signature_invalid.
std::expected<void, Error> verify_wechat_reply(const WechatOrderSettings& s, const HttpReply& r,
                                               std::int64_t now_seconds);

// Errors: provider_unreachable, response_signature_invalid, provider_refused (the provider's
// code and message), response_malformed.
std::expected<OrderMade, Error> wechat_create(const WechatOrderSettings& s, const OrderAsk& ask);
std::expected<QueryAnswer, Error> wechat_query(const WechatOrderSettings& s,
                                               const std::string& reference);
std::expected<CloseAnswer, Error> wechat_close(const WechatOrderSettings& s,
                                               const std::string& reference);

// A query's answer body, read once its signature held: the trade's state, and a paid
// transaction as its notice would have said it. Errors: response_malformed. (Also the fuzz
// target's.)
std::expected<QueryAnswer, Error> wechat_query_answer(const WechatOrderSettings& s,
                                                      const std::string& reference,
                                                      const std::string& body);

// What WeixinJSBridge's getBrandWCPayRequest takes for a prepay_id, with paySign over
// "appId\ntimeStamp\nnonceStr\npackage\n": a JSON object's text.
std::string wechat_jsapi_params(const WechatOrderSettings& s, const std::string& prepay_id);

}  // namespace boai::payorders
