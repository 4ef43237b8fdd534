// WeChat Pay notices, built here with our own RSA keys, self-signed platform certificates and
// APIv3 key: genuine ones read, and each kind of forgery and tampering refused with its code.
#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "notices/wechat_notice.hpp"
#include "tests/support/notice_keys.hpp"

using namespace boai;
using notices::WechatHeaders;
using notices::WechatSettings;

namespace {

constexpr std::int64_t kNow = 1717207200;  // 2024-06-01 10:00:00 +08:00
const std::string kApiV3Key = "0123456789abcdefghijklmnopqrstuv";

const test::TestKey& platform_key() {
  static const auto key = test::make_test_key("5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
  return key;
}
const test::TestKey& other_key() {
  static const auto key = test::make_test_key("0A1B2C3D");
  return key;
}

WechatSettings settings() {
  WechatSettings s;
  s.mchid = "1900000109";
  s.apiv3_key = kApiV3Key;
  for (const auto* key : {&other_key(), &platform_key()}) {
    auto cert = notices::parse_certificate(key->cert_pem);
    REQUIRE(cert);
    s.platform_certs.push_back(*cert);
  }
  return s;
}

WechatHeaders headers(const test::WechatNoticeParts& p) {
  return {p.timestamp, p.nonce, p.signature, p.serial, "WECHATPAY2-SHA256-RSA2048"};
}

std::string paid_body(std::int64_t fen = 10000, const std::string& mchid = "1900000109",
                      const std::string& state = "SUCCESS") {
  return test::wechat_envelope(
      kApiV3Key, test::wechat_transaction_json(mchid, "7KQ2MZ9D", "4200000001", fen, state));
}

std::string refused(const WechatSettings& s, const WechatHeaders& h, const std::string& body,
                    std::int64_t now = kNow) {
  auto n = notices::verify_wechat_notice(s, h, body, now);
  return n ? "accepted" : n.error().code;
}

}  // namespace

TEST_CASE("a genuine WeChat Pay notice is read: reference, transaction, fen, time") {
  auto p = test::sign_wechat(platform_key(), paid_body(), kNow);
  auto n = notices::verify_wechat_notice(settings(), headers(p), p.body, kNow);
  REQUIRE(n);
  CHECK(n->via == "wechat");
  CHECK(n->provider == "wechat");
  CHECK(n->reference == "7KQ2MZ9D");
  CHECK(n->txn_id == "4200000001");
  CHECK(n->amount.fen() == 10000);
  CHECK(n->paid);
  CHECK(n->state == "SUCCESS");
  CHECK(n->paid_us == std::optional<std::int64_t>(kNow * 1000000));
  CHECK(n->raw_body == p.body);
  CHECK(n->resource.find("\"out_trade_no\":\"7KQ2MZ9D\"") != std::string::npos);
  CHECK(n->raw_headers.find("Wechatpay-Serial: " + platform_key().serial) != std::string::npos);
}

TEST_CASE(
    "the certificate's serial is matched whatever its case, and the signature type may "
    "be absent") {
  auto p = test::sign_wechat(platform_key(), paid_body(), kNow);
  auto h = headers(p);
  h.serial = "5157f09efdc096de15ebe81a47057a7232f1b8e1";
  h.signature_type.clear();
  CHECK(refused(settings(), h, p.body) == "accepted");
}

TEST_CASE("WeChat Pay: forged, unknown serial, stale and tampered notices are refused") {
  auto s = settings();
  auto p = test::sign_wechat(platform_key(), paid_body(), kNow);
  auto h = headers(p);

  SECTION("signed by another key under the platform serial") {
    auto forged = test::sign_wechat(other_key(), p.body, kNow);
    forged.serial = platform_key().serial;
    CHECK(refused(s, headers(forged), p.body) == "signature_invalid");
  }
  SECTION("a serial no configured certificate has") {
    h.serial = "DEADBEEF";
    CHECK(refused(s, h, p.body) == "serial_unknown");
  }
  SECTION("signed by the right key but named by the other certificate's serial") {
    h.serial = other_key().serial;
    CHECK(refused(s, h, p.body) == "signature_invalid");
  }
  SECTION("a timestamp more than five minutes away, either way") {
    CHECK(refused(s, h, p.body, kNow + 301) == "timestamp_stale");
    CHECK(refused(s, h, p.body, kNow - 301) == "timestamp_stale");
    CHECK(refused(s, h, p.body, kNow + 300) == "accepted");
  }
  SECTION("a configured skew limit") {
    s.max_skew_seconds = 10;
    CHECK(refused(s, h, p.body, kNow + 11) == "timestamp_stale");
    CHECK(refused(s, h, p.body, kNow + 10) == "accepted");
  }
  SECTION("a body changed after signing") {
    auto body = p.body;
    body[body.find("TRANSACTION.SUCCESS")] = 'X';
    CHECK(refused(s, h, body) == "signature_invalid");
  }
  SECTION("a timestamp changed by one second") {
    h.timestamp = std::to_string(kNow + 1);
    CHECK(refused(s, h, p.body) == "signature_invalid");
  }
  SECTION("a nonce changed") {
    h.nonce[0] = h.nonce[0] == 'A' ? 'B' : 'A';
    CHECK(refused(s, h, p.body) == "signature_invalid");
  }
  SECTION("a signature that is not base64, or missing headers") {
    h.signature = "not base64!";
    CHECK(refused(s, h, p.body) == "signature_invalid");
    h.signature.clear();
    CHECK(refused(s, h, p.body) == "signature_missing");
  }
  SECTION("a timestamp that is not a number, and another signature type") {
    h.timestamp = "12a";
    CHECK(refused(s, h, p.body) == "timestamp_invalid");
    h = headers(p);
    h.signature_type = "WECHATPAY2-SM2-WITH-SM3";
    CHECK(refused(s, h, p.body) == "algorithm_unsupported");
  }
}

TEST_CASE("WeChat Pay: a resource tampered under a valid signature does not decrypt") {
  auto flip = [](bool tag) {
    return [tag](nlohmann::json& j, WechatSettings&) {
      auto sealed = *notices::base64_decode(j["resource"]["ciphertext"].get<std::string>());
      char& byte = tag ? sealed.back() : sealed.front();
      byte = static_cast<char>(byte ^ 1);
      j["resource"]["ciphertext"] = notices::base64_encode(sealed);
    };
  };
  struct Tamper {
    const char* what;
    std::function<void(nlohmann::json&, WechatSettings&)> change;
  };
  std::vector<Tamper> tampers = {
      {"the GCM tag", flip(true)},
      {"the ciphertext", flip(false)},
      {"the resource's nonce",
       [](nlohmann::json& j, WechatSettings&) { j["resource"]["nonce"] = "r4nd0mN0nce2"; }},
      {"the associated data",
       [](nlohmann::json& j, WechatSettings&) { j["resource"]["associated_data"] = "cert"; }},
      {"another APIv3 key",
       [](nlohmann::json&, WechatSettings& s) {
         s.apiv3_key = "vutsrqponmlkjihgfedcba9876543210";
       }},
  };
  for (const auto& t : tampers) {
    INFO(t.what);
    auto s = settings();
    auto j = nlohmann::json::parse(paid_body());
    t.change(j, s);
    auto p = test::sign_wechat(platform_key(), j.dump(), kNow);
    CHECK(refused(s, headers(p), p.body) == "decrypt_failed");
  }
}

TEST_CASE("WeChat Pay: another merchant's, unpaid, odd and malformed notices") {
  auto s = settings();
  auto check_body = [&](const std::string& body) {
    auto p = test::sign_wechat(platform_key(), body, kNow);
    return refused(s, headers(p), p.body);
  };
  CHECK(check_body(paid_body(10000, "1900000999")) == "merchant_mismatch");
  CHECK(check_body(paid_body(0)) == "amount_invalid");
  CHECK(check_body(paid_body(-5)) == "amount_invalid");
  CHECK(check_body("{\"resource\":") == "notice_malformed");
  CHECK(check_body("[]") == "notice_malformed");
  CHECK(check_body("{\"id\":\"x\"}") == "notice_malformed");
  CHECK(check_body(test::wechat_envelope(kApiV3Key, "not json")) == "notice_malformed");
  auto j = nlohmann::json::parse(paid_body());
  j["resource"]["algorithm"] = "AES_128_CBC";
  CHECK(check_body(j.dump()) == "algorithm_unsupported");
  j = nlohmann::json::parse(paid_body());
  j["resource"]["original_type"] = "refund";
  CHECK(check_body(j.dump()) == "event_unsupported");

  auto p = test::sign_wechat(platform_key(), paid_body(10000, s.mchid, "CLOSED"), kNow);
  auto closed = notices::verify_wechat_notice(s, headers(p), p.body, kNow);
  REQUIRE(closed);
  CHECK_FALSE(closed->paid);
  CHECK(closed->state == "CLOSED");
}
