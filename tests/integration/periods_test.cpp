// Closing the books and the finance reports (issue #12), on a real PostgreSQL and a real boai: a
// period closes once and only after it ended; after the close nothing in it changes (a back-dated
// payment or expenditure, or an INSERT straight into the ledger, is refused with period_closed and
// writes nothing); a correction lands in the open period and in the next report; the report's
// figures add up on a known fixture, and its CSV opens in Excel.
#include "donations/periods.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "donations/corrections.hpp"
#include "donations/payments.hpp"
#include "donations/pledges.hpp"
#include "donations/reports.hpp"
#include "sql/params.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::donations;
using namespace boai::test;
using boai::sql::params;
using nlohmann::json;

namespace {

constexpr std::int64_t kDayUs = 86'400'000'000;

Period yesterday() {
  return day_of(day_of(now_us()).starts_us - 1);
}

std::string pledge_ref(LedgerFixture& f, const std::string& key, std::int64_t fen,
                       const std::string& channel = "live", const std::string& fund = "") {
  auto r = f.pledge(key, fen);
  r.channel = channel;
  r.fund = fund;
  r.contact = "1390000" + key.substr(key.size() - 4);
  auto batch = write_pledges(f.conn, {r}, PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  return batch->pledges[0]->reference;
}

Payment pay(LedgerFixture& f, const std::string& provider, const std::string& txn, std::int64_t fen,
            std::int64_t fee_fen, const std::string& reference) {
  PaymentRequest p;
  p.provider = provider;
  p.provider_txn_id = txn;
  p.amount = Money::from_fen(fen);
  p.fee = Money::from_fen(fee_fen);
  p.reference = reference;
  auto done = record_payment(f.conn, p);
  INFO((done ? "" : done.error().message));
  REQUIRE(done);
  return *done;
}

// Every period is refused before it ends: the current month and today.
void close_must_fail(LedgerFixture& f, const std::string& period, const std::string& code) {
  auto closed = close_period(f.conn, period, "李会计");
  REQUIRE_FALSE(closed);
  CHECK(closed.error().code == code);
}

const FigureRow* row(const Reconciliation& r, const std::string& group, const std::string& key) {
  for (const auto& x : r.rows) {
    if (x.group == group && x.key == key) {
      return &x;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a period closes once, only after it ended, and a closed month covers its days") {
  auto f = LedgerFixture::make("periods_close");
  auto now = now_us();
  close_must_fail(f, month_of(now).name, "period_not_ended");
  close_must_fail(f, day_of(now).name, "period_not_ended");
  close_must_fail(f, "2026-13", "period_invalid");
  close_must_fail(f, "2026-11-31", "period_invalid");

  auto day = yesterday();
  auto closed = close_period(f.conn, day.name, "李会计");
  REQUIRE(closed);
  CHECK(closed->closed_by == "李会计");
  CHECK(closed->period.starts_us == day.starts_us);
  close_must_fail(f, day.name, "period_closed");

  auto last_month = month_of(month_of(now).starts_us - 1);
  REQUIRE(close_period(f.conn, last_month.name, "赵会计"));
  close_must_fail(f, last_month.name, "period_closed");
  close_must_fail(f, day_of(last_month.starts_us).name, "period_closed");

  auto list = list_periods(f.conn);
  REQUIRE(list);
  REQUIRE(list->closed.size() == 2);
  for (const auto& p : list->closable) {
    CHECK(p.name != last_month.name);
    CHECK(p.name != day.name);
    CHECK(p.ends_us <= now_us());
  }
  CHECK(f.count("accounting_periods") == 2);
}

TEST_CASE("period close refuses changes: back-dated payments and expenditures write nothing") {
  auto f = LedgerFixture::make("periods_refuse");
  auto ref = pledge_ref(f, "periods-0001", 10'000);
  auto day = yesterday();
  REQUIRE(close_period(f.conn, day.name, "李会计"));
  auto entries = f.count("ledger_entries");
  auto payments = f.count("payments");
  auto spent = f.count("expenditures");
  auto inside = day.name + " 10:30";

  auto late = run_boai({"payment", "add", "--provider", "bank", "--txn", "bank-late-1", "--amount",
                        "100", "--reference", ref, "--paid-at", inside, "--database-url", f.url});
  INFO(late.output);
  CHECK(late.exit_code == 1);
  CHECK(late.output.find("period_closed: " + day.name +
                         " is closed: record a correction in an "
                         "open period") != std::string::npos);
  auto spend = run_boai({"expenditure", "add", "--fund", "aed", "--amount", "30", "--purpose",
                         "AED 电池", "--payee", "某医疗器械公司", "--approved-by", "王站长",
                         "--spent-at", day.name, "--database-url", f.url});
  INFO(spend.output);
  CHECK(spend.exit_code == 1);
  CHECK(spend.output.find("period_closed") != std::string::npos);
  CHECK(f.count("ledger_entries") == entries);
  CHECK(f.count("payments") == payments);
  CHECK(f.count("expenditures") == spent);

  // Today is open: the same payment dated today is booked.
  auto today =
      run_boai({"payment", "add", "--provider", "bank", "--txn", "bank-late-1", "--amount", "100",
                "--reference", ref, "--paid-at", day_of(now_us()).name, "--database-url", f.url});
  INFO(today.output);
  CHECK(today.exit_code == 0);
  CHECK(f.count("ledger_entries") == entries + 1);
  auto bad = run_boai({"payment", "add", "--provider", "bank", "--txn", "bank-late-2", "--amount",
                       "1", "--paid-at", "yesterday", "--database-url", f.url});
  CHECK(bad.exit_code == 1);
  CHECK(bad.output.find("date_invalid") != std::string::npos);
}

TEST_CASE("the database itself refuses a ledger entry inside a closed period") {
  auto f = LedgerFixture::make("periods_trigger");
  auto day = yesterday();
  REQUIRE(close_period(f.conn, day.name, "李会计"));
  auto forged = f.conn.exec(
      "INSERT INTO ledger_entries (seq, kind, recorded_us, fund_id, amount_fen, public_name, "
      "reference, memo, prev_hash, entry_hash) VALUES (1, 'payment', $1, 1, 100, '', '', '', "
      "repeat('0', 64), repeat('1', 64))",
      params(day.starts_us + 3'600'000'000));
  REQUIRE_FALSE(forged);
  CHECK(forged.error().sqlstate == "BP001");
  CHECK(forged.error().code == "period_closed");
  CHECK(forged.error().message.find(day.name + " is closed") != std::string::npos);
  CHECK(f.count("ledger_entries") == 0);

  // Entries of the open day still go in, one batch as ever.
  auto batch = write_pledges(f.conn, {f.pledge("periods-0002", 500), f.pledge("periods-0003", 700)},
                             PledgeLimits{});
  REQUIRE(batch);
  CHECK(batch->pledges[1]);
  CHECK(f.count("ledger_entries") == 2);
}

TEST_CASE("a correction is booked in the open period and shows in the next report") {
  auto f = LedgerFixture::make("periods_correction");
  auto day = yesterday();
  REQUIRE(close_period(f.conn, day.name, "李会计"));
  auto from = day_of(now_us());

  auto cli = run_boai({"correction", "add", "--period", day.name, "--received", "-12.50", "--fund",
                       "general", "--campaign", "firstaid", "--reason", "重复录入的现金", "--by",
                       "李会计", "--database-url", f.url});
  INFO(cli.output);
  REQUIRE(cli.exit_code == 0);
  auto spent = record_correction(
      f.conn, {day.name, false, Money::from_fen(3000), "aed", "", "漏记的 AED 电池", "赵会计"});
  REQUIRE(spent);
  CHECK(spent->memo == "更正 " + day.name + ": 漏记的 AED 电池 (赵会计)");
  auto future = record_correction(
      f.conn, {month_of(now_us()).name, true, Money::from_fen(100), "general", "", "x", "赵会计"});
  REQUIRE_FALSE(future);
  CHECK(future.error().code == "period_not_ended");
  auto zero = record_correction(f.conn, {day.name, true, Money(), "general", "", "x", "赵会计"});
  REQUIRE_FALSE(zero);
  CHECK(zero.error().code == "amount_out_of_range");

  auto entries = f.conn.exec(
      "SELECT kind, amount_fen, memo, reference, recorded_us FROM ledger_entries ORDER BY seq");
  REQUIRE(entries);
  REQUIRE(entries->rows() == 2);
  CHECK(entries->text(0, 0) == "correction_received");
  CHECK(entries->int64(0, 1) == -1250);
  CHECK(entries->text(0, 2) == "更正 " + day.name + ": 重复录入的现金 (李会计)");
  CHECK(entries->text(0, 3) == day.name);
  CHECK(entries->int64(0, 4) >= day.ends_us);
  auto report = reconciliation(f.conn, *day_range(from.name, day_of(now_us()).name));
  REQUIRE(report);
  CHECK(report->totals.corrections_received == Money::from_fen(-1250));
  CHECK(report->totals.corrections_spent == Money::from_fen(3000));
  REQUIRE(row(*report, "campaign", "firstaid"));
  CHECK(row(*report, "campaign", "firstaid")->figures.corrections_received.fen() == -1250);
  // The closed day's own figures are what they were.
  auto closed = reconciliation(f.conn, day);
  REQUIRE(closed);
  CHECK(closed->totals.corrections_received.fen() == 0);
  auto verify = run_boai({"ledger", "verify", "--database-url", f.url});
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("the reconciliation adds up by fund, channel and campaign on a known fixture") {
  auto f = LedgerFixture::make("periods_report");
  auto first_day = day_of(now_us());
  auto a = pledge_ref(f, "periods-0011", 10'000, "live");
  auto b = pledge_ref(f, "periods-0012", 5'000, "desk", "aed");
  auto c = pledge_ref(f, "periods-0013", 3'000, "live");
  auto d = pledge_ref(f, "periods-0014", 20'000, "online");
  auto paid_a = pay(f, "wechat", "wx-0011", 10'000, 60, a);
  pay(f, "bank", "bank-0012", 2'000, 0, b);
  pay(f, "alipay", "ali-0014", 20'000, 120, d);
  pay(f, "cash", "cash-0099", 1'000, 0, "");
  REQUIRE(refund_pledge(f.conn, d, Money::from_fen(5'000), "捐多了"));
  REQUIRE(record_expenditure(
      f.conn, {"aed", "", Money::from_fen(8'000), "AED 电池", "某公司", "王站长", "INV-1"}));
  // A WeChat bill's line confirmed the WeChat payment (what statement import writes).
  REQUIRE(f.conn.exec(
      "INSERT INTO statement_lines (import_id, provider, txn_id, kind, line_no, occurred_at, "
      "amount_fen, outcome, match_method, payment_id) VALUES (1, 'wechat', 'wx-0011', 'payment', "
      "1, now(), 10000, 'matched', 'txn_id', $1)",
      params(paid_a.id)));

  auto r = reconciliation(f.conn, *day_range(first_day.name, day_of(now_us()).name));
  REQUIRE(r);
  const auto& t = r->totals;
  CHECK(t.pledged.fen() == 38'000);
  CHECK(t.pledges == 4);
  CHECK(t.paid.fen() == 33'000);
  CHECK(t.payments == 4);
  CHECK(t.settled.fen() == 10'000);
  CHECK(t.fees.fen() == 180);
  CHECK(t.refunded.fen() == 5'000);
  CHECK(t.spent.fen() == 8'000);
  CHECK(t.outstanding.fen() == 6'000);  // b owes 30, c owes 30
  CHECK(t.cancelled.fen() == 0);

  for (const char* group : {"fund", "channel", "campaign"}) {
    std::int64_t pledged = 0, paid = 0, fees = 0, outstanding = 0, spent = 0;
    for (const auto& x : r->rows) {
      if (x.group == group) {
        pledged += x.figures.pledged.fen();
        paid += x.figures.paid.fen();
        fees += x.figures.fees.fen();
        outstanding += x.figures.outstanding.fen();
        spent += x.figures.spent.fen();
      }
    }
    INFO(group);
    CHECK(pledged == t.pledged.fen());
    CHECK(paid == t.paid.fen());
    CHECK(fees == t.fees.fen());
    CHECK(outstanding == t.outstanding.fen());
    CHECK(spent == t.spent.fen());
  }
  REQUIRE(row(*r, "fund", "aed"));
  CHECK(row(*r, "fund", "aed")->name == "AED 基金");
  CHECK(row(*r, "fund", "aed")->figures.pledged.fen() == 5'000);
  CHECK(row(*r, "fund", "aed")->figures.spent.fen() == 8'000);
  CHECK(row(*r, "fund", "aed")->figures.outstanding.fen() == 3'000);
  REQUIRE(row(*r, "channel", "wechat"));
  CHECK(row(*r, "channel", "wechat")->figures.settled.fen() == 10'000);
  CHECK(row(*r, "channel", "wechat")->figures.fees.fen() == 60);
  CHECK(row(*r, "channel", "live")->figures.pledged.fen() == 13'000);
  CHECK(row(*r, "channel", "live")->figures.outstanding.fen() == 3'000);
  CHECK(row(*r, "channel", "online")->figures.refunded.fen() == 5'000);
  CHECK(row(*r, "channel", "cash")->figures.paid.fen() == 1'000);
  CHECK(row(*r, "campaign", "firstaid")->figures.pledged.fen() == 38'000);
  REQUIRE(row(*r, "campaign", ""));  // money of no campaign: the unmatched cash, the spending
  CHECK(row(*r, "campaign", "")->figures.paid.fen() == 1'000);

  // A day before the fixture holds nothing, but what was owed at its end.
  auto before = reconciliation(f.conn, yesterday());
  REQUIRE(before);
  CHECK(before->totals.pledged.fen() == 0);
  CHECK(before->totals.outstanding.fen() == 0);

  auto out = closeout(f.conn, "firstaid");
  REQUIRE(out);
  CHECK(out->pledges == 2);  // a and c were made on air
  CHECK(out->pledged.fen() == 13'000);
  CHECK(out->arrived.fen() == 10'000);
  CHECK(out->outstanding_pledges == 1);
  CHECK(out->outstanding.fen() == 3'000);
  REQUIRE(out->owing.size() == 1);
  CHECK(out->owing[0].reference == c);
  CHECK(out->owing[0].donor_name == "张三");
  CHECK(out->owing[0].contact == "13900000013");
  CHECK(closeout(f.conn, "nowhere").error().code == "campaign_not_found");
}

namespace {

std::string cookie_of(const HttpReply& reply) {
  auto set = reply.headers.count("set-cookie") ? reply.headers.at("set-cookie") : "";
  return set.substr(0, set.find(';'));
}

std::string sign_in(int port, const std::string& name, const std::string& password) {
  auto reply =
      http_request(port, "POST", "/api/login", json{{"name", name}, {"password", password}}.dump(),
                   {{"Content-Type", "application/json"}});
  REQUIRE(reply.status == 200);
  return cookie_of(reply);
}

}  // namespace

TEST_CASE("the desk closes, corrects and downloads reports over HTTP, finance staff only") {
  auto f = LedgerFixture::make("periods_http");
  for (auto [name, role] : {std::pair{"李会计", "finance"}, std::pair{"王主播", "host"}}) {
    REQUIRE(run_boai({"user", "add", name, "--role", role, "--database-url", f.url}, {}, 60s,
                     "a long enough password\n")
                .exit_code == 0);
  }
  auto ref = pledge_ref(f, "periods-0021", 8'800, "live");
  pay(f, "wechat", "wx-0021", 3'000, 18, ref);
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--no-studio", "--data-dir",
                    temp_dir("periods").string(), "--database-url", f.url});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  auto finance = sign_in(*port, "李会计", "a long enough password");
  auto host = sign_in(*port, "王主播", "a long enough password");
  auto today = day_of(now_us()).name;
  auto csv_path = "/api/finance/reports/reconciliation?period=" + today + "&format=csv";

  CHECK(http_get(*port, csv_path).status == 401);
  CHECK(http_request(*port, "GET", csv_path, "", {{"Cookie", host}}).status == 403);
  auto csv = http_request(*port, "GET", csv_path, "", {{"Cookie", finance}});
  REQUIRE(csv.status == 200);
  CHECK(csv.headers["content-type"] == "text/csv; charset=utf-8");
  CHECK(csv.headers["content-disposition"] ==
        "attachment; filename=\"reconciliation-" + today + ".csv\"");
  CHECK(csv.body.starts_with("\xEF\xBB\xBF分组,代码,名称,认捐(元)"));
  CHECK(csv.body.find("\r\n基金,general,博爱救助金,88.00,1,0.00,30.00,1,0.00,0.18,0.00,0.00,"
                      "0.00,0.00,58.00\r\n") != std::string::npos);
  CHECK(csv.body.find("\r\n渠道,wechat,wechat,0.00,0,0.00,30.00,1,") != std::string::npos);
  CHECK(csv.body.find("\r\n合计," + today + ",,88.00,1,") != std::string::npos);

  auto json_report = http_request(
      *port, "GET", "/api/finance/reports/reconciliation?from=" + today + "&to=" + today, "",
      {{"Cookie", finance}});
  REQUIRE(json_report.status == 200);
  auto report = json::parse(json_report.body);
  CHECK(report["totals"]["paid_fen"] == 3'000);
  CHECK(report["totals"]["outstanding_fen"] == 5'800);
  auto bad = http_request(*port, "GET", "/api/finance/reports/reconciliation?period=2026-13", "",
                          {{"Cookie", finance}});
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body)["error"] == "period_invalid");

  auto closeout_csv =
      http_request(*port, "GET", "/api/finance/reports/closeout?campaign=firstaid&format=csv", "",
                   {{"Cookie", finance}});
  REQUIRE(closeout_csv.status == 200);
  CHECK(closeout_csv.body.starts_with("\xEF\xBB\xBF项目,笔数,金额(元)\r\n直播认捐,1,88.00\r\n"));
  CHECK(
      closeout_csv.body.find("\r\n" + ref + ",88.00,30.00,58.00,part_paid,张三,13900000021\r\n") !=
      std::string::npos);
  CHECK(http_request(*port, "GET", "/api/finance/reports/closeout?campaign=nowhere", "",
                     {{"Cookie", finance}})
            .status == 404);

  auto day = yesterday().name;
  auto close = [&](const std::string& period) {
    return http_request(*port, "POST", "/api/finance/periods/close",
                        json{{"period", period}}.dump(), {{"Cookie", finance}});
  };
  CHECK(http_request(*port, "POST", "/api/finance/periods/close", json{{"period", day}}.dump(),
                     {{"Cookie", host}})
            .status == 403);
  auto not_ended = close(today);
  CHECK(not_ended.status == 409);
  CHECK(json::parse(not_ended.body)["error"] == "period_not_ended");
  auto closed = close(day);
  REQUIRE(closed.status == 200);
  CHECK(json::parse(closed.body)["closed"]["closed_by"] == "李会计");
  auto twice = close(day);
  CHECK(twice.status == 409);
  CHECK(json::parse(twice.body)["error"] == "period_closed");
  auto listed = json::parse(
      http_request(*port, "GET", "/api/finance/periods", "", {{"Cookie", finance}}).body);
  REQUIRE(listed["closed"].size() == 1);
  CHECK(listed["closed"][0]["period"] == day);

  auto corrected = http_request(*port, "POST", "/api/finance/corrections",
                                json{{"period", day},
                                     {"kind", "received"},
                                     {"amount_fen", 500},
                                     {"fund", "general"},
                                     {"reason", "漏记的现金"}}
                                    .dump(),
                                {{"Cookie", finance}});
  INFO(corrected.body);
  REQUIRE(corrected.status == 201);
  CHECK(json::parse(corrected.body)["correction"]["memo"] ==
        "更正 " + day + ": 漏记的现金 (李会计)");
  auto after =
      json::parse(http_request(*port, "GET", "/api/finance/reports/reconciliation?period=" + today,
                               "", {{"Cookie", finance}})
                      .body);
  CHECK(after["totals"]["corrections_received_fen"] == 500);
}
