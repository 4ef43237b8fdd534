// Alipay's OpenAPI (v1 gateway) for orders: alipay.trade.precreate (a QR), alipay.trade.wap.pay
// (a signed address the phone opens), alipay.trade.query and alipay.trade.close. Requests are
// RSA2-signed over the sorted parameters; every answer's sign, over the exact text of its
// "<method>_response" object, is checked with Alipay's public key before it is believed.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.hpp"
#include "payorders/pay_settings.hpp"
#include "payorders/provider_api.hpp"

namespace boai::payorders {

// Every parameter of a call with biz_content, signed (sign included). timestamp: Beijing time.
std::map<std::string, std::string> alipay_signed_params(const AlipayOrderSettings& s,
                                                        const std::string& method,
                                                        const std::string& biz_content,
                                                        const std::string& timestamp);

// The exact text of the "<key>" member's object in a gateway answer; empty when there is none.
std::string alipay_response_text(const std::string& body, const std::string& key);

// alipay.trade.query's answer object, read once its signature held (also the fuzz target's).
// Errors: response_malformed.
std::expected<QueryAnswer, Error> alipay_query_answer(const std::string& reference,
                                                      const nlohmann::json& answer);

// Errors: provider_unreachable, response_signature_invalid, provider_refused (sub_code: sub_msg),
// response_malformed.
std::expected<OrderMade, Error> alipay_create(const AlipayOrderSettings& s, const OrderAsk& ask);
std::expected<QueryAnswer, Error> alipay_query(const AlipayOrderSettings& s,
                                               const std::string& reference);
std::expected<CloseAnswer, Error> alipay_close(const AlipayOrderSettings& s,
                                               const std::string& reference);

}  // namespace boai::payorders
