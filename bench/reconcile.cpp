// bench/reconcile: `boai reconcile import` of a generated WeChat Pay bill against as many pledges
// (issue #12), its rows per second and boai's peak memory at two sizes, beside PostgreSQL's COPY
// of the same file's rows into a plain table (the floor), in the same run; then posting (one
// record_payment per line) on a sample, since a real desk posts after it matched.
//
//   reconcile [--rows 1000000] [--small 100000] [--post-sample 5000] [--database-url URL]
//             [--boai PATH] [--keep DIR]
// Without a URL it starts a private cluster in a temporary directory. It prints; it never
// asserts a time.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/embedded_postgres.hpp"
#include "donations/catalog.hpp"
#include "sql/connection.hpp"
#include "sql/migrations.hpp"
#include "tests/support/child_peak.hpp"
#include "tests/support/statement_files.hpp"

using namespace boai;
using Clock = std::chrono::steady_clock;

namespace {

struct Run {
  int exit_code = -1;
  double seconds = 0;
  double peak_mb = 0;
  std::string output;
};

Run run_boai(const std::vector<std::string>& args, const std::filesystem::path& log) {
  test::ChildSetup setup;
  setup.output = log;
  std::filesystem::remove(log);
  auto child = test::run_for_peak(args, setup);
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {child.exit_code, child.seconds, static_cast<double>(child.peak_kb) / 1024.0, text};
}

std::string reference(std::int64_t i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "R%07lld", static_cast<long long>(i));
  return buf;
}

