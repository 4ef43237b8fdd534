// Which providers' notices this server takes, and their keys, read once at startup from the
// files the flags name. A provider left unconfigured refuses its notices; a provider half
// configured, or a key or certificate that cannot be read, stops the server from starting.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "notices/alipay_notice.hpp"
#include "notices/generic_notice.hpp"
#include "notices/wechat_notice.hpp"

namespace boai::notices {

// As the flags give them (app/options.hpp).
struct NoticeFiles {
  std::string wechat_mchid;
  std::string wechat_apiv3_key_file;
  std::vector<std::string> wechat_platform_certs;
  std::string alipay_app_id;
  std::string alipay_seller_id;
  std::string alipay_public_key_file;
  std::string hmac_key_file;
  std::int64_t max_skew_seconds = kDefaultMaxSkewSeconds;
};

struct NoticeSettings {
  std::optional<WechatSettings> wechat;
  std::optional<AlipaySettings> alipay;
  std::optional<GenericSettings> generic;
};

// Errors: notice_config_incomplete, file_unreadable, key_invalid, certificate_invalid; each
// message names the flag and the file.
std::expected<NoticeSettings, Error> load_notice_settings(const NoticeFiles& files);

}  // namespace boai::notices
