// WeChat Pay API v3 payment notices: the Wechatpay-* headers' RSA-SHA256 signature by the
// platform certificate Wechatpay-Serial names, over "timestamp\nnonce\nbody\n"; the timestamp
// within the allowed skew; the resource decrypted with AEAD_AES_256_GCM under the APIv3 key; the
// transaction's merchant ours.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "notices/keys.hpp"
#include "notices/notice.hpp"

namespace boai::notices {

struct WechatSettings {
  std::string mchid;
  std::string apiv3_key;  // 32 bytes
  std::vector<Certificate> platform_certs;
  std::int64_t max_skew_seconds = kDefaultMaxSkewSeconds;
};

struct WechatHeaders {
  std::string timestamp;       // Wechatpay-Timestamp
  std::string nonce;           // Wechatpay-Nonce
  std::string signature;       // Wechatpay-Signature, base64
  std::string serial;          // Wechatpay-Serial
  std::string signature_type;  // Wechatpay-Signature-Type; empty means the RSA default
};

// Errors (stable codes): signature_missing, algorithm_unsupported, timestamp_invalid,
// timestamp_stale, serial_unknown, signature_invalid, notice_malformed, decrypt_failed,
// event_unsupported, merchant_mismatch, amount_invalid, currency_unsupported.
std::expected<VerifiedNotice, Error> verify_wechat_notice(const WechatSettings& settings,
                                                          const WechatHeaders& headers,
                                                          std::string_view body,
                                                          std::int64_t now_seconds);

// The body read once its signature held: the envelope, the decrypted transaction, its fields
// (all of the errors above but the signature's). For verify_wechat_notice and the fuzz targets.
std::expected<VerifiedNotice, Error> read_wechat_body(const WechatSettings& settings,
                                                      std::string_view body);

// What WeChat Pay signs: exposed for tests and the documentation's examples.
std::string wechat_signed_text(std::string_view timestamp, std::string_view nonce,
                               std::string_view body);

}  // namespace boai::notices
