// The payment orders' flags: the merchant's signing key and certificate serial, the app ids,
// the providers' addresses (the real ones by default; tests point them at local stand-ins) and
// how long an order waits for its notice before it is queried.
#include "app/pay_order_flags.hpp"

#include <charconv>

namespace boai::app {

namespace {

using Setter = std::function<std::optional<std::string>(Options&, const std::string&)>;

Setter set_order_text(std::string payorders::OrderFiles::*field) {
  return [field](Options& o, const std::string& v) -> std::optional<std::string> {
    o.pay_orders.*field = v;
    return std::nullopt;
  };
}

std::optional<std::string> set_query_after(Options& o, const std::string& v) {
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || end != v.data() + v.size() || seconds < 1 || seconds > 86400) {
    return "--pay-query-after wants seconds from 1 to 86400, got \"" + v + "\"";
  }
  o.pay_orders.query_after_seconds = seconds;
  return std::nullopt;
}

}  // namespace

const std::vector<SharedFlag>& pay_order_flags() {
  using F = payorders::OrderFiles;
  static const std::vector<SharedFlag> kFlags = {
      {"--wechatpay-serial", "BOAI_WECHATPAY_SERIAL",
       "the serial number of the merchant's API certificate (WeChat Pay orders)", true,
       set_order_text(&F::wechat_serial)},
      {"--wechatpay-private-key", "BOAI_WECHATPAY_PRIVATE_KEY",
       "file holding the merchant's API private key (apiclient_key.pem)", true,
       set_order_text(&F::wechat_private_key_file)},
      {"--wechatpay-appid", "BOAI_WECHATPAY_APPID",
       "the official account's AppID the WeChat Pay orders are made for", true,
       set_order_text(&F::wechat_appid)},
      {"--wechatpay-app-secret-file", "BOAI_WECHATPAY_APP_SECRET_FILE",
       "file holding that account's AppSecret (the payer's openid for payments inside WeChat)",
       true, set_order_text(&F::wechat_app_secret_file)},
      {"--wechatpay-api-base", "BOAI_WECHATPAY_API_BASE",
       "WeChat Pay's API address (default https://api.mch.weixin.qq.com)", true,
       set_order_text(&F::wechat_api_base)},
      {"--wechat-oauth-base", "BOAI_WECHAT_OAUTH_BASE",
       "WeChat's web authorization API address (default https://api.weixin.qq.com)", true,
       set_order_text(&F::wechat_oauth_base)},
      {"--alipay-private-key", "BOAI_ALIPAY_PRIVATE_KEY",
       "file holding the Alipay app's private key (RSA2; Alipay orders)", true,
       set_order_text(&F::alipay_private_key_file)},
      {"--alipay-gateway", "BOAI_ALIPAY_GATEWAY",
       "Alipay's gateway (default https://openapi.alipay.com/gateway.do)", true,
       set_order_text(&F::alipay_gateway)},
      {"--pay-query-after", "BOAI_PAY_QUERY_AFTER",
       "seconds an order waits for its notice before it is queried (default 300)", true,
       set_query_after},
  };
  return kFlags;
}

}  // namespace boai::app
