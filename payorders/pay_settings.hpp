// Which providers this server makes orders with, and their keys and addresses, read once at
// startup. Orders need the provider's notices configured too (notices/notice_settings): an order
// whose notice could not be checked would be money we never learn of. Without any of this the
// pages offer bank transfer and the reference, as before.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "notices/keys.hpp"
#include "notices/notice_settings.hpp"
#include "payorders/signer.hpp"

namespace boai::payorders {

inline constexpr const char* kWechatApiBase = "https://api.mch.weixin.qq.com";
inline constexpr const char* kWechatOauthBase = "https://api.weixin.qq.com";
inline constexpr const char* kAlipayGateway = "https://openapi.alipay.com/gateway.do";

// As the flags give them (app/options.hpp).
struct OrderFiles {
  std::string wechat_serial;            // the merchant certificate's serial number
  std::string wechat_private_key_file;  // the merchant's API private key (apiclient_key.pem)
  std::string wechat_appid;             // the official account (公众号) the orders are for
  std::string wechat_app_secret_file;   // its AppSecret: JSAPI's openid through web authorization
  std::string wechat_api_base = kWechatApiBase;
  std::string wechat_oauth_base = kWechatOauthBase;
  std::string alipay_private_key_file;  // the app's private key (RSA2)
  std::string alipay_gateway = kAlipayGateway;
  std::int64_t query_after_seconds = 300;  // an order with no notice by then is queried
};

struct WechatOrderSettings {
  std::string mchid;
  std::string serial_no;
  PrivateKey key;
  std::string appid;
  std::string app_secret;  // empty: no JSAPI (the page shows the QR inside WeChat)
  std::string api_base;
  std::string oauth_base;
  std::string notify_url;
  std::vector<notices::Certificate> platform_certs;  // the responses' signatures
  std::int64_t max_skew_seconds = 300;
};

struct AlipayOrderSettings {
  std::string app_id;
  std::string seller_id;
  PrivateKey key;
  notices::PublicKey alipay_public_key;  // the responses' signatures
  std::string gateway;
  std::string notify_url;
  std::string return_url;  // where Alipay's wap page sends the donor back
};

struct PaySettings {
  std::optional<WechatOrderSettings> wechat;
  std::optional<AlipayOrderSettings> alipay;
  std::int64_t query_after_seconds = 300;

  bool any() const { return wechat.has_value() || alipay.has_value(); }
};

// public_url: how providers reach this site (--public-url), for the notify URLs.
// Errors: order_config_incomplete, file_unreadable, key_invalid; each message names the flag.
std::expected<PaySettings, Error> load_pay_settings(const OrderFiles& files,
                                                    const notices::NoticeSettings& notices,
                                                    const std::string& public_url);

}  // namespace boai::payorders
