// Alipay and generic notices, signed here with our own RSA and HMAC keys: genuine ones read,
// forged, tampered, stale, foreign and malformed ones refused with their codes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "notices/alipay_notice.hpp"
#include "notices/form_body.hpp"
#include "notices/generic_notice.hpp"
#include "tests/support/notice_keys.hpp"

using namespace boai;

namespace {

const test::TestKey& alipay_key() {
  static const auto key = test::make_test_key("01");
  return key;
}

notices::AlipaySettings alipay_settings() {
  auto key = notices::parse_public_key(alipay_key().public_pem);
  REQUIRE(key);
  return {"2021000000000001", "2088102177846880", *key};
}

std::map<std::string, std::string> alipay_params() {
  return {{"notify_time", "2024-06-01 10:00:02"},
          {"notify_type", "trade_status_sync"},
          {"notify_id", "ac05099524730693a8b330c5ecf72da9786"},
          {"charset", "utf-8"},
          {"version", "1.0"},
          {"sign_type", "RSA2"},
          {"app_id", "2021000000000001"},
          {"seller_id", "2088102177846880"},
          {"buyer_id", "2088102116773037"},
          {"trade_no", "2024060122001473030500000001"},
          {"out_trade_no", "7KQ2MZ9D"},
          {"trade_status", "TRADE_SUCCESS"},
          {"total_amount", "88.80"},
          {"receipt_amount", "88.80"},
          {"subject", "爱心捐赠 第一课"},
          {"gmt_payment", "2024-06-01 10:00:00"}};
}

std::string alipay_verdict(const std::string& body) {
  auto n = notices::verify_alipay_notice(alipay_settings(), body);
  return n ? "accepted" : n.error().code;
}

std::string alipay_with(const std::string& name, const std::string& value) {
  auto params = alipay_params();
  params[name] = value;
  return test::alipay_body(alipay_key(), params);
}

constexpr std::int64_t kNow = 1717207200;
const std::string kHmacKey = "a shared secret of thirty-two bytes or more";

std::string generic_verdict(const std::string& header, const std::string& body,
                            std::int64_t now = kNow) {
  auto n = notices::verify_generic_notice({kHmacKey, 300}, header, body, now);
  return n ? "accepted" : n.error().code;
}

std::string generic_signed(const std::string& body) {
  return generic_verdict(notices::generic_signature_header(kHmacKey, kNow, body), body);
}

const std::string kGenericBody =
    R"({"provider":"bank","transaction_id":"CMB-20240601-0001","reference":"7KQ2MZ9D",)"
    R"("amount_fen":10000,"status":"paid","paid_at":"2024-06-01T10:00:00+08:00"})";

}  // namespace

TEST_CASE("a genuine Alipay notice is read, total_amount in yuan as exact fen") {
  auto body = test::alipay_body(alipay_key(), alipay_params());
  auto n = notices::verify_alipay_notice(alipay_settings(), body);
  REQUIRE(n);
  CHECK(n->via == "alipay");
  CHECK(n->reference == "7KQ2MZ9D");
  CHECK(n->txn_id == "2024060122001473030500000001");
  CHECK(n->amount.fen() == 8880);
  CHECK(n->paid);
  CHECK(n->paid_us == std::optional<std::int64_t>(kNow * 1000000));
  CHECK(n->raw_body == body);
  CHECK(alipay_verdict(alipay_with("trade_status", "TRADE_FINISHED")) == "accepted");
}

TEST_CASE("Alipay's public key may be given as the bare base64 its console shows") {
  std::string pem = alipay_key().public_pem;
  std::string bare;
  for (auto line = pem.find('\n') + 1; line < pem.size();) {
    auto end = pem.find('\n', line);
    if (pem.compare(line, 5, "-----") != 0) {
      bare += pem.substr(line, end - line);
    }
    line = end + 1;
  }
  auto key = notices::parse_public_key(bare);
  REQUIRE(key);
  notices::AlipaySettings s{"2021000000000001", "", *key};
  CHECK(notices::verify_alipay_notice(s, test::alipay_body(alipay_key(), alipay_params())));
  CHECK(notices::parse_public_key("MIIB-not-a-key").error().code == "key_invalid");
}

