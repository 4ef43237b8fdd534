// The public export checked from outside: a Node.js script with nothing of boai's recomputes the
// head and the totals from ledger.csv and ledger.json alone, as docs/LEDGER.md says anyone can.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "donations/ledger_verify.hpp"
#include "donations/payments.hpp"
#include "donations/pledges.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::donations;
using boai::test::LedgerFixture;

namespace {

struct ScriptRun {
  int exit_code = -1;
  std::string output;
};

// node tests/integration/recompute_ledger_head.mjs DIR (the paths are our own: no quoting needed)
ScriptRun recompute_head(const std::filesystem::path& dir) {
  std::string command = std::string("'") + BOAI_NODE + "' '" + BOAI_SOURCE_DIR +
                        "/tests/integration/recompute_ledger_head.mjs' '" + dir.string() + "' 2>&1";
  ScriptRun run;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    run.output.append(buffer, n);
  }
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

Pledge must_pledge(LedgerFixture& f, const PledgeRequest& r) {
  auto batch = write_pledges(f.conn, {r}, PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  return *batch->pledges[0];
}

// Every kind of entry, with texts that CSV must quote and the encoding must escape.
void write_awkward_ledger(LedgerFixture& f) {
  auto p1 = must_pledge(f, f.pledge("public-key-1", 12345, "张三丰"));
  must_pledge(f, f.pledge("public-key-2", 2000, "\\backslash, \"quoted\""));
  auto p3 = must_pledge(f, f.pledge("public-key-3", 3000, "王五"));
  auto anonymous = f.pledge("public-key-4", 4000, "李四");
  anonymous.anonymous = true;
  anonymous.fund = "aed";
  must_pledge(f, anonymous);
  PaymentRequest pay;
  pay.provider = "bank";
  pay.provider_txn_id = "BANK-1";
  pay.amount = Money::from_fen(12345);
  pay.fee = Money::from_fen(45);
  pay.reference = p1.reference;
  pay.raw_notice = "entered at the desk";
  REQUIRE(record_payment(f.conn, pay));
  pay.provider_txn_id = "BANK-2";  // unmatched: the general fund, no campaign
  pay.reference.clear();
  pay.amount = Money::from_fen(500);
  REQUIRE(record_payment(f.conn, pay));
  REQUIRE(refund_pledge(f.conn, p1.reference, Money::from_fen(2345),
                        "重复付款, \"第二笔\"\n第二行\r\nand a \\ backslash"));
  REQUIRE(cancel_pledge(f.conn, p3.reference));
  REQUIRE(record_expenditure(f.conn, {"aed", "", Money::from_fen(3000), "AED 设备,\n二期",
                                      "某医疗器械公司 \"AED\"", "王站长", "INV-1,2\\3"}));
}

}  // namespace

TEST_CASE("anyone recomputes the head and the totals from the public export alone") {
  auto f = LedgerFixture::make("recompute");
  write_awkward_ledger(f);
  auto verified = verify_ledger(f.conn);
  REQUIRE(verified);
  REQUIRE(verified->ok());
  REQUIRE(verified->entries == 9);

  auto out = boai::test::temp_dir("recompute");
  auto exported = boai::test::run_boai(
      {"ledger", "export", "--public", "--out", out.string(), "--database-url", f.url});
  INFO(exported.output);
  REQUIRE(exported.exit_code == 0);
  auto script = recompute_head(out);
  INFO(script.output);
  CHECK(script.exit_code == 0);
  CHECK(script.output == "head 9 " + verified->head_hash + "\n");

  SECTION("an amount altered in the CSV") {
    auto csv = read_file(out / "ledger.csv");
    auto at = csv.find(",12345,123.45,");
    REQUIRE(at != std::string::npos);
    write_file(out / "ledger.csv", csv.replace(at, 14, ",12346,123.46,"));
    auto altered = recompute_head(out);
    CHECK(altered.exit_code == 1);
    CHECK(altered.output == "ledger.csv: entry 1 does not match its hash\n");
  }
  SECTION("a refund's reason altered in the JSON") {
    auto json = read_file(out / "ledger.json");
    auto at = json.find("第二行");
    REQUIRE(at != std::string::npos);
    write_file(out / "ledger.json", json.replace(at, std::string("第二行").size(), "第三行"));
    auto altered = recompute_head(out);
    CHECK(altered.exit_code == 1);
    CHECK(altered.output == "ledger.json: entry 7 does not match its hash\n");
  }
  SECTION("published totals that the entries do not sum to") {
    auto json = read_file(out / "ledger.json");
    auto at = json.find("\"spent_fen\": 3000");
    REQUIRE(at != std::string::npos);
    write_file(out / "ledger.json", json.replace(at, 17, "\"spent_fen\": 3001"));
    auto altered = recompute_head(out);
    CHECK(altered.exit_code == 1);
    CHECK(altered.output.find("spent_fen differs") != std::string::npos);
  }
}
