// WeChat Pay notices: the signature over the raw body first, then the envelope, then the
// decrypted transaction. Nothing in the body is believed before the signature holds.
#include "notices/wechat_notice.hpp"

#include <nlohmann/json.hpp>

#include "donations/text_rules.hpp"
#include "notices/notice_fields.hpp"
#include "notices/notice_time.hpp"

namespace boai::notices {

namespace {

using nlohmann::json;

constexpr std::string_view kSignatureType = "WECHATPAY2-SHA256-RSA2048";

bool same_serial(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::expected<void, Error> check_signature(const WechatSettings& settings, const WechatHeaders& h,
                                           std::string_view body, std::int64_t now_seconds) {
  if (h.timestamp.empty() || h.nonce.empty() || h.signature.empty() || h.serial.empty()) {
    return fail("signature_missing",
                "Wechatpay-Timestamp, -Nonce, -Signature and -Serial are all required");
  }
  if (!h.signature_type.empty() && h.signature_type != kSignatureType) {
    return fail("algorithm_unsupported", "only " + std::string(kSignatureType) + " is accepted");
  }
  if (auto skew = check_timestamp(h.timestamp, now_seconds, settings.max_skew_seconds); !skew) {
    return std::unexpected(skew.error());
  }
  const Certificate* cert = nullptr;
  for (const auto& c : settings.platform_certs) {
    if (same_serial(c.serial, h.serial)) {
      cert = &c;
    }
  }
  if (cert == nullptr) {
    return fail("serial_unknown", "no configured platform certificate has that serial");
  }
  auto signature = base64_decode(h.signature);
  if (!signature ||
      !rsa_sha256_verify(cert->key.get(), wechat_signed_text(h.timestamp, h.nonce, body),
                         *signature)) {
    return fail("signature_invalid", "the signature does not match the body");
  }
  return {};
}

// The resource: AEAD_AES_256_GCM, base64 ciphertext with its tag, nonce and associated data as
// text. Returns the plaintext.
std::expected<std::string, Error> decrypt_resource(const WechatSettings& settings,
                                                   const json& envelope) {
  auto resource = envelope.find("resource");
  if (resource == envelope.end() || !resource->is_object()) {
    return fail("notice_malformed", "the notice has no resource");
  }
  auto algorithm = text_field(*resource, "algorithm");
  auto ciphertext = text_field(*resource, "ciphertext");
  auto nonce = text_field(*resource, "nonce");
  auto associated = resource->contains("associated_data") ? text_field(*resource, "associated_data")
                                                          : std::optional<std::string>("");
  if (!algorithm || !ciphertext || !nonce || !associated) {
    return fail("notice_malformed", "the resource lacks algorithm, ciphertext or nonce");
  }
  if (*algorithm != "AEAD_AES_256_GCM") {
    return fail("algorithm_unsupported", "the resource is not AEAD_AES_256_GCM");
  }
  auto sealed = base64_decode(*ciphertext);
  auto plain =
      sealed ? aes_256_gcm_decrypt(settings.apiv3_key, *nonce, *associated, *sealed) : std::nullopt;
  if (!plain) {
    return fail("decrypt_failed", "the resource does not decrypt under the APIv3 key");
  }
  return *plain;
}

std::expected<VerifiedNotice, Error> read_transaction(const WechatSettings& settings,
                                                      const std::string& plaintext) {
  auto txn = json::parse(plaintext, nullptr, false);
  if (txn.is_discarded() || !txn.is_object()) {
    return fail("notice_malformed", "the decrypted resource is not a JSON object");
  }
  auto mchid = text_field(txn, "mchid");
  if (!mchid || *mchid != settings.mchid) {
    return fail("merchant_mismatch", "the transaction is not for our merchant id");
  }
  VerifiedNotice n;
  n.via = "wechat";
  n.provider = "wechat";
  auto reference = id_field(txn, "out_trade_no");
  auto txn_id = id_field(txn, "transaction_id");
  auto state = id_field(txn, "trade_state");
  if (!reference || !txn_id || !state) {
    return fail("notice_malformed", "out_trade_no, transaction_id and trade_state are required");
  }
  n.reference = *reference;
  n.txn_id = *txn_id;
  n.state = *state;
  n.paid = n.state == "SUCCESS";
  auto amount = txn.find("amount");
  if (amount == txn.end() || !amount->is_object()) {
    return fail("amount_invalid", "the transaction has no amount");
  }
  auto total = fen_field(*amount, "total");
  if (!total) {
    return std::unexpected(total.error());
  }
  n.amount = *total;
  if (auto currency = text_field(*amount, "currency"); currency && *currency != "CNY") {
    return fail("currency_unsupported", "only CNY is accepted");
  }
  if (auto when = text_field(txn, "success_time")) {
    n.paid_us = parse_rfc3339_us(*when);
    if (!n.paid_us) {
      return fail("notice_malformed", "success_time is not an RFC 3339 time");
    }
  }
  n.resource = plaintext;
  return n;
}

}  // namespace

std::string wechat_signed_text(std::string_view timestamp, std::string_view nonce,
                               std::string_view body) {
  std::string text;
  text.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  text.append(timestamp).append("\n").append(nonce).append("\n").append(body).append("\n");
  return text;
}

std::expected<VerifiedNotice, Error> read_wechat_body(const WechatSettings& settings,
                                                      std::string_view body) {
  auto envelope = json::parse(body, nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object() || !donations::is_storable_text(body)) {
    return fail("notice_malformed", "the body is not a JSON object");
  }
  // A refund's notice (REFUND.*) has other fields; this route takes payments only.
  auto type = text_field(envelope.value("resource", json::object()), "original_type");
  if (type && *type != "transaction") {
    return fail("event_unsupported", "only transaction notices are taken here");
  }
  auto plaintext = decrypt_resource(settings, envelope);
  if (!plaintext) {
    return std::unexpected(plaintext.error());
  }
  auto notice = read_transaction(settings, *plaintext);
  if (notice) {
    notice->raw_body = std::string(body);
  }
  return notice;
}

std::expected<VerifiedNotice, Error> verify_wechat_notice(const WechatSettings& settings,
                                                          const WechatHeaders& headers,
                                                          std::string_view body,
                                                          std::int64_t now_seconds) {
  if (auto signed_ok = check_signature(settings, headers, body, now_seconds); !signed_ok) {
    return std::unexpected(signed_ok.error());
  }
  auto notice = read_wechat_body(settings, body);
  if (notice) {
    notice->raw_headers = "Wechatpay-Timestamp: " + headers.timestamp +
                          "\nWechatpay-Nonce: " + headers.nonce +
                          "\nWechatpay-Serial: " + headers.serial +
                          "\nWechatpay-Signature: " + headers.signature + "\n";
  }
  return notice;
}

}  // namespace boai::notices