TEST_CASE("Alipay: forged, tampered, foreign and malformed notices are refused") {
  auto body = test::alipay_body(alipay_key(), alipay_params());
  SECTION("signed by another key") {
    static const auto other = test::make_test_key("02");
    CHECK(alipay_verdict(test::alipay_body(other, alipay_params())) == "signature_invalid");
  }
  SECTION("an amount changed after signing") {
    auto at = body.find("total_amount=88.80");
    REQUIRE(at != std::string::npos);
    body.replace(at, 18, "total_amount=98.80");
    CHECK(alipay_verdict(body) == "signature_invalid");
  }
  SECTION("a parameter added after signing") {
    CHECK(alipay_verdict(body + "&extra=1") == "signature_invalid");
  }
  SECTION("no sign, another sign type, another charset") {
    auto params = alipay_params();
    CHECK(alipay_verdict(notices::form_encode(params)) == "signature_missing");
    CHECK(alipay_verdict(alipay_with("sign_type", "RSA")) == "algorithm_unsupported");
    CHECK(alipay_verdict(alipay_with("charset", "GBK")) == "charset_unsupported");
  }
  SECTION("another app or seller") {
    CHECK(alipay_verdict(alipay_with("app_id", "2021000000000002")) == "merchant_mismatch");
    CHECK(alipay_verdict(alipay_with("seller_id", "2088000000000000")) == "merchant_mismatch");
  }
  SECTION("amounts that are not plain yuan") {
    for (const char* amount : {"1,000.00", "-5", "abc", "0", "0.00", "1.234", "", "1e3", ".5"}) {
      INFO(amount);
      CHECK(alipay_verdict(alipay_with("total_amount", amount)) == "amount_invalid");
    }
  }
  SECTION("malformed forms and fields") {
    CHECK(alipay_verdict("a=%zz&sign=x") == "notice_malformed");
    CHECK(alipay_verdict("a=1&a=2") == "notice_malformed");
    CHECK(alipay_verdict(alipay_with("out_trade_no", "")) == "notice_malformed");
    CHECK(alipay_verdict(alipay_with("gmt_payment", "yesterday")) == "notice_malformed");
  }
}

TEST_CASE("Alipay: only TRADE_SUCCESS and TRADE_FINISHED mean paid") {
  for (const char* status : {"WAIT_BUYER_PAY", "TRADE_CLOSED"}) {
    auto n = notices::verify_alipay_notice(alipay_settings(), alipay_with("trade_status", status));
    REQUIRE(n);
    CHECK_FALSE(n->paid);
  }
}

TEST_CASE("a genuine generic notice is read, its signed text t, a line feed, the body") {
  auto header = notices::generic_signature_header(kHmacKey, kNow, kGenericBody);
  CHECK(header == "t=1717207200,v1=" + notices::hex_encode(notices::hmac_sha256(
                                           kHmacKey, "1717207200\n" + kGenericBody)));
  auto n = notices::verify_generic_notice({kHmacKey, 300}, header, kGenericBody, kNow);
  REQUIRE(n);
  CHECK(n->provider == "bank");
  CHECK(n->txn_id == "CMB-20240601-0001");
  CHECK(n->reference == "7KQ2MZ9D");
  CHECK(n->amount.fen() == 10000);
  CHECK(n->paid);
}

TEST_CASE("generic notices: the reference may come from the payer's remark") {
  auto body =
      R"({"transaction_id":"T1","amount_fen":500,"status":"paid","remark":"捐款 7KQ2MZ9D 张三"})";
  auto n = notices::verify_generic_notice(
      {kHmacKey, 300}, notices::generic_signature_header(kHmacKey, kNow, body), body, kNow);
  REQUIRE(n);
  CHECK(n->reference == "7KQ2MZ9D");
  CHECK(n->provider == "bank");
}

TEST_CASE("generic notices: forged, stale, tampered and malformed ones are refused") {
  auto header = notices::generic_signature_header(kHmacKey, kNow, kGenericBody);
  CHECK(generic_verdict(header, kGenericBody) == "accepted");
  CHECK(generic_verdict(notices::generic_signature_header("another key of thirty-two bytes!!", kNow,
                                                          kGenericBody),
                        kGenericBody) == "signature_invalid");
  CHECK(generic_verdict(header, kGenericBody + " ") == "signature_invalid");
  CHECK(generic_verdict(header, kGenericBody, kNow + 301) == "timestamp_stale");
  auto moved = header;
  moved.replace(2, 10, std::to_string(kNow + 1));
  CHECK(generic_verdict(moved, kGenericBody) == "signature_invalid");
  CHECK(generic_verdict("", kGenericBody) == "signature_missing");
  CHECK(generic_verdict("v1=00,t=1", kGenericBody) == "signature_invalid");
  CHECK(generic_verdict("t=abc,v1=00", kGenericBody) == "timestamp_invalid");
  CHECK(generic_signed("{\"transaction_id\":") == "notice_malformed");
  CHECK(generic_signed(R"({"transaction_id":"T","amount_fen":"100","status":"paid"})") ==
        "amount_invalid");
  CHECK(generic_signed(R"({"transaction_id":"T","amount_fen":0,"status":"paid"})") ==
        "amount_invalid");
  CHECK(generic_signed(R"({"transaction_id":"T","amount_fen":1.5,"status":"paid"})") ==
        "amount_invalid");
  CHECK(generic_signed(
            R"({"provider":"cash","transaction_id":"T","amount_fen":1,"status":"paid"})") ==
        "notice_malformed");
  CHECK(generic_signed(R"({"amount_fen":1,"status":"paid"})") == "notice_malformed");
  CHECK(
      generic_signed(R"({"transaction_id":"T","amount_fen":1,"status":"paid","paid_at":"June"})") ==
      "notice_malformed");
}
