// Provider orders against the providers' stand-in (tests/providers/standin.mjs, which checks our
// signatures with WeChat Pay's and Alipay's Node SDKs) on a real PostgreSQL: one order per
// reference and provider however often asked, answers with a wrong signature refused, a lost
// notice recovered by the poller's query, orders closed when their pledge is cancelled or their
// sale reservation expires, and a payment after the close queued for finance.
#include "payorders/pay_orders.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "donations/ledger_verify.hpp"
#include "donations/pledges.hpp"
#include "donations/sale_orders.hpp"
#include "donations/sales.hpp"
#include "notices/alipay_notice.hpp"
#include "notices/notice_store.hpp"
#include "notices/wechat_notice.hpp"
#include "payorders/http_client.hpp"
#include "payorders/wechat_api.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/provider_standin.hpp"

using namespace boai;
using boai::sql::params;
using boai::test::LedgerFixture;
using boai::test::ProviderStandin;
using nlohmann::json;

namespace {

std::string must_pledge(LedgerFixture& f, const std::string& key, std::int64_t fen) {
  auto batch = donations::write_pledges(f.conn, {f.pledge(key, fen)}, donations::PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  return batch->pledges[0]->reference;
}

payorders::PayOrder must_open(LedgerFixture& f, const payorders::PaySettings& s,
                              const std::string& reference, const std::string& method,
                              const std::string& openid = "") {
  auto order = payorders::open_order(f.conn, s, {reference, method, openid, "10.1.2.3"});
  INFO((order ? "" : order.error().code + ": " + order.error().message));
  REQUIRE(order);
  return *order;
}

std::string pledge_status(LedgerFixture& f, const std::string& reference) {
  auto p = donations::find_pledge(f.conn, reference);
  REQUIRE(p);
  return p->status;
}

std::string order_status(LedgerFixture& f, const std::string& reference,
                         const std::string& provider) {
  auto r = f.conn.exec("SELECT status FROM pay_orders WHERE reference = $1 AND provider = $2",
                       params(reference, provider));
  REQUIRE(r);
  REQUIRE(r->rows() == 1);
  return std::string(r->text(0, 0));
}

// Sweeps until the order leaves `created` (the poller waits query_after_seconds before it
// queries): a condition, not a sleep.
void sweep_until_settled(LedgerFixture& f, const payorders::PaySettings& s,
                         const std::string& reference, const std::string& provider) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (order_status(f, reference, provider) == "created" &&
         std::chrono::steady_clock::now() < deadline) {
    payorders::sweep_orders(f.conn, s, 50);
    if (order_status(f, reference, provider) == "created") {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling the clock
    }
  }
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The stand-in's notice for an order, verified as the notice route verifies it.
notices::VerifiedNotice standin_notice(const ProviderStandin& standin, const std::string& provider,
                                       const std::string& reference, bool pay) {
  auto n =
      standin.control("notice", {{"provider", provider}, {"reference", reference}, {"pay", pay}});
  std::string body = n["body"];
  if (provider == "alipay") {
    notices::AlipaySettings a{standin.alipay_app_id, standin.alipay_seller_id,
                              *notices::parse_public_key(standin.alipay.public_pem)};
    auto v = notices::verify_alipay_notice(a, body);
    INFO((v ? "" : v.error().message));
    REQUIRE(v);
    return *v;
  }
  notices::WechatSettings w{standin.mchid,
                            standin.apiv3_key,
                            {*notices::parse_certificate(standin.platform.cert_pem)},
                            300};
  const auto& h = n["headers"];
  notices::WechatHeaders headers{h["Wechatpay-Timestamp"], h["Wechatpay-Nonce"],
                                 h["Wechatpay-Signature"], h["Wechatpay-Serial"],
                                 h["Wechatpay-Signature-Type"]};
  auto v = notices::verify_wechat_notice(w, headers, body, now_seconds());
  INFO((v ? "" : v.error().message));
  REQUIRE(v);
  return *v;
}

}  // namespace

TEST_CASE("a pledge gets one provider order per reference and provider, however often asked") {
  auto f = LedgerFixture::make("payorders_once");
  ProviderStandin standin;
  auto s = standin.settings();
  auto ref = must_pledge(f, "k-order-once", 5000);

  auto first = must_open(f, s, ref, "wechat_native");
  CHECK(first.amount.fen() == 5000);
  CHECK(first.made.code_url.starts_with("weixin://wxpay/bizpayurl?pr="));
  // Retries, one after another and at once from other connections, meet the same order.
  auto again = must_open(f, s, ref, "wechat_native");
  CHECK(again.made.code_url == first.made.code_url);
  std::vector<std::future<std::string>> at_once;
  for (int i = 0; i < 4; ++i) {
    at_once.push_back(std::async(std::launch::async, [&f, &s, &ref] {
      auto conn = sql::Connection::open(f.url);
      auto o = payorders::open_order(*conn, s, {ref, "wechat_h5", "", "10.0.0.1"});
      return o ? o->made.code_url : o.error().code;
    }));
  }
  for (auto& result : at_once) {
    CHECK(result.get() == first.made.code_url);  // the native order made first, as it is
  }
  auto alipay = must_open(f, s, ref, "alipay_qr");
  CHECK(alipay.made.code_url.starts_with("https://qr.alipay.com/"));
  CHECK(must_open(f, s, ref, "alipay_qr").made.code_url == alipay.made.code_url);

  CHECK(standin.order("wechat", ref)["creates"] == 1);
  CHECK(standin.order("wechat", ref)["amount_fen"] == 5000);
  CHECK(standin.order("alipay", ref)["creates"] == 1);
  CHECK(f.count("pay_orders") == 2);
  auto seen = standin.control("orders");
  for (const auto& call : seen["log"]) {
    INFO(call.dump());
    CHECK(call["ok"] == true);  // every request's signature held in the providers' SDKs
  }
}

TEST_CASE("bad asks are refused with stable codes and make no order") {
  auto f = LedgerFixture::make("payorders_refused");
  ProviderStandin standin;
  auto s = standin.settings();
  auto ref = must_pledge(f, "k-order-bad", 2000);
  auto code = [&](const std::string& reference, const std::string& method) {
    auto o = payorders::open_order(f.conn, s, {reference, method, "", ""});
    REQUIRE_FALSE(o);
    return o.error().code;
  };
  CHECK(code(ref, "paypal") == "method_invalid");
  CHECK(code(ref, "wechat_jsapi") == "openid_required");
  CHECK(code("ZZZZZZZZ", "wechat_native") == "pledge_not_found");
  REQUIRE(donations::cancel_pledge(f.conn, ref));
  CHECK(code(ref, "wechat_native") == "pledge_not_payable");
  auto alipay_only = s;
  alipay_only.wechat.reset();
  auto other = must_pledge(f, "k-order-bad-2", 2000);
  auto o = payorders::open_order(f.conn, alipay_only, {other, "wechat_native", "", ""});
  REQUIRE_FALSE(o);
  CHECK(o.error().code == "method_not_configured");
  CHECK(f.count("pay_orders") == 0);
}

TEST_CASE("an answer without the provider's signature is refused and leaves no order") {
  auto f = LedgerFixture::make("payorders_forged");
  ProviderStandin standin;
  auto s = standin.settings();
  auto ref = must_pledge(f, "k-order-forged", 3000);
  standin.control("mode", {{"bad_signature", true}});
  for (const auto* method : {"wechat_native", "alipay_qr"}) {
    auto o = payorders::open_order(f.conn, s, {ref, method, "", ""});
    REQUIRE_FALSE(o);
    CHECK(o.error().code == "response_signature_invalid");
  }
  CHECK(f.count("pay_orders") == 0);
  standin.control("mode", {{"bad_signature", false}});
  must_open(f, s, ref, "wechat_native");
  CHECK(order_status(f, ref, "wechat") == "created");
}

TEST_CASE("a lost notice is recovered by query, and the notice that comes late is a repeat") {
  auto f = LedgerFixture::make("payorders_query");
  ProviderStandin standin;
  auto s = standin.settings();
  auto wechat_ref = must_pledge(f, "k-order-query-w", 8800);
  auto alipay_ref = must_pledge(f, "k-order-query-a", 6600);
  must_open(f, s, wechat_ref, "wechat_native");
  auto wap = must_open(f, s, alipay_ref, "alipay_wap");
  // The phone opens the signed wap address: the stand-in checks it as Alipay would.
  auto page = payorders::http_call({"GET", wap.made.h5_url, {}, "", std::chrono::seconds(10)});
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("支付宝收银台 " + alipay_ref + " ¥66.00") != std::string::npos);

