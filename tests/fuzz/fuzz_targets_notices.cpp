// Fuzz targets for the payment notices' parsers: WeChat Pay's envelope and decrypted
// transaction, Alipay's form, the generic JSON and its signature header. Mutated input is also
// sealed and signed here with the tests' own keys, so it reaches the parsing past the signature.
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "donations/payments.hpp"
#include "notices/alipay_notice.hpp"
#include "notices/crypto.hpp"
#include "notices/form_body.hpp"
#include "notices/generic_notice.hpp"
#include "notices/notice_fields.hpp"
#include "notices/wechat_notice.hpp"
#include "tests/fuzz/fuzz_targets.hpp"
#include "tests/support/notice_keys.hpp"

namespace boai::fuzz {

namespace {

constexpr std::int64_t kNow = 1717207200;
const std::string kApiV3Key = "0123456789abcdefghijklmnopqrstuv";
const std::string kHmacKey = "a shared secret of thirty-two bytes or more";

const test::TestKey& key() {
  static const auto k = test::make_test_key("5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
  return k;
}

const notices::WechatSettings& wechat_settings() {
  static const auto s = [] {
    notices::WechatSettings w;
    w.mchid = "1900000109";
    w.apiv3_key = kApiV3Key;
    w.platform_certs.push_back(*notices::parse_certificate(key().cert_pem));
    return w;
  }();
  return s;
}

const notices::AlipaySettings& alipay_settings() {
  static const notices::AlipaySettings s{"2021000000000001", "2088102177846880",
                                         *notices::parse_public_key(key().public_pem)};
  return s;
}

// What every accepted notice must be, whoever sent it.
void require_sound(const std::expected<notices::VerifiedNotice, Error>& n, const char* via) {
  static const std::set<std::string> kRefusals = {
      "signature_missing",  "signature_invalid",     "serial_unknown",   "timestamp_invalid",
      "timestamp_stale",    "algorithm_unsupported", "notice_malformed", "decrypt_failed",
      "event_unsupported",  "merchant_mismatch",     "amount_invalid",   "currency_unsupported",
      "charset_unsupported"};
  if (!n) {
    require(kRefusals.contains(n.error().code), "a refusal has one of the documented codes");
    return;
  }
  require(n->via == via, "a notice says which route it came by");
  require(notices::is_identifier(n->txn_id) && notices::is_identifier(n->state),
          "a transaction id and a state are identifiers");
  require(n->reference.empty() || notices::is_identifier(n->reference),
          "a reference is an identifier");
  require(n->amount.fen() > 0 && n->amount <= donations::kMaxPayment,
          "an amount is above 0 and at most the largest payment");
  require(n->provider == "wechat" || n->provider == "alipay" || n->provider == "bank",
          "a provider is one payments know");
}

}  // namespace

void wechat_notice(const std::uint8_t* data, std::size_t size) {
  auto input = view(data, size);
  // As the decrypted transaction, sealed and enveloped as WeChat Pay would.
  auto sealed = notices::read_wechat_body(wechat_settings(),
                                          test::wechat_envelope(kApiV3Key, std::string(input)));
  require_sound(sealed, "wechat");
  if (sealed) {
    require(sealed->paid == (sealed->state == "SUCCESS"), "only SUCCESS means paid");
    require(!sealed->resource.empty(), "the decrypted transaction is kept");
  }
  // As the body itself, past the signature and before it.
  require_sound(notices::read_wechat_body(wechat_settings(), input), "wechat");
  static const std::string kSigned = test::wechat_envelope(
      kApiV3Key, test::wechat_transaction_json("1900000109", "7KQ2MZ9D", "4200000001", 100));
  static const auto kParts = test::sign_wechat(key(), kSigned, kNow);
  auto n = notices::verify_wechat_notice(
      wechat_settings(), {kParts.timestamp, kParts.nonce, kParts.signature, kParts.serial, ""},
      input, kNow);
  require_sound(n, "wechat");
  require(!n || input == kSigned, "only the body that was signed is believed");
}

void alipay_notice(const std::uint8_t* data, std::size_t size) {
  auto input = view(data, size);
  auto n = notices::verify_alipay_notice(alipay_settings(), input);
  require_sound(n, "alipay");
  auto params = notices::parse_form_body(input);
  if (!params) {
    require(params.error().code == "notice_malformed", "a bad form is notice_malformed");
    return;
  }
  require(notices::parse_form_body(notices::form_encode(*params)) == params,
          "a form encoded again reads the same");
  auto fields = notices::read_alipay_fields(alipay_settings(), *params, input);
  require_sound(fields, "alipay");
  if (fields) {
    require(fields->paid == (fields->state == "TRADE_SUCCESS" || fields->state == "TRADE_FINISHED"),
            "only TRADE_SUCCESS and TRADE_FINISHED mean paid");
  }
}

void generic_notice(const std::uint8_t* data, std::size_t size) {
  auto input = view(data, size);
  notices::GenericSettings settings{kHmacKey, 300};
  // As a body its sender signed.
  auto header = notices::generic_signature_header(kHmacKey, kNow, input);
  auto n = notices::verify_generic_notice(settings, header, input, kNow);
  require_sound(n, "generic");
  if (n) {
    require(n->paid == (n->state == "paid"), "only paid means paid");
    require(n->raw_body == input, "the body is kept as received");
  }
  // As a signature header over a fixed body.
  static const std::string kBody =
      R"({"transaction_id":"T1","reference":"7KQ2MZ9D","amount_fen":100,"status":"paid"})";
  auto h = notices::verify_generic_notice(settings, input, kBody, kNow);
  require_sound(h, "generic");
  if (h) {
    auto comma = input.find(',');
    std::string t(input.substr(2, comma - 2));
    auto mac = notices::hex_decode(input.substr(comma + 4));
    require(mac && *mac == notices::hmac_sha256(kHmacKey, t + "\n" + kBody),
            "only a header with the body's MAC is believed");
  }
}

}  // namespace boai::fuzz
