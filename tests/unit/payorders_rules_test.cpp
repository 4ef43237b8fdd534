// The provider orders' rules that need no service: our requests' signatures as WeChat Pay and
// Alipay check them, the answers' signatures we check, the Alipay answer's signed text, the
// settings' refusals and the flags.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "app/options.hpp"
#include "notices/crypto.hpp"
#include "notices/wechat_notice.hpp"
#include "payorders/alipay_api.hpp"
#include "payorders/wechat_api.hpp"
#include "tests/support/notice_keys.hpp"

using namespace boai;

namespace {

const test::TestKey& merchant() {
  static const auto k = test::make_test_key("5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
  return k;
}

const test::TestKey& platform() {
  static const auto k = test::make_test_key("1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C");
  return k;
}

payorders::WechatOrderSettings wechat() {
  payorders::WechatOrderSettings s;
  s.mchid = "1900000109";
  s.serial_no = merchant().serial;
  s.key = *payorders::parse_private_key(merchant().private_pem);
  s.appid = "wxd678efh567hg6787";
  s.platform_certs = {*notices::parse_certificate(platform().cert_pem)};
  return s;
}

bool verifies(const test::TestKey& key, const std::string& message, const std::string& b64) {
  auto pub = notices::parse_public_key(key.public_pem);
  auto sig = notices::base64_decode(b64);
  return pub && sig && notices::rsa_sha256_verify(pub->get(), message, *sig);
}

std::string field(const std::string& header, const std::string& name) {
  auto at = header.find(name + "=\"");
  REQUIRE(at != std::string::npos);
  at += name.size() + 2;
  return header.substr(at, header.find('"', at) - at);
}

payorders::HttpReply signed_reply(const std::string& body, std::int64_t ts,
                                  const test::TestKey& by) {
  auto sig = test::sign_base64(by, notices::wechat_signed_text(std::to_string(ts), "N0NCE", body));
  return {200,
          {{"wechatpay-timestamp", std::to_string(ts)},
           {"wechatpay-nonce", "N0NCE"},
           {"wechatpay-signature", sig},
           {"wechatpay-serial", by.serial}},
          body};
}

}  // namespace

TEST_CASE("a WeChat Pay request is signed over method, path, time, nonce and body") {
  auto s = wechat();
  auto header = payorders::wechat_authorization(s, "POST", "/v3/pay/transactions/native",
                                                R"({"a":1})", 1733390000, "NONCE123");
  CHECK(header.starts_with("WECHATPAY2-SHA256-RSA2048 "));
  CHECK(field(header, "mchid") == "1900000109");
  CHECK(field(header, "serial_no") == merchant().serial);
  CHECK(field(header, "timestamp") == "1733390000");
  CHECK(field(header, "nonce_str") == "NONCE123");
  std::string text = "POST\n/v3/pay/transactions/native\n1733390000\nNONCE123\n{\"a\":1}\n";
  CHECK(verifies(merchant(), text, field(header, "signature")));
  CHECK_FALSE(verifies(merchant(), "GET" + text.substr(4), field(header, "signature")));
}

TEST_CASE("a WeChat Pay answer is believed only with the platform's fresh signature") {
  auto s = wechat();
  std::int64_t now = 1733390000;
  CHECK(payorders::verify_wechat_reply(s, signed_reply("{}", now, platform()), now));
  auto tampered = signed_reply(R"({"code_url":"x"})", now, platform());
  tampered.body = R"({"code_url":"y"})";
  auto stale = signed_reply("{}", now - 301, platform());
  auto stranger = signed_reply("{}", now, merchant());  // a key whose serial we do not hold
  payorders::HttpReply unsigned_reply{200, {}, "{}"};
  for (const auto& r : {tampered, stale, stranger, unsigned_reply}) {
    auto v = payorders::verify_wechat_reply(s, r, now);
    REQUIRE_FALSE(v);
    CHECK(v.error().code == "response_signature_invalid");
  }
}

TEST_CASE("an Alipay request is signed over its sorted parameters, sign_type included") {
  payorders::AlipayOrderSettings s;
  s.app_id = "2021000000000001";
  s.key = *payorders::parse_private_key(merchant().private_pem);
  s.notify_url = "https://boai.example/api/pay/notify/alipay";
  s.return_url = "https://boai.example/";
  auto p = payorders::alipay_signed_params(s, "alipay.trade.wap.pay", R"({"out_trade_no":"A"})",
                                           "2026-12-05 10:00:00");
  CHECK(p.at("return_url") == "https://boai.example/");
  std::string text;
  for (const auto& [k, v] : p) {
    if (k != "sign") {
      text += (text.empty() ? "" : "&") + k + "=" + v;
    }
  }
  CHECK(text.starts_with("app_id=2021000000000001&biz_content={\"out_trade_no\":\"A\"}&charset="));
  CHECK(verifies(merchant(), text, p.at("sign")));
  auto precreate = payorders::alipay_signed_params(s, "alipay.trade.precreate", "{}", "t");
  CHECK_FALSE(precreate.contains("return_url"));
}

TEST_CASE("Alipay's signed text is its answer object exactly as sent") {
  std::string body =
      R"({"alipay_trade_query_response":{"code":"10000","msg":"a \"}\" {x}","n":{"m":1}},)"
      R"("sign":"AAAA"})";
  CHECK(payorders::alipay_response_text(body, "alipay_trade_query_response") ==
        R"({"code":"10000","msg":"a \"}\" {x}","n":{"m":1}})");
  CHECK(payorders::alipay_response_text(body, "alipay_trade_close_response").empty());
  CHECK(payorders::alipay_response_text(R"({"alipay_trade_query_response":{"a":)",
                                        "alipay_trade_query_response")
            .empty());
}

