// GET /api/ledger/entries (issue #18): the public ledger in pages by keyset, through a real
// `boai serve`. The pages cover the ledger exactly once and carry each entry as the export does.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "donations/ledger_appender.hpp"
#include "donations/ledger_export.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::donations;
using boai::test::BoaiProcess;
using boai::test::get_json;
using boai::test::LedgerFixture;
using nlohmann::json;

namespace {

// n entries through the real appender, with text that needs escaping in JSON and CSV.
void append_entries(LedgerFixture& f, int n) {
  const char* memos[] = {"live", "引号\"和\\反斜杠", "two\nlines\tand a tab", "逗号, 中文", ""};
  REQUIRE(f.conn.exec("BEGIN"));
  auto ledger = LedgerAppender::lock(f.conn);
  REQUIRE(ledger);
  for (int k = 0; k < n; ++k) {
    LedgerEntry e;
    e.kind = k % 4 == 3 ? "expenditure" : "pledge";
    e.campaign_id = k % 6 == 5 ? std::optional<std::int64_t>() : f.campaign.id;
    e.fund_id = f.campaign.default_fund_id;
    if (e.kind == "pledge") {
      e.pledge_id = 5000 + k;
    } else {
      e.object_id = 9000 + k;
    }
    e.amount_fen = 100 + k * 37;
    e.public_name = k % 3 == 0 ? "爱心人士" : "张*";
    e.reference = "REF" + std::to_string(k);
    e.memo = memos[k % 5];
    ledger->append(e);
  }
  REQUIRE(ledger->finish());
  REQUIRE(f.conn.exec("COMMIT"));
}

}  // namespace

TEST_CASE("ledger pages by after_seq cover the ledger exactly once, as the export has it") {
  constexpr int kEntries = 523;
  auto f = LedgerFixture::make("ledger_pages");
  append_entries(f, kEntries);
  auto exported = export_public_ledger(f.conn);
  REQUIRE(exported);
  auto document = json::parse(exported->json);
  const auto& expected = document.at("entries");
  REQUIRE(expected.size() == kEntries);

  auto data = boai::test::temp_dir("ledger_pages");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio"},
                   {{"BOAI_DATABASE_URL", f.url}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);

  SECTION("pages of 7, then an empty page at the end") {
    json seen = json::array();
    std::int64_t after = 0;
    int pages = 0;
    for (;;) {
      auto page =
          get_json(*port, "/api/ledger/entries?after_seq=" + std::to_string(after) + "&limit=7");
      ++pages;
      REQUIRE(page.at("entries").size() <= 7);
      if (page.at("entries").empty()) {
        CHECK(page.at("next_after_seq") == after);
        break;
      }
      for (const auto& e : page.at("entries")) {
        seen.push_back(e);
      }
      CHECK(page.at("next_after_seq") == page.at("entries").back().at("seq"));
      after = page.at("next_after_seq").get<std::int64_t>();
      REQUIRE(pages <= kEntries);
    }
    CHECK(pages == (kEntries + 6) / 7 + 1);
    CHECK(seen == expected);
  }
  SECTION("the default page is 100 entries, the largest 500") {
    auto first = get_json(*port, "/api/ledger/entries");
    REQUIRE(first.at("entries").size() == 100);
    CHECK(first.at("entries").front() == expected.front());
    CHECK(first.at("next_after_seq") == 100);
    auto most = get_json(*port, "/api/ledger/entries?after_seq=10&limit=500");
    REQUIRE(most.at("entries").size() == 500);
    CHECK(most.at("entries").front() == expected.at(10));
    CHECK(most.at("entries").back() == expected.at(509));
    auto rest = get_json(*port, "/api/ledger/entries?limit=500&after_seq=510");
    CHECK(rest.at("entries").size() == kEntries - 510);
    CHECK(rest.at("next_after_seq") == kEntries);
  }
  SECTION("bad arguments get 400 bad_request and a sentence") {
    for (const char* query :
         {"after_seq=-1", "after_seq=abc", "after_seq=1e3", "after_seq=", "after_seq=+5",
          "after_seq=99999999999999999999", "limit=0", "limit=501", "limit=-3", "limit=ten",
          "limit=1.5", "limit=", "after_seq=5&limit=100000000000000000000"}) {
      auto reply = get_json(*port, std::string("/api/ledger/entries?") + query, 400);
      CHECK(reply.at("error") == "bad_request");
      CHECK(reply.at("message").get<std::string>().find("limit") != std::string::npos);
    }
  }
  SECTION("a full page is cached for good, the last one briefly, both with an ETag") {
    auto full = boai::test::http_get(*port, "/api/ledger/entries?after_seq=0&limit=500");
    REQUIRE(full.status == 200);
    CHECK(full.headers["cache-control"] == "public, max-age=31536000, immutable");
    auto again = boai::test::http_request(*port, "GET", "/api/ledger/entries?after_seq=0&limit=500",
                                          "", {{"If-None-Match", full.headers["etag"]}});
    CHECK(again.status == 304);
    auto last = boai::test::http_get(*port, "/api/ledger/entries?after_seq=500&limit=500");
    CHECK(last.headers["cache-control"] == "public, max-age=5");
    // "after" is the same as "after_seq".
    CHECK(get_json(*port, "/api/ledger/entries?after=510&limit=500").at("entries") ==
          get_json(*port, "/api/ledger/entries?after_seq=510&limit=500").at("entries"));
  }
}