  standin.control("pay", {{"provider", "wechat"}, {"reference", wechat_ref}, {"notify", false}});
  standin.control("pay", {{"provider", "alipay"}, {"reference", alipay_ref}, {"notify", false}});
  sweep_until_settled(f, s, wechat_ref, "wechat");
  sweep_until_settled(f, s, alipay_ref, "alipay");
  CHECK(order_status(f, wechat_ref, "wechat") == "paid");
  CHECK(order_status(f, alipay_ref, "alipay") == "paid");
  CHECK(pledge_status(f, wechat_ref) == "paid");
  CHECK(pledge_status(f, alipay_ref) == "paid");
  CHECK(f.count("payments") == 2);
  CHECK(standin.order("wechat", wechat_ref)["queries"] >= 1);

  // The notices arrive after all: the same transactions, so nothing more is paid.
  for (const auto& [provider, ref] :
       {std::pair<std::string, std::string>{"wechat", wechat_ref}, {"alipay", alipay_ref}}) {
    auto late = notices::keep_and_apply(f.conn, standin_notice(standin, provider, ref, false));
    REQUIRE(late);
    CHECK(late->repeated);
    CHECK(late->outcome == "applied");
  }
  CHECK(f.count("payments") == 2);
  CHECK(f.count("reconcile_exceptions") == 0);
  CHECK(donations::verify_ledger(f.conn));
}

