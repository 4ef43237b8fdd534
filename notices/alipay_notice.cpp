// Alipay notices: decoded form, signature, then the fields, in that order.
#include "notices/alipay_notice.hpp"

#include "donations/payments.hpp"
#include "donations/text_rules.hpp"
#include "notices/form_body.hpp"
#include "notices/notice_fields.hpp"
#include "notices/notice_time.hpp"

namespace boai::notices {

namespace {

using Params = std::map<std::string, std::string>;

std::string param(const Params& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

bool has_empty_value(const Params& params) {
  for (const auto& [name, value] : params) {
    if (value.empty() && name != "sign" && name != "sign_type") {
      return true;
    }
  }
  return false;
}

std::expected<void, Error> check_signature(const AlipaySettings& settings, const Params& params) {
  auto sign = param(params, "sign");
  if (sign.empty()) {
    return fail("signature_missing", "the notice has no sign");
  }
  if (auto type = param(params, "sign_type"); !type.empty() && type != "RSA2") {
    return fail("algorithm_unsupported", "only RSA2 notices are accepted");
  }
  if (auto charset = param(params, "charset");
      !charset.empty() && charset != "utf-8" && charset != "UTF-8") {
    return fail("charset_unsupported", "notices must be sent in UTF-8");
  }
  auto signature = base64_decode(sign);
  if (signature) {
    auto* key = settings.alipay_public_key.get();
    if (rsa_sha256_verify(key, alipay_signed_text(params, true), *signature) ||
        (has_empty_value(params) &&
         rsa_sha256_verify(key, alipay_signed_text(params, false), *signature))) {
      return {};
    }
  }
  return fail("signature_invalid", "the sign does not match the parameters");
}

// "0.01", "88", "1234.50": digits and at most two decimals, as Alipay writes amounts.
std::expected<donations::Money, Error> yuan(const std::string& text) {
  auto dot = text.find('.');
  bool plain =
      !text.empty() && text.size() <= 16 && text.front() != '.' &&
      text.find_first_not_of("0123456789.") == std::string::npos &&
      (dot == std::string::npos || (text.find('.', dot + 1) == std::string::npos &&
                                    text.size() - dot - 1 >= 1 && text.size() - dot - 1 <= 2));
  if (!plain) {
    return fail("amount_invalid", "total_amount is not an amount of yuan above 0");
  }
  auto money = donations::Money::parse(text);
  if (!money || money->fen() <= 0) {
    return fail("amount_invalid", "total_amount is not an amount of yuan above 0");
  }
  return *money;
}

}  // namespace

std::string alipay_signed_text(const Params& params, bool with_empty) {
  std::string text;
  for (const auto& [name, value] : params) {
    if (name == "sign" || name == "sign_type" || (!with_empty && value.empty())) {
      continue;
    }
    text.append(text.empty() ? "" : "&").append(name).append("=").append(value);
  }
  return text;
}

std::expected<VerifiedNotice, Error> read_alipay_fields(const AlipaySettings& settings,
                                                        const Params& params,
                                                        std::string_view body) {
  if (param(params, "app_id") != settings.app_id ||
      (!settings.seller_id.empty() && param(params, "seller_id") != settings.seller_id)) {
    return fail("merchant_mismatch", "the notice is for another app_id or seller_id");
  }
  VerifiedNotice n;
  n.via = "alipay";
  n.provider = "alipay";
  n.reference = param(params, "out_trade_no");
  n.txn_id = param(params, "trade_no");
  n.state = param(params, "trade_status");
  if (!is_identifier(n.reference) || !is_identifier(n.txn_id) || !is_identifier(n.state)) {
    return fail("notice_malformed", "out_trade_no, trade_no and trade_status are required");
  }
  n.paid = n.state == "TRADE_SUCCESS" || n.state == "TRADE_FINISHED";
  auto amount = yuan(param(params, "total_amount"));
  if (!amount || *amount > donations::kMaxPayment) {
    return fail("amount_invalid", "total_amount is not an amount of yuan above 0");
  }
  n.amount = *amount;
  if (auto when = param(params, "gmt_payment"); !when.empty()) {
    n.paid_us = parse_beijing_time_us(when);
    if (!n.paid_us) {
      return fail("notice_malformed", "gmt_payment is not yyyy-MM-dd HH:mm:ss");
    }
  }
  if (!donations::is_storable_text(body)) {
    return fail("notice_malformed", "the body is not UTF-8 text");
  }
  n.raw_body = std::string(body);
  return n;
}

std::expected<VerifiedNotice, Error> verify_alipay_notice(const AlipaySettings& settings,
                                                          std::string_view body) {
  auto params = parse_form_body(body);
  if (!params) {
    return std::unexpected(params.error());
  }
  if (auto signed_ok = check_signature(settings, *params); !signed_ok) {
    return std::unexpected(signed_ok.error());
  }
  return read_alipay_fields(settings, *params, body);
}

}  // namespace boai::notices
