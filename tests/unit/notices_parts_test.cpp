// The notices' parts: base64 and hex, times, form bodies, certificates' serials, and the
// settings read from files at startup, with the errors that stop a server from starting.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "notices/crypto.hpp"
#include "notices/form_body.hpp"
#include "notices/keys.hpp"
#include "notices/notice_settings.hpp"
#include "notices/notice_time.hpp"
#include "tests/support/notice_keys.hpp"

using namespace boai;

TEST_CASE("base64 and hex are strict") {
  CHECK(notices::base64_decode("aGVsbG8=") == std::optional<std::string>("hello"));
  CHECK(notices::base64_decode("aGVsbA==") == std::optional<std::string>("hell"));
  CHECK(notices::base64_decode("") == std::optional<std::string>(""));
  for (const char* bad : {"aGVsbG8", "aGV sbG8=", "a=Vs", "aGVsbG8=\n", "====", "aGVsbA=a"}) {
    INFO(bad);
    CHECK_FALSE(notices::base64_decode(bad));
  }
  CHECK(notices::base64_encode("hello") == "aGVsbG8=");
  CHECK(notices::hex_decode("0aFF") == std::optional<std::string>("\x0a\xff"));
  CHECK_FALSE(notices::hex_decode("0aF"));
  CHECK_FALSE(notices::hex_decode("zz"));
}

TEST_CASE("notice times are read exactly") {
  CHECK(notices::parse_rfc3339_us("2024-06-01T10:00:00+08:00") == 1717207200000000);
  CHECK(notices::parse_rfc3339_us("2024-06-01T02:00:00Z") == 1717207200000000);
  CHECK(notices::parse_rfc3339_us("2024-06-01T02:00:00.5Z") == 1717207200500000);
  CHECK(notices::parse_rfc3339_us("2024-06-01T01:00:00-01:00") == 1717207200000000);
  CHECK(notices::parse_beijing_time_us("2024-06-01 10:00:00") == 1717207200000000);
  for (const char* bad : {"2024-06-01", "2024-02-30T00:00:00Z", "2024-06-01T24:00:00Z",
                          "2024-06-01T10:00:00", "2024-06-01T10:00:00+8", "2024-06-01T10:00:00.Z",
                          "2024-06-01 10:00:00Z", "x024-06-01T10:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(notices::parse_rfc3339_us(bad));
  }
  CHECK_FALSE(notices::parse_beijing_time_us("2024-06-01T10:00:00"));
  CHECK(notices::parse_unix_seconds("1717207200") == 1717207200);
  CHECK_FALSE(notices::parse_unix_seconds("-1"));
  CHECK_FALSE(notices::parse_unix_seconds("1234567890123"));
}

TEST_CASE("form bodies decode '+' and %XX, and refuse bad escapes and repeated names") {
  auto f = notices::parse_form_body("b=%E7%88%B1+%E5%BF%83&a=1&&c=");
  REQUIRE(f);
  CHECK(f->at("b") == "爱 心");
  CHECK(f->at("a") == "1");
  CHECK(f->at("c").empty());
  CHECK(notices::parse_form_body(notices::form_encode(*f)) == f);
  CHECK(notices::parse_form_body("a=%4").error().code == "notice_malformed");
  CHECK(notices::parse_form_body("=1").error().code == "notice_malformed");
  CHECK(notices::parse_form_body("a=1&a=1").error().code == "notice_malformed");
}

TEST_CASE("a certificate's serial is read as WeChat Pay names it") {
  auto key = test::make_test_key("00AB01");
  auto cert = notices::parse_certificate(key.cert_pem);
  REQUIRE(cert);
  CHECK(cert->serial == "AB01");
  CHECK(notices::parse_certificate(key.public_pem).error().code == "certificate_invalid");
  CHECK(notices::parse_public_key(key.cert_pem).error().code == "key_invalid");
}

namespace {

std::string write_file(const std::filesystem::path& dir, const std::string& name,
                       const std::string& text) {
  auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("notice settings: each provider whole or not at all, every file readable") {
  auto dir = std::filesystem::temp_directory_path() / "boai-notice-settings-test";
  std::filesystem::create_directories(dir);
  auto key = test::make_test_key("0C");
  notices::NoticeFiles f;
  CHECK(notices::load_notice_settings(f));  // nothing configured: every route refuses

  f.wechat_mchid = "1900000109";  // for statements alone: no notices
  REQUIRE(notices::load_notice_settings(f));
  CHECK_FALSE(notices::load_notice_settings(f)->wechat);
  f.wechat_apiv3_key_file = write_file(dir, "apiv3.key", "0123456789abcdefghijklmnopqrstuv\n");
  CHECK(notices::load_notice_settings(f).error().code == "notice_config_incomplete");
  f.wechat_platform_certs = {write_file(dir, "cert.pem", key.cert_pem)};
  auto loaded = notices::load_notice_settings(f);
  REQUIRE(loaded);
  REQUIRE(loaded->wechat);
  CHECK(loaded->wechat->apiv3_key.size() == 32);
  CHECK(loaded->wechat->platform_certs.at(0).serial == "0C");
  CHECK_FALSE(loaded->alipay);

  f.wechat_platform_certs.push_back((dir / "missing.pem").string());
  auto missing = notices::load_notice_settings(f);
  CHECK(missing.error().code == "file_unreadable");
  CHECK(missing.error().message.find("--wechatpay-platform-cert") != std::string::npos);
  f.wechat_platform_certs = {write_file(dir, "bad.pem", "-----BEGIN CERTIFICATE-----\nxx\n")};
  CHECK(notices::load_notice_settings(f).error().code == "certificate_invalid");
  f.wechat_platform_certs = {write_file(dir, "cert.pem", key.cert_pem)};
  f.wechat_apiv3_key_file = write_file(dir, "short.key", "too short");
  CHECK(notices::load_notice_settings(f).error().code == "key_invalid");
  f = {};

  f.alipay_app_id = "2021000000000001";
  f.alipay_seller_id = "2088102177846880";
  f.alipay_public_key_file = write_file(dir, "alipay.pem", "not a key");
  CHECK(notices::load_notice_settings(f).error().code == "key_invalid");
  f.alipay_public_key_file = write_file(dir, "alipay.pem", key.public_pem);
  CHECK(notices::load_notice_settings(f)->alipay);

  f.hmac_key_file = write_file(dir, "hmac.key", "short");
  CHECK(notices::load_notice_settings(f).error().code == "key_invalid");
  f.hmac_key_file = write_file(dir, "hmac.key", std::string(32, 'k'));
  CHECK(notices::load_notice_settings(f)->generic);
  std::filesystem::remove_all(dir);
}