TEST_CASE("orders close when the pledge is cancelled, and a payment after the close is queued") {
  auto f = LedgerFixture::make("payorders_close");
  ProviderStandin standin;
  auto s = standin.settings();
  auto ref = must_pledge(f, "k-order-close", 4000);
  must_open(f, s, ref, "wechat_native");
  must_open(f, s, ref, "alipay_qr");
  REQUIRE(donations::cancel_pledge(f.conn, ref));
  auto report = payorders::sweep_orders(f.conn, s, 50);
  CHECK(report.closed == 2);
  CHECK(order_status(f, ref, "wechat") == "closed");
  CHECK(order_status(f, ref, "alipay") == "closed");
  CHECK(standin.order("wechat", ref)["state"] == "CLOSED");
  CHECK(standin.order("alipay", ref)["state"] == "TRADE_CLOSED");

  // The donor had paid in the moment before the close: the notice comes, the pledge takes no
  // money, and finance gets it in the exception queue to refund.
  auto late = notices::keep_and_apply(f.conn, standin_notice(standin, "wechat", ref, true));
  REQUIRE(late);
  CHECK(late->outcome == "not_payable");
  auto queued = f.conn.exec(
      "SELECT e.kind, e.actual_fen FROM reconcile_exceptions e "
      "JOIN payment_notices n ON n.id = e.notice_id WHERE n.reference = $1",
      params(ref));
  REQUIRE(queued);
  REQUIRE(queued->rows() == 1);
  CHECK(queued->text(0, 0) == "payment_without_pledge");
  CHECK(queued->int64(0, 1) == 4000);
  CHECK(f.count("payments") == 0);

  // The desk's view of it: both orders and why they closed, and the notice waiting for finance.
  auto shown = test::run_boai({"pledge", "show", ref, "--database-url", f.url});
  INFO(shown.output);
  CHECK(shown.exit_code == 0);
  CHECK(shown.output.find("provider orders: 2") != std::string::npos);
  CHECK(shown.output.find("wechat native ¥40.00 closed: the pledge takes no more money") !=
        std::string::npos);
  CHECK(shown.output.find("not_payable, waits for finance") != std::string::npos);
}

