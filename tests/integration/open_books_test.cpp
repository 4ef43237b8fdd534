// The open books over HTTP (issue #13), through a real `boai serve`: the summary from the kept
// totals, the month's disclosure, expenditures with their entries, wishes with their gifts and
// spending, a donor's own gift showing exactly the public fields, ETags, rate limits, bad input,
// and the checkpoint serve signs by itself.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "donations/payments.hpp"
#include "donations/period_dates.hpp"
#include "donations/pledges.hpp"
#include "donations/wish_fulfilment.hpp"
#include "donations/wish_gifts.hpp"
#include "donations/wishes.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::donations;
using boai::test::BoaiProcess;
using boai::test::get_json;
using boai::test::http_get;
using boai::test::http_request;
using boai::test::LedgerFixture;
using nlohmann::json;

namespace {

struct Books {
  std::string paid_reference;     // ¥123.45 from 张三丰, paid
  std::string pledged_reference;  // ¥20 from 王五, not paid
  std::string wish_reference;     // ¥88 to the wish, paid
  std::int64_t wish_id = 0;
};

void pay(LedgerFixture& f, const std::string& reference, std::int64_t fen, const char* txn) {
  PaymentRequest p;
  p.provider = "bank";
  p.provider_txn_id = txn;
  p.amount = Money::from_fen(fen);
  p.reference = reference;
  REQUIRE(record_payment(f.conn, p));
}

std::string must_pledge(LedgerFixture& f, const PledgeRequest& r) {
  auto batch = write_pledges(f.conn, {r}, PledgeLimits{});
  REQUIRE(batch);
  INFO((batch->pledges[0] ? "" : batch->pledges[0].error().code));
  REQUIRE(batch->pledges[0]);
  return batch->pledges[0]->reference;
}

Books write_books(LedgerFixture& f) {
  Books b;
  auto gift = f.pledge("open-books-0001", 12345, "张三丰");
  gift.contact = "13800000000";
  gift.message = "私下的话";
  b.paid_reference = must_pledge(f, gift);
  b.pledged_reference = must_pledge(f, f.pledge("open-books-0002", 2000, "王五"));
  pay(f, b.paid_reference, 12345, "BOOKS-1");

  auto wish = post_wish(f.conn,
                        {"firstaid", "给孩子买书包", "开学用", "study", Money::from_fen(8800),
                         "赵小明", "13900000000", "s1", "127.0.0.1", ""},
                        WishLimits{});
  REQUIRE(wish);
  b.wish_id = wish->id;
  REQUIRE(review_wish(f.conn, {wish->id, true, "", {}, {}, {}, "审核员"}, WishLimits{}));
  auto given = give_to_wish(f.conn, f.pledge("open-books-0003", 8800, "钱七"), wish->id, false);
  REQUIRE(given);
  b.wish_reference = given->pledge.reference;
  pay(f, b.wish_reference, 8800, "BOOKS-3");
  REQUIRE(fulfil_wish(
      f.conn, {wish->id, "书包已送到", "",
               WishSpending{Money::from_fen(8000), "柯桥文具店", "王站长", "INV-2026-001"}}));
  REQUIRE(record_expenditure(f.conn, {"aed", "firstaid", Money::from_fen(3000), "AED 电池",
                                      "某医疗器械公司", "李会计", "INV-2026-002"}));
  return b;
}

}  // namespace

