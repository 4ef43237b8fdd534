// Bank statements and the command line: a reference found in a remark, candidates by name, the
// same transfers twice adding nothing; and a large bill imported by `boai reconcile import` in
// memory that does not grow with the file.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "statements/bank_profiles.hpp"
#include "statements/exception_queue.hpp"
#include "tests/integration/statements_support.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/child_peak.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::test;
using boai::sql::params;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

std::string bank_csv(const std::string& ref_a, const std::string& when) {
  return "账户明细\n交易时间,收入金额,支出金额,对方户名,附言\n" + when + ",100.00,,张三,捐款 " +
         ref_a + "\n" + when + ",66.00,,李四,爱心捐款\n" + when + ",,30.00,某超市,采购\n";
}

// A WeChat bill of n rows written to path row by row, every row a stranger's payment.
void write_bill(const std::filesystem::path& path, int n, int first_txn) {
  std::ofstream out(path, std::ios::binary);
  out << wechat_header();
  WechatSums sums;
  for (int i = 0; i < n; ++i) {
    auto row = wechat_paid("42" + std::to_string(first_txn + i), "NOTOURS" + std::to_string(i),
                           100 + i % 5000);
    out << wechat_line(row);
    sums.add(row);
  }
  out << sums.summary();
}

struct Peak {
  int exit_code = -1;
  long peak_mb = -1;
  std::string output;
};

Peak import_child(const std::string& url, const std::filesystem::path& file) {
  ChildSetup setup;
  setup.output = temp_dir("stmt-child") / "output";
  setup.timeout = std::chrono::minutes(4);
  if (kAddressSanitizer) {
    std::string asan = "ASAN_OPTIONS=quarantine_size_mb=16:";
    if (const char* given = std::getenv("ASAN_OPTIONS")) {
      asan += given;
    }
    setup.extra_env.push_back(asan + ":detect_leaks=0");
  }
  auto child =
      run_for_peak({BOAI_BINARY, "reconcile", "import", "--provider", "wechat", "--no-post",
                    "--wechatpay-mchid", kMchid, "--database-url", url, file.string()},
                   setup);
  std::ifstream in(setup.output);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Peak{child.exit_code, child.peak_kb / 1024, text};
}

}  // namespace

TEST_CASE("a bank statement is matched by the reference in its remark, and by name proposed") {
  auto f = LedgerFixture::make("stmt-bank");
  auto a = must_pledge(f, "bank-a", 10000);
  auto lisi = must_pledge(f, "bank-lisi", 6600, "李四");
  auto other = must_pledge(f, "bank-other", 6600, "赵六");
  auto saved = run_boai({"reconcile", "bank-profile", "icbc", "--date", "交易时间", "--amount",
                         "收入金额", "--counterparty", "对方户名", "--remark", "附言",
                         "--skip-lines", "1", "--database-url", f.url});
  INFO(saved.output);
  REQUIRE(saved.exit_code == 0);
  std::string lower = a.reference;
  for (auto& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto csv = bank_csv(lower, local_time(0));
  auto r = must_import(f, "bank", csv, true, "icbc");
  CHECK(r.rows_read == 3);
  CHECK(r.matched == 1);
  CHECK(r.exceptions == 1);
  CHECK(r.skipped == 1);  // the money paid out
  CHECK(boai::donations::find_pledge(f.conn, a.reference)->status == "paid");
  auto queue = boai::statements::list_exceptions(f.conn, "payment_without_pledge");
  REQUIRE(queue);
  REQUIRE(queue->size() == 1);
  // The same name scores above another donor of the same amount.
  CHECK(queue->front().candidates == lisi.reference + " 1000, " + other.reference + " 700");

  auto again = must_import(f, "bank", csv, true, "icbc");
  CHECK(again.rows_read == 3);
  CHECK(again.skipped == 3);
  CHECK(f.count("payments") == 2);

  auto missing = import_text(f, "bank", csv, true, "abc");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == "bank_profile_not_found");

  // The command line: the list, the overdue list, and a refused file.
  auto listed = run_boai({"reconcile", "exceptions", "--database-url", f.url});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.output.find("payment_without_pledge") != std::string::npos);
  CHECK(listed.output.find(lisi.reference + " 1000") != std::string::npos);
  auto overdue = run_boai({"reconcile", "overdue", "--database-url", f.url});
  CHECK(overdue.exit_code == 0);
  auto file = temp_dir("stmt-cli") / "bad.csv";
  std::ofstream(file) << wechat_header() << "`x\r\n";
  auto refused = run_boai({"reconcile", "import", "--provider", "wechat", "--wechatpay-mchid",
                           kMchid, "--database-url", f.url, file.string()});
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.find("boai: columns_missing: line 2: ") != std::string::npos);
}

TEST_CASE("a large bill is imported by boai in memory that does not grow with the file") {
  auto f = LedgerFixture::make("stmt-large");
  auto dir = temp_dir("stmt-large");
  write_bill(dir / "small.csv", 20'000, 100'000'000);
  write_bill(dir / "large.csv", 200'000, 200'000'000);
  auto small = import_child(f.url, dir / "small.csv");
  INFO(small.output);
  REQUIRE(small.exit_code == 0);
  auto large = import_child(f.url, dir / "large.csv");
  INFO(large.output);
  REQUIRE(large.exit_code == 0);
  CHECK(large.output.find("200000 rows read") != std::string::npos);
  CHECK(f.count("statement_lines") == 220'000);
  // Ten times the rows, the same memory: a few MB of slack for the allocator and the sanitizer.
  INFO("peak " << small.peak_mb << " MB for 20,000 rows, " << large.peak_mb << " MB for 200,000");
  CHECK(large.peak_mb > 0);
  CHECK(large.peak_mb <= small.peak_mb + (kAddressSanitizer ? 24 : 8));
}
