// /api/rooms with many campaigns (issue #18): one query for them all, and the same totals as
// reading each campaign's on its own.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "donations/catalog.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/test_cluster.hpp"
#include "web/room_store.hpp"

using namespace boai::donations;
using boai::test::BoaiProcess;
using boai::test::LedgerFixture;
using nlohmann::json;

namespace {

// Totals written straight into ledger_totals, different in every column, campaign and fund, so
// a sum of the wrong column or campaign shows; some campaigns have none at all.
void give_totals(LedgerFixture& f, const Campaign& c, std::int64_t k) {
  if (k % 5 == 4) {
    return;
  }
  for (const auto& fund_row : c.funds) {
    std::int64_t fund = fund_row.id;
    std::int64_t base = k * 1000 + fund * 7;
    REQUIRE(
        f.conn.exec("INSERT INTO ledger_totals (campaign_id, fund_id, pledged_fen, cancelled_fen, "
                    "received_fen, refunded_fen, spent_fen, pledge_count) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    boai::sql::params(c.id, fund, base * 100 + 1, base + 2, base * 50 + 3,
                                      base / 3 + 4, base * 20 + 5, k + fund)));
  }
}

}  // namespace

TEST_CASE("/api/rooms lists many campaigns, live first, drafts never, with their own totals") {
  auto f = LedgerFixture::make("rooms_list");
  std::vector<Campaign> campaigns = {f.campaign};
  for (int k = 1; k < 240; ++k) {
    std::string status = k % 3 == 0 ? "live" : (k % 3 == 1 ? "draft" : "closed");
    auto c = add_campaign(f.conn, {"c" + std::to_string(k),
                                   "活动 " + std::to_string(k),
                                   Money::from_yuan(1000 + k),
                                   k % 2 == 0 ? "general" : "aed",
                                   {"general", "aed"},
                                   status});
    REQUIRE(c);
    campaigns.push_back(*c);
  }
  for (std::size_t k = 0; k < campaigns.size(); ++k) {
    give_totals(f, campaigns[k], static_cast<std::int64_t>(k));
  }

  json expected_live = json::array(), expected_others = json::array();
  std::size_t drafts = 0;
  for (const auto& c : campaigns) {
    if (c.status == "draft") {
      ++drafts;  // not public before it opens
      continue;
    }
    auto totals = campaign_totals(f.conn, c.id);
    REQUIRE(totals);
    json room = {{"slug", c.slug},
                 {"title", c.title},
                 {"status", c.status},
                 {"goal_fen", c.goal.fen()},
                 {"totals", boai::web::totals_json(c, *totals)}};
    (c.status == "live" ? expected_live : expected_others).push_back(room);
  }
  for (const auto& r : expected_others) {
    expected_live.push_back(r);
  }

  auto data = boai::test::temp_dir("rooms_list");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string(), "--no-studio"},
                   {{"BOAI_DATABASE_URL", f.url}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  auto reply = boai::test::http_get(*port, "/api/rooms");
  REQUIRE(reply.status == 200);
  auto rooms = json::parse(reply.body);
  REQUIRE(drafts > 0);
  REQUIRE(rooms.size() == campaigns.size() - drafts);
  CHECK(rooms == expected_live);

  auto one = list_campaigns_with_totals(f.conn);
  REQUIRE(one);
  REQUIRE(one->size() == campaigns.size());
  for (std::size_t k = 0; k < campaigns.size(); ++k) {
    CHECK((*one)[k].campaign.slug == campaigns[k].slug);
    CHECK((*one)[k].totals == *campaign_totals(f.conn, campaigns[k].id));
  }
}
