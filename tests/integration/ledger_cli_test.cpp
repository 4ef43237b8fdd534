// The desk's commands through the real binary, against the private cluster of a data directory.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "sql/connection.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::test;

namespace {

std::string field(const std::string& output, const std::string& name) {
  auto at = output.find(name + ": ");
  if (at == std::string::npos) {
    return "";
  }
  auto end = output.find('\n', at);
  return output.substr(at + name.size() + 2, end - at - name.size() - 2);
}

}  // namespace

TEST_CASE("the desk records a campaign, pledges, payments and spending, then verifies") {
  auto data = temp_dir("desk");
  auto url = fresh_database("desk");
  std::vector<std::string> db = {"--database-url", url};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), db.begin(), db.end());
    return run_boai(args);
  };
  REQUIRE(run({"fund", "add", "aed", "--name", "AED 基金"}).exit_code == 0);
  auto c = run({"campaign", "add", "firstaid", "--title", "急救知识直播课",  //
                "--goal", "50000", "--also-fund", "aed", "--live"});
  INFO(c.output);
  REQUIRE(c.exit_code == 0);
  CHECK(c.output.find("¥50,000.00") != std::string::npos);

  auto p = run({"pledge", "add", "--campaign", "firstaid", "--amount", "¥100.50",  //
                "--name", "张三", "--idempotency-key", "desk-0001"});
  INFO(p.output);
  REQUIRE(p.exit_code == 0);
  auto reference = field(p.output, "reference");
  CHECK(reference.size() == 8);
  CHECK(field(p.output, "donor shown as") == "张*");

  auto again = run({"pledge", "add", "--campaign", "firstaid", "--amount", "100.5", "--name",
                    "张三", "--idempotency-key", "desk-0001"});
  CHECK(field(again.output, "reference") == reference);

  auto pay = run({"payment", "add", "--provider", "bank", "--txn", "BANK-1", "--amount", "100.50",
                  "--remark", "捐款 " + reference});
  INFO(pay.output);
  REQUIRE(pay.exit_code == 0);
  CHECK(field(pay.output, "status") == "paid");
  CHECK(field(pay.output, "receipt").ends_with("-000001"));

  REQUIRE(run({"expenditure", "add", "--fund", "aed", "--amount", "3000", "--purpose", "AED 设备",
               "--payee", "某医疗器械公司", "--approved-by", "王站长"})
              .exit_code == 0);
  auto verify = run({"ledger", "verify"});
  CHECK(verify.exit_code == 0);
  CHECK(verify.output.find("verified 3 entries") != std::string::npos);

  auto out = temp_dir("export");
  auto exp = run({"ledger", "export", "--public", "--out", out.string()});
  REQUIRE(exp.exit_code == 0);
  std::ifstream csv(out / "ledger.csv");
  std::stringstream text;
  text << csv.rdbuf();
  CHECK(text.str().find("张*") != std::string::npos);
  CHECK(text.str().find("张三") == std::string::npos);

  // Tamper as the owner, bypassing the guard: verify names the entry and exits 1.
  auto conn = boai::sql::Connection::open(url);
  REQUIRE(conn->exec("SET session_replication_role = replica"));
  REQUIRE(conn->exec("UPDATE ledger_entries SET amount_fen = 1 WHERE seq = 2"));
  auto bad = run({"ledger", "verify"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("entry 2") != std::string::npos);
}

TEST_CASE("desk commands refuse bad input with a stable code") {
  auto url = fresh_database("deskbad");
  std::vector<std::string> db = {"--database-url", url};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.end(), db.begin(), db.end());
    return run_boai(args);
  };
  REQUIRE(run({"campaign", "add", "c1", "--title", "T", "--goal", "100", "--live"}).exit_code == 0);
  struct Case {
    std::vector<std::string> args;
    const char* expect;
  };
  for (const auto& c : std::vector<Case>{
           {{"pledge", "add", "--campaign", "c1", "--amount", "abc", "--idempotency-key",
             "k-000001"},
            "amount_invalid"},
           {{"pledge", "add", "--campaign", "c1", "--amount", "0", "--idempotency-key", "k-000001"},
            "amount_out_of_range"},
           {{"pledge", "add", "--campaign", "zz", "--amount", "5", "--idempotency-key", "k-000001"},
            "campaign_not_found"},
           {{"campaign", "add", "c1", "--title", "T", "--goal", "1"}, "campaign_exists"},
           {{"campaign", "add", "Bad Slug", "--title", "T", "--goal", "1"}, "slug_invalid"},
           {{"payment", "add", "--provider", "paypal", "--txn", "x", "--amount", "1"},
            "provider_invalid"},
           {{"refund", "add", "ZZZZZZZZ", "--amount", "1", "--reason", "x"}, "pledge_not_found"}}) {
    auto r = run(c.args);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(c.expect) != std::string::npos);
  }
  auto usage = run({"pledge", "add", "--campaign", "c1"});
  CHECK(usage.exit_code == 2);
  CHECK(usage.output.find("needs --amount") != std::string::npos);
}