TEST_CASE("the public books read from the kept totals, lists and a donor's own gift") {
  auto f = LedgerFixture::make("open_books");
  auto books = write_books(f);
  auto data = boai::test::temp_dir("open_books");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio",
                    "--limits", "gift_lookups_per_minute=400,checkpoint_minutes=0.01"},
                   {{"BOAI_DATABASE_URL", f.url}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);

  SECTION("the summary: gifts, spending and the balance, by fund and campaign") {
    auto s = get_json(*port, "/api/ledger/summary");
    const auto& all = s.at("totals");
    CHECK(all.at("gifts").at("pledged_fen") == 12345 + 2000 + 8800);
    CHECK(all.at("gifts").at("received_fen") == 12345 + 8800);
    CHECK(all.at("spent_fen") == 8000 + 3000);
    CHECK(all.at("balance_fen") == 12345 + 8800 - 8000 - 3000);
    CHECK(all.at("sales").at("received_fen") == 0);
    auto fund = [&s](const std::string& slug) {
      for (const auto& x : s.at("funds")) {
        if (x.at("slug") == slug) {
          return x.at("totals");
        }
      }
      FAIL("no fund " << slug);
      return json();
    };
    CHECK(fund("wishes").at("gifts").at("received_fen") == 8800);
    CHECK(fund("wishes").at("spent_fen") == 8000);
    CHECK(fund("aed").at("balance_fen") == -3000);
    REQUIRE(s.at("campaigns").size() == 1);
    CHECK(s.at("campaigns")[0].at("slug") == "firstaid");
    CHECK(s.at("head").at("seq").get<std::int64_t>() > 0);
  }
  SECTION("the same answer again is 304 with its ETag") {
    auto first = http_get(*port, "/api/ledger/summary");
    REQUIRE(first.status == 200);
    auto tag = first.headers.at("etag");
    auto again = http_request(*port, "GET", "/api/ledger/summary", "", {{"If-None-Match", tag}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    auto stale =
        http_request(*port, "GET", "/api/ledger/summary", "", {{"If-None-Match", "\"x\""}});
    CHECK(stale.status == 200);
  }
  SECTION("this month's disclosure holds the same figures and its expenditures") {
    auto month = month_of(now_us()).name;
    auto list = get_json(*port, "/api/ledger/months");
    REQUIRE(list.at("months").size() == 1);
    CHECK(list.at("months")[0].at("month") == month);
    auto sheet = get_json(*port, "/api/ledger/months/" + month);
    CHECK(sheet.at("totals") == get_json(*port, "/api/ledger/summary").at("totals"));
    REQUIRE(sheet.at("expenditures").size() == 2);
    CHECK(sheet.at("expenditures")[1].at("purpose") == "AED 电池");
    CHECK(get_json(*port, "/api/ledger/months/2020-01").at("expenditures").empty());
    auto bad = get_json(*port, "/api/ledger/months/2026-13", 400);
    CHECK(bad.at("error") == "period_invalid");
  }
  SECTION("expenditures, newest first, each with its entry") {
    auto page = get_json(*port, "/api/ledger/expenditures?limit=1");
    REQUIRE(page.at("expenditures").size() == 1);
    const auto& x = page.at("expenditures")[0];
    CHECK(x.at("purpose") == "AED 电池");
    CHECK(x.at("payee") == "某医疗器械公司");
    CHECK(x.at("approved_by") == "李会计");
    CHECK(x.at("evidence") == "INV-2026-002");
    CHECK(x.at("entry_hash").get<std::string>().size() == 64);
    auto next = get_json(*port, "/api/ledger/expenditures?limit=5&before_id=" +
                                    std::to_string(page.at("next_before_id").get<std::int64_t>()));
    REQUIRE(next.at("expenditures").size() == 1);
    CHECK(next.at("expenditures")[0].at("wish").at("id") == books.wish_id);
    get_json(*port, "/api/ledger/expenditures?limit=0", 400);
    get_json(*port, "/api/ledger/expenditures?before_id=x", 400);
  }
  SECTION("wishes with their gifts and the spending that fulfilled them, requester masked") {
    auto page = get_json(*port, "/api/ledger/wishes");
    REQUIRE(page.at("wishes").size() == 1);
    const auto& w = page.at("wishes")[0];
    CHECK(w.at("status") == "fulfilled");
    CHECK(w.at("requester") == "赵**");
    CHECK(w.at("received_fen") == 8800);
    CHECK(w.at("spending").size() == 1);
    CHECK(page.dump().find("13900000000") == std::string::npos);
    CHECK(page.dump().find("赵小明") == std::string::npos);
  }
  SECTION("a donor's own gift: public fields only, the entries, the receipt") {
    auto gift = get_json(*port, "/api/gift/" + books.paid_reference);
    CHECK(gift.at("status") == "paid");
    CHECK(gift.at("amount_fen") == 12345);
    CHECK(gift.at("public_name") == "张**");
    CHECK(gift.at("receipt").at("number").get<std::string>().ends_with("-000001"));
    REQUIRE(gift.at("entries").size() == 2);
    CHECK(gift.at("entries")[0].at("kind") == "pledge");
    CHECK(gift.at("entries")[1].at("kind") == "payment");
    auto text = gift.dump();
    CHECK(text.find("张三丰") == std::string::npos);
    CHECK(text.find("13800000000") == std::string::npos);
    CHECK(text.find("私下的话") == std::string::npos);

    auto unpaid = get_json(*port, "/api/gift/" + books.pledged_reference);
    CHECK(unpaid.at("status") == "pledged");
    CHECK(unpaid.at("receipt").is_null());
    auto to_wish = get_json(*port, "/api/gift/" + books.wish_reference);
    CHECK(to_wish.at("kind") == "wish_gift");
    CHECK(to_wish.at("wish").at("status") == "fulfilled");
    CHECK(to_wish.at("wish").at("spending")[0].at("payee") == "柯桥文具店");

    CHECK(get_json(*port, "/api/gift/ZZZZZZZZ", 404).at("error") == "gift_not_found");
    CHECK(get_json(*port, "/api/gift/abc", 400).at("error") == "reference_invalid");
    CHECK(get_json(*port, "/api/gift/", 400).at("error") == "reference_invalid");
  }
  SECTION("serve signs the head by itself, and the key is published") {
    // Answers may be a second old (the routes keep them that long): wait until both tell.
    json summary, checkpoints;
    for (int tries = 0; tries < 600; ++tries) {
      summary = get_json(*port, "/api/ledger/summary");
      checkpoints = get_json(*port, "/api/ledger/checkpoints").at("checkpoints");
      if (!checkpoints.empty() && !summary.at("checkpoint").is_null()) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(checkpoints.size() == 1);
    CHECK(checkpoints[0].at("seq") == summary.at("head").at("seq"));
    CHECK(checkpoints[0].at("head_hash") == summary.at("head").at("hash"));
    auto key = get_json(*port, "/api/ledger/key");
    CHECK(checkpoints[0].at("key_id") == key.at("id"));
    CHECK(summary.at("checkpoint") == checkpoints[0]);
  }
}

TEST_CASE("gift lookups are limited per address") {
  auto f = LedgerFixture::make("gift_limit");
  auto data = boai::test::temp_dir("gift_limit");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio",
                    "--limits", "gift_lookups_per_minute=8"},
                   {{"BOAI_DATABASE_URL", f.url}});
  auto port = boai.wait_for_port();
  REQUIRE(port);
  // A burst of a quarter of the minute's allowance, then 429 until tokens come back.
  CHECK(http_get(*port, "/api/gift/ZZZZZZZZ").status == 404);
  CHECK(http_get(*port, "/api/gift/ZZZZZZZY").status == 404);
  auto limited = get_json(*port, "/api/gift/ZZZZZZZX", 429);
  CHECK(limited.at("error") == "rate_limited");
  // The rest of the books are not limited.
  get_json(*port, "/api/ledger/summary");
}
