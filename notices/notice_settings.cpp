// Loading the notices' keys: each file read and checked once, every error naming its flag.
#include "notices/notice_settings.hpp"

namespace boai::notices {

namespace {

Error config_error(const std::string& code, const std::string& message) {
  return make_error(code, message);
}

// A secret kept in a file: the file's text without the line feed an editor adds.
std::expected<std::string, Error> read_secret(const std::string& flag, const std::string& path) {
  auto text = read_small_file(path);
  if (!text) {
    return std::unexpected(config_error(text.error().code, flag + ": " + text.error().message));
  }
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r' || text->back() == ' ')) {
    text->pop_back();
  }
  return text;
}

std::expected<WechatSettings, Error> load_wechat(const NoticeFiles& f) {
  if (f.wechat_mchid.empty() || f.wechat_apiv3_key_file.empty() ||
      f.wechat_platform_certs.empty()) {
    return std::unexpected(
        config_error("notice_config_incomplete",
                     "WeChat Pay notices need --wechatpay-mchid, --wechatpay-apiv3-key-file and "
                     "--wechatpay-platform-cert together"));
  }
  WechatSettings s;
  s.mchid = f.wechat_mchid;
  s.max_skew_seconds = f.max_skew_seconds;
  auto key = read_secret("--wechatpay-apiv3-key-file", f.wechat_apiv3_key_file);
  if (!key) {
    return std::unexpected(key.error());
  }
  if (key->size() != 32) {
    return std::unexpected(
        config_error("key_invalid", "--wechatpay-apiv3-key-file: " + f.wechat_apiv3_key_file +
                                        " does not hold a 32-byte APIv3 key"));
  }
  s.apiv3_key = *key;
  for (const auto& path : f.wechat_platform_certs) {
    auto pem = read_small_file(path);
    auto cert = pem ? parse_certificate(*pem) : std::unexpected(pem.error());
    if (!cert) {
      return std::unexpected(config_error(
          cert.error().code, "--wechatpay-platform-cert: " + path + ": " + cert.error().message));
    }
    s.platform_certs.push_back(std::move(*cert));
  }
  return s;
}

std::expected<AlipaySettings, Error> load_alipay(const NoticeFiles& f) {
  if (f.alipay_app_id.empty() || f.alipay_seller_id.empty() || f.alipay_public_key_file.empty()) {
    return std::unexpected(
        config_error("notice_config_incomplete",
                     "Alipay notices need --alipay-app-id, --alipay-seller-id and "
                     "--alipay-public-key together"));
  }
  auto pem = read_small_file(f.alipay_public_key_file);
  auto key = pem ? parse_public_key(*pem) : std::unexpected(pem.error());
  if (!key) {
    return std::unexpected(config_error(
        "key_invalid",
        "--alipay-public-key: " + f.alipay_public_key_file + ": " + key.error().message));
  }
  return AlipaySettings{f.alipay_app_id, f.alipay_seller_id, *key};
}

std::expected<GenericSettings, Error> load_generic(const NoticeFiles& f) {
  auto key = read_secret("--pay-notify-hmac-key-file", f.hmac_key_file);
  if (!key) {
    return std::unexpected(key.error());
  }
  if (key->size() < 32) {
    return std::unexpected(config_error(
        "key_invalid",
        "--pay-notify-hmac-key-file: " + f.hmac_key_file + " holds fewer than 32 bytes"));
  }
  return GenericSettings{*key, f.max_skew_seconds};
}

}  // namespace

std::expected<NoticeSettings, Error> load_notice_settings(const NoticeFiles& f) {
  NoticeSettings settings;
  // A merchant number alone is for statements (their merchant is checked); notices need the
  // keys as well, and then all of them.
  if (!f.wechat_apiv3_key_file.empty() || !f.wechat_platform_certs.empty()) {
    auto wechat = load_wechat(f);
    if (!wechat) {
      return std::unexpected(wechat.error());
    }
    settings.wechat = std::move(*wechat);
  }
  if (!f.alipay_app_id.empty() || !f.alipay_public_key_file.empty()) {
    auto alipay = load_alipay(f);
    if (!alipay) {
      return std::unexpected(alipay.error());
    }
    settings.alipay = std::move(*alipay);
  }
  if (!f.hmac_key_file.empty()) {
    auto generic = load_generic(f);
    if (!generic) {
      return std::unexpected(generic.error());
    }
    settings.generic = std::move(*generic);
  }
  return settings;
}

}  // namespace boai::notices