TEST_CASE("a close that finds the order paid applies the payment for finance to refund") {
  auto f = LedgerFixture::make("payorders_close_paid");
  ProviderStandin standin;
  auto s = standin.settings();
  auto ref = must_pledge(f, "k-order-close-paid", 1500);
  must_open(f, s, ref, "alipay_qr");
  standin.control("pay", {{"provider", "alipay"}, {"reference", ref}, {"notify", false}});
  REQUIRE(donations::cancel_pledge(f.conn, ref));
  payorders::sweep_orders(f.conn, s, 50);
  CHECK(order_status(f, ref, "alipay") == "paid");
  auto n =
      f.conn.exec("SELECT via, outcome FROM payment_notices WHERE reference = $1", params(ref));
  REQUIRE(n);
  REQUIRE(n->rows() == 1);
  CHECK(n->text(0, 0) == "query");
  CHECK(n->text(0, 1) == "not_payable");
  CHECK(f.count("reconcile_exceptions") == 1);
}

TEST_CASE("a sale order's provider order closes when its reservation expires") {
  auto f = LedgerFixture::make("payorders_sale");
  ProviderStandin standin;
  auto s = standin.settings();
  auto item =
      donations::add_sale_item(f.conn, {"手工围巾", "志愿者织的", "李阿姨", "",
                                        donations::Money::from_fen(2500), 2, 0, "general", "desk"});
  REQUIRE(item);
  donations::SaleOrderRequest r;
  r.idempotency_key = "sale-pay-01";
  r.campaign = "firstaid";
  r.item_id = item->id;
  r.quantity = 1;
  r.buyer_name = "王五";
  r.contact = "13800000000";
  r.hold = std::chrono::seconds(1);
  auto placed = donations::place_sale_order(f.conn, r);
  REQUIRE(placed);
  auto ref = placed->order.pledge.reference;
  auto order = must_open(f, s, ref, "wechat_h5");
  CHECK(order.made.h5_url.starts_with("https://wx.tenpay.com/"));
  CHECK(order.amount.fen() == 2500);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (pledge_status(f, ref) != "expired" && std::chrono::steady_clock::now() < deadline) {
    REQUIRE(donations::expire_sale_orders(f.conn, 10));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling the clock
  }
  REQUIRE(pledge_status(f, ref) == "expired");
  payorders::sweep_orders(f.conn, s, 50);
  CHECK(order_status(f, ref, "wechat") == "closed");
  CHECK(standin.order("wechat", ref)["closes"] == 1);
}

TEST_CASE("a payment inside WeChat is a JSAPI order whose page parameters we sign") {
  auto f = LedgerFixture::make("payorders_jsapi");
  ProviderStandin standin;
  auto s = standin.settings();
  auto ref = must_pledge(f, "k-order-jsapi", 1000);
  auto order = must_open(f, s, ref, "wechat_jsapi", "oDonorOpenid0001");
  REQUIRE_FALSE(order.made.prepay_id.empty());
  CHECK(standin.order("wechat", ref)["openid"] == "oDonorOpenid0001");
  auto params_text = payorders::wechat_jsapi_params(*s.wechat, order.made.prepay_id);
  auto p = json::parse(params_text);
  CHECK(p["appId"] == standin.appid);
  CHECK(p["package"] == "prepay_id=" + order.made.prepay_id);
  CHECK(p["signType"] == "RSA");
  std::string signed_text =
      p["appId"].get<std::string>() + "\n" + p["timeStamp"].get<std::string>() + "\n" +
      p["nonceStr"].get<std::string>() + "\n" + p["package"].get<std::string>() + "\n";
  auto merchant_public = notices::parse_public_key(standin.merchant.public_pem);
  REQUIRE(merchant_public);
  auto sig = notices::base64_decode(p["paySign"].get<std::string>());
  REQUIRE(sig);
  CHECK(notices::rsa_sha256_verify(merchant_public->get(), signed_text, *sig));
}