// rows lines paying pledges first..first+rows-1, one a second from the given hour.
void write_bill(const std::filesystem::path& path, std::int64_t first, std::int64_t rows) {
  std::ofstream out(path, std::ios::binary);
  out << test::wechat_header();
  test::WechatSums sums;
  for (std::int64_t i = first; i < first + rows; ++i) {
    test::WechatRow r;
    r.txn_id = "42" + std::to_string(1'000'000'000 + i);
    r.out_trade_no = reference(i);
    r.amount_fen = 1000 + i % 9000;
    r.fee_e5 = r.amount_fen * 6;
    char time[32];
    std::snprintf(time, sizeof time, "2026-11-28 %02lld:%02lld:%02lld",
                  static_cast<long long>(i / 3600 % 24), static_cast<long long>(i / 60 % 60),
                  static_cast<long long>(i % 60));
    r.time = time;
    out << test::wechat_line(r);
    sums.add(r);
  }
  out << sums.summary();
}

// Pledges R0000000.. with the bill's amounts, by SQL: what matching reads of them.
bool make_pledges(sql::Connection& conn, std::int64_t campaign, std::int64_t fund, std::int64_t n) {
  return conn
      .exec(
          "INSERT INTO pledges (reference, campaign_id, fund_id, amount_fen, donor_name, "
          "channel, idempotency_key, request_digest, created_at) "
          "SELECT 'R' || lpad(i::text, 7, '0'), $1, $2, 1000 + i % 9000, '张三', 'live', "
          "'bench-' || i, '', now() - interval '1 hour' "
          "FROM generate_series(0, $3::bigint - 1) AS i",
          sql::params(campaign, fund, n))
      .has_value();
}

// The floor: the bill's rows (between header and summary) into a table of 27 text columns with
// COPY ... FROM STDIN (FORMAT csv), read from the file as psql's \copy would.
double copy_floor(sql::Connection& conn, const std::filesystem::path& bill, std::int64_t& rows) {
  std::string columns;
  for (int i = 0; i < 27; ++i) {
    columns += (i ? ", c" : "c") + std::to_string(i) + " text";
  }
  (void)conn.exec("DROP TABLE IF EXISTS bill_floor");
  (void)conn.exec("CREATE TABLE bill_floor (" + columns + ")");
  auto start = Clock::now();
  std::ifstream in(bill, std::ios::binary);
  std::string line, chunk;
  std::getline(in, line);  // the header
  (void)conn.copy_in_begin("COPY bill_floor FROM STDIN (FORMAT csv)");
  while (std::getline(in, line) && !line.starts_with("总交易单数")) {
    chunk += line;
    chunk += '\n';
    if (chunk.size() > 256 * 1024) {
      (void)conn.copy_in_put(chunk);
      chunk.clear();
    }
  }
  (void)conn.copy_in_put(chunk);
  auto copied = conn.copy_in_end();
  rows = copied ? *copied : -1;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t rows = 1'000'000, small = 100'000, sample = 5'000;
  std::string url, boai = BOAI_BINARY, keep;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string v = argv[i + 1];
    if (flag == "--rows") {
      rows = std::atoll(v.c_str());
    } else if (flag == "--small") {
      small = std::atoll(v.c_str());
    } else if (flag == "--post-sample") {
      sample = std::atoll(v.c_str());
    } else if (flag == "--database-url") {
      url = v;
    } else if (flag == "--boai") {
      boai = v;
    } else if (flag == "--keep") {
      keep = v;
    }
  }
  auto dir = keep.empty() ? std::filesystem::temp_directory_path() /
                                ("boai-reconcile-" + std::to_string(getpid()))
                          : std::filesystem::path(keep);
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::all);
  std::unique_ptr<app::EmbeddedPostgres> pg;
  if (url.empty()) {
    auto started = app::EmbeddedPostgres::start(dir / "data");
    if (!started) {
      std::fprintf(stderr, "reconcile: %s\n", started.error().message.c_str());
      return 1;
    }
    pg = std::move(*started);
    url = pg->conninfo();
  }
  auto conn = sql::Connection::open(url);
  auto known = sql::parse_migrations(sql::embedded_migrations());
  if (!conn || !known || !sql::migrate(*conn, *known)) {
    std::fprintf(stderr, "reconcile: cannot reach or migrate the database\n");
    return 1;
  }
  auto campaign = donations::add_campaign(
      *conn, {"bench", "Reconcile bench", donations::Money(), "general", {}, "live"});
  if (!campaign || !make_pledges(*conn, campaign->id, campaign->default_fund_id, rows + small)) {
    std::fprintf(stderr, "reconcile: cannot make the pledges\n");
    return 1;
  }
  (void)conn->exec("ANALYZE pledges");
  std::printf("reconcile: %s; %lld pledges; load average %s\n", boai.c_str(),
              static_cast<long long>(rows + small), load_average().c_str());
  write_bill(dir / "small.csv", rows, small);
  write_bill(dir / "bill.csv", 0, rows);
  auto size_mb = static_cast<double>(std::filesystem::file_size(dir / "bill.csv")) / 1048576.0;

  std::int64_t floor_rows = 0;
  double floor_s = copy_floor(*conn, dir / "bill.csv", floor_rows);
  auto import = [&](const std::string& file) {
    return run_boai(
        {boai, "reconcile", "import", "--provider", "wechat", "--no-post", "--wechatpay-mchid",
         test::kMchid, "--database-url", url, (dir / file).string()},
        dir / "import.log");
  };
  auto small_run = import("small.csv");
  auto big = import("bill.csv");
  if (big.exit_code != 0 || small_run.exit_code != 0) {
    std::fprintf(stderr, "reconcile: the import failed:\n%s%s", small_run.output.c_str(),
                 big.output.c_str());
    return 1;
  }
  auto post = run_boai(
      {boai, "reconcile", "post", "--limit", std::to_string(sample), "--database-url", url},
      dir / "post.log");
  std::printf("bill: %lld rows, %.0f MB\n", static_cast<long long>(rows), size_mb);
  std::printf("COPY of its rows into a plain table: %.2f s, %.0f rows/s (%lld rows)\n", floor_s,
              static_cast<double>(floor_rows) / floor_s, static_cast<long long>(floor_rows));
  std::printf(
      "boai reconcile import (parse, COPY, match, keep): %.2f s, %.0f rows/s, %.2f of "
      "COPY's; peak %.1f MB\n  %s",
      big.seconds, static_cast<double>(rows) / big.seconds,
      (static_cast<double>(rows) / big.seconds) / (static_cast<double>(floor_rows) / floor_s),
      big.peak_mb, big.output.c_str());
  std::printf("the same at %lld rows: %.2f s, %.0f rows/s; peak %.1f MB\n",
              static_cast<long long>(small), small_run.seconds,
              static_cast<double>(small) / small_run.seconds, small_run.peak_mb);
  std::printf(
      "boai reconcile post (record_payment a line) on %lld lines: %.2f s, %.0f lines/s; "
      "peak %.1f MB\n  %s",
      static_cast<long long>(sample), post.seconds, static_cast<double>(sample) / post.seconds,
      post.peak_mb, post.output.c_str());
  std::printf("load average after: %s\n", load_average().c_str());
  pg.reset();
  if (keep.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return 0;
}