TEST_CASE("orders are configured whole, beside their notices and a public address") {
  auto dir = std::filesystem::temp_directory_path() / "boai-payorders-settings";
  std::filesystem::create_directories(dir);
  auto key_file = (dir / "key.pem").string();
  std::ofstream(key_file) << merchant().private_pem;
  auto bad_file = (dir / "bad.pem").string();
  std::ofstream(bad_file) << "not a key";
  notices::NoticeSettings with_notices;
  with_notices.wechat = notices::WechatSettings{"1900000109", std::string(32, 'k'), {}, 300};
  payorders::OrderFiles f;
  CHECK_FALSE(payorders::load_pay_settings(f, {}, "")->any());  // nothing asked: bank only
  f.wechat_serial = "ABC";
  f.wechat_private_key_file = key_file;
  f.wechat_appid = "wx1";
  auto code = [](const auto& result) { return result ? std::string("ok") : result.error().code; };
  CHECK(code(payorders::load_pay_settings(f, with_notices, "")) == "order_config_incomplete");
  CHECK(code(payorders::load_pay_settings(f, {}, "https://x")) == "order_config_incomplete");
  auto ok = payorders::load_pay_settings(f, with_notices, "https://boai.example/");
  REQUIRE(ok);
  CHECK(ok->wechat->notify_url == "https://boai.example/api/pay/notify/wechat");
  CHECK(ok->wechat->api_base == payorders::kWechatApiBase);
  f.wechat_appid.clear();
  CHECK(code(payorders::load_pay_settings(f, with_notices, "https://x")) ==
        "order_config_incomplete");
  f.wechat_appid = "wx1";
  f.wechat_private_key_file = bad_file;
  CHECK(code(payorders::load_pay_settings(f, with_notices, "https://x")) == "key_invalid");
  std::filesystem::remove_all(dir);
}

TEST_CASE("the orders' flags") {
  auto inv = app::parse_command_line({"serve", "--wechatpay-serial", "ABC", "--pay-query-after",
                                      "2", "--alipay-gateway", "http://127.0.0.1:9/gateway.do"},
                                     {{"BOAI_WECHATPAY_APPID", "wx1"}});
  REQUIRE(inv);
  CHECK(inv->options.pay_orders.wechat_serial == "ABC");
  CHECK(inv->options.pay_orders.wechat_appid == "wx1");
  CHECK(inv->options.pay_orders.query_after_seconds == 2);
  CHECK(inv->options.pay_orders.alipay_gateway == "http://127.0.0.1:9/gateway.do");
  CHECK(inv->options.pay_orders.wechat_api_base == payorders::kWechatApiBase);
  for (const auto* bad : {"0", "86401", "5s", ""}) {
    INFO(bad);
    CHECK_FALSE(app::parse_command_line({"serve", "--pay-query-after", bad}, {}));
  }
}
