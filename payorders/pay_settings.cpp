// Loading the order keys: each file read and checked once, every error naming its flag.
#include "payorders/pay_settings.hpp"

namespace boai::payorders {

namespace {

std::unexpected<Error> incomplete(const std::string& message) {
  return std::unexpected(make_error("order_config_incomplete", message));
}

std::expected<PrivateKey, Error> read_key(const std::string& flag, const std::string& path) {
  auto text = notices::read_small_file(path);
  auto key = text ? parse_private_key(*text) : std::unexpected(text.error());
  if (!key) {
    return std::unexpected(
        make_error(key.error().code, flag + ": " + path + ": " + key.error().message));
  }
  return key;
}

std::expected<std::string, Error> read_secret(const std::string& flag, const std::string& path) {
  auto text = notices::read_small_file(path);
  if (!text) {
    return std::unexpected(make_error(text.error().code, flag + ": " + text.error().message));
  }
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r' || text->back() == ' ')) {
    text->pop_back();
  }
  return text;
}

std::string without_slash(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

std::expected<WechatOrderSettings, Error> load_wechat(const OrderFiles& f,
                                                      const notices::WechatSettings& n,
                                                      const std::string& site) {
  if (f.wechat_serial.empty() || f.wechat_private_key_file.empty() || f.wechat_appid.empty()) {
    return incomplete(
        "WeChat Pay orders need --wechatpay-serial, --wechatpay-private-key and "
        "--wechatpay-appid together");
  }
  auto key = read_key("--wechatpay-private-key", f.wechat_private_key_file);
  if (!key) {
    return std::unexpected(key.error());
  }
  WechatOrderSettings s{n.mchid,
                        f.wechat_serial,
                        *key,
                        f.wechat_appid,
                        "",
                        without_slash(f.wechat_api_base),
                        without_slash(f.wechat_oauth_base),
                        site + "/api/pay/notify/wechat",
                        n.platform_certs,
                        n.max_skew_seconds};
  if (!f.wechat_app_secret_file.empty()) {
    auto secret = read_secret("--wechatpay-app-secret-file", f.wechat_app_secret_file);
    if (!secret) {
      return std::unexpected(secret.error());
    }
    s.app_secret = *secret;
  }
  return s;
}

std::expected<AlipayOrderSettings, Error> load_alipay(const OrderFiles& f,
                                                      const notices::AlipaySettings& n,
                                                      const std::string& site) {
  auto key = read_key("--alipay-private-key", f.alipay_private_key_file);
  if (!key) {
    return std::unexpected(key.error());
  }
  return AlipayOrderSettings{n.app_id,
                             n.seller_id,
                             *key,
                             n.alipay_public_key,
                             f.alipay_gateway,
                             site + "/api/pay/notify/alipay",
                             site + "/"};
}

}  // namespace

std::expected<PaySettings, Error> load_pay_settings(const OrderFiles& f,
                                                    const notices::NoticeSettings& notices,
                                                    const std::string& public_url) {
  PaySettings settings;
  settings.query_after_seconds = f.query_after_seconds;
  bool wants_wechat = !f.wechat_serial.empty() || !f.wechat_private_key_file.empty();
  bool wants_alipay = !f.alipay_private_key_file.empty();
  if (!wants_wechat && !wants_alipay) {
    return settings;
  }
  if (public_url.empty()) {
    return incomplete("payment orders need --public-url: the providers send their notices there");
  }
  auto site = without_slash(public_url);
  if (wants_wechat) {
    if (!notices.wechat) {
      return incomplete(
          "WeChat Pay orders need WeChat Pay notices configured (--wechatpay-mchid, "
          "--wechatpay-apiv3-key-file, --wechatpay-platform-cert)");
    }
    auto wechat = load_wechat(f, *notices.wechat, site);
    if (!wechat) {
      return std::unexpected(wechat.error());
    }
    settings.wechat = std::move(*wechat);
  }
  if (wants_alipay) {
    if (!notices.alipay) {
      return incomplete(
          "Alipay orders need Alipay notices configured (--alipay-app-id, --alipay-seller-id, "
          "--alipay-public-key)");
    }
    auto alipay = load_alipay(f, *notices.alipay, site);
    if (!alipay) {
      return std::unexpected(alipay.error());
    }
    settings.alipay = std::move(*alipay);
  }
  return settings;
}

}  // namespace boai::payorders
