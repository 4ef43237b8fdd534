// bench/ledger_scale: `boai ledger export --public` and `boai ledger verify` (full, and from a
// checkpoint after more entries) on ledgers of growing size, with their time and peak memory,
// beside psql's \copy of the same table and sha256sum of the export, in the same run (issue #18).
//
//   ledger_scale [--sizes 100000,1000000] [--database-url URL] [--boai PATH] [--keep DIR]
//                [--appended 10000]
// The ledger grows through the real LedgerAppender (20,000 entries a transaction): one ledger,
// measured at each size. Without a URL it starts a private cluster in a temporary directory.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/embedded_postgres.hpp"
#include "donations/catalog.hpp"
#include "donations/ledger_appender.hpp"
#include "sql/connection.hpp"
#include "sql/migrations.hpp"
#include "tests/support/child_peak.hpp"

using namespace boai;
using Clock = std::chrono::steady_clock;

namespace {

struct Measured {
  int exit_code = -1;
  double seconds = 0;      // wall
  double cpu_seconds = 0;  // user + system, the child alone
  double peak_mb = 0;      // VmHWM at its exit (tests/support/child_peak.hpp)
};

// Runs argv to the end with its output in `log`, timed by the clock and by wait4's rusage, its
// peak read at its exit stop: ru_maxrss would count this process's forked copy before exec.
Measured measure(const std::vector<std::string>& args, const std::filesystem::path& log) {
  test::ChildSetup setup;
  setup.output = log;
  auto child = test::run_for_peak(args, setup);
  return {child.exit_code, child.seconds, child.cpu_seconds,
          static_cast<double>(child.peak_kb) / 1024.0};
}

// Entries through the real appender until the ledger has `target`, as pledges of the campaign
// without pledge rows (verify checks the chain and the totals, not the pledges).
bool grow_ledger(sql::Connection& conn, const donations::Campaign& campaign, std::int64_t target) {
  auto head = conn.exec("SELECT last_seq FROM ledger_head");
  if (!head) {
    return false;
  }
  for (std::int64_t seq = head->int64(0, 0); seq < target;) {
    if (!conn.exec("BEGIN")) {
      return false;
    }
    auto ledger = donations::LedgerAppender::lock(conn);
    if (!ledger) {
      return false;
    }
    for (int k = 0; k < 20'000 && seq < target; ++k, ++seq) {
      donations::LedgerEntry e;
      e.kind = "pledge";
      e.campaign_id = campaign.id;
      e.fund_id = campaign.default_fund_id;
      e.pledge_id = seq + 1;
      e.amount_fen = 1000 + seq % 5000;
      e.public_name = seq % 7 == 0 ? "爱心人士" : "张*";
      e.reference = "BK" + std::to_string(100000 + seq % 900000);
      e.memo = "live";
      ledger->append(e);
    }
    if (!ledger->finish() || !conn.exec("COMMIT")) {
      return false;
    }
  }
  return static_cast<bool>(conn.exec("VACUUM (ANALYZE) ledger_entries"));
}

std::string find_program(const std::string& name) {
  for (const char* dir : {"/usr/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin"}) {
    auto p = std::filesystem::path(dir) / name;
    if (std::filesystem::exists(p)) {
      return p.string();
    }
  }
  return name;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

std::vector<std::int64_t> parse_sizes(const char* text) {
  std::vector<std::int64_t> out;
  for (const char* p = text; p != nullptr && *p != '\0';) {
    out.push_back(std::atoll(p));
    p = std::strchr(p, ',');
    p = p != nullptr ? p + 1 : nullptr;
  }
  return out;
}

struct Row {
  std::int64_t entries = 0;
  double grow_s = 0;
  Measured copy, copy_sorted, exported, sha, verify, keep_checkpoint, from_checkpoint;
  double summary_ms = 0;
  double export_mb = 0;  // the two files
};

void print_rows(const std::vector<Row>& rows, std::int64_t appended) {
  std::printf(
      "\nexport (--public: verifies and writes ledger.csv and ledger.json) beside the floor\n"
      "%10s %8s %9s %9s %9s %7s %7s %9s %9s %11s\n",
      "entries", "grow s", "\\copy s", "sorted s", "export s", "xCOPY", "CPU s", "peak MB",
      "files MB", "sha256sum s");
  for (const auto& r : rows) {
    std::printf("%10lld %8.1f %9.2f %9.2f %9.2f %7.2f %7.2f %9.1f %9.0f %11.2f\n",
                static_cast<long long>(r.entries), r.grow_s, r.copy.seconds, r.copy_sorted.seconds,
                r.exported.seconds, r.exported.seconds / r.copy.seconds, r.exported.cpu_seconds,
                r.exported.peak_mb, r.export_mb, r.sha.seconds);
  }
  std::printf(
      "\nverify: full, and from the checkpoint the full one kept after %lld more entries; the\n"
      "summary reads the kept totals\n"
      "%10s %9s %7s %11s %9s %13s %9s %12s %9s %11s\n",
      static_cast<long long>(appended), "entries", "verify s", "xCOPY", "entries/s", "CPU s",
      "entries/CPU s", "peak MB", "from ckpt s", "peak MB", "summary ms");
  for (const auto& r : rows) {
    auto n = static_cast<double>(r.entries);
    std::printf("%10lld %9.2f %7.2f %11.0f %9.2f %13.0f %9.1f %12.3f %9.1f %11.3f\n",
                static_cast<long long>(r.entries), r.verify.seconds,
                r.verify.seconds / r.copy.seconds, n / r.verify.seconds, r.verify.cpu_seconds,
                n / r.verify.cpu_seconds, r.verify.peak_mb, r.from_checkpoint.seconds,
                r.from_checkpoint.peak_mb, r.summary_ms);
  }
}

// One size: the floors, export, sha256sum, verify, then more entries and verify from the
// checkpoint. Leaves the ledger `appended` entries longer.
Row measure_size(sql::Connection& conn, const donations::Campaign& campaign, const std::string& url,
                 const std::string& boai, std::int64_t entries, std::int64_t appended,
                 const std::filesystem::path& dir) {
  Row r;
  r.entries = entries;
  auto t0 = Clock::now();
  if (!grow_ledger(conn, campaign, entries)) {
    std::fprintf(stderr, "ledger_scale: could not grow the ledger\n");
    std::exit(1);
  }
  r.grow_s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (auto head = conn.exec("SELECT last_seq FROM ledger_head")) {
    r.entries = head->int64(0, 0);  // more than asked when a kept ledger was longer already
  }
  auto log = dir / "children.log";
  auto psql = find_program("psql");
  r.copy = measure({psql, "-X", "-q", url, "-c", "\\copy ledger_entries to /dev/null"}, log);
  r.copy_sorted = measure({psql, "-X", "-q", url, "-c",
                           "\\copy (SELECT * FROM ledger_entries ORDER BY seq) to /dev/null"},
                          log);
  auto out = dir / "export";
  r.exported =
      measure({boai, "ledger", "export", "--public", "--out", out, "--database-url", url}, log);
  r.export_mb = static_cast<double>(std::filesystem::file_size(out / "ledger.csv") +
                                    std::filesystem::file_size(out / "ledger.json")) /
                (1 << 20);
  r.sha = measure({find_program("sha256sum"), out / "ledger.csv", out / "ledger.json"}, log);
  r.verify = measure({boai, "ledger", "verify", "--database-url", url}, log);
  // The checkpoint: kept by a full verify, then the ledger grows, then verify starts from it.
  auto checkpoint = dir / "ledger.checkpoint";
  std::filesystem::remove(checkpoint);
  r.keep_checkpoint = measure(
      {boai, "ledger", "verify", "--from-checkpoint", checkpoint, "--database-url", url}, log);
  grow_ledger(conn, campaign, r.entries + appended);
  r.from_checkpoint = measure(
      {boai, "ledger", "verify", "--from-checkpoint", checkpoint, "--database-url", url}, log);
  auto s0 = Clock::now();
  (void)donations::campaign_totals(conn, campaign.id);
  r.summary_ms = std::chrono::duration<double, std::milli>(Clock::now() - s0).count();
  const std::pair<const char*, const Measured*> steps[] = {
      {"\\copy", &r.copy},
      {"sorted \\copy", &r.copy_sorted},
      {"export", &r.exported},
      {"sha256sum", &r.sha},
      {"verify", &r.verify},
      {"verify keeping a checkpoint", &r.keep_checkpoint},
      {"verify from it", &r.from_checkpoint}};
  for (const auto& [name, m] : steps) {
    if (m->exit_code != 0) {
      std::fprintf(stderr, "ledger_scale: %s failed at %lld entries; see %s\n", name,
                   static_cast<long long>(r.entries), log.c_str());
    }
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::int64_t> sizes = {100'000, 1'000'000};
  std::string url, boai = BOAI_BINARY, keep;
  std::int64_t appended = 10'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--sizes") {
      sizes = parse_sizes(argv[i + 1]);
    } else if (flag == "--database-url") {
      url = argv[i + 1];
    } else if (flag == "--boai") {
      boai = argv[i + 1];
    } else if (flag == "--keep") {
      keep = argv[i + 1];
    } else if (flag == "--appended") {
      appended = std::atoll(argv[i + 1]);
    }
  }
  auto dir = keep.empty() ? std::filesystem::temp_directory_path() /
                                ("boai-ledger-scale-" + std::to_string(getpid()))
                          : std::filesystem::path(keep);
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::all);
  std::unique_ptr<app::EmbeddedPostgres> pg;
  if (url.empty()) {
    auto started = app::EmbeddedPostgres::start(dir);
    if (!started) {
      std::fprintf(stderr, "ledger_scale: %s\n", started.error().message.c_str());
      return 1;
    }
    pg = std::move(*started);
    url = pg->conninfo();
  }
  auto conn = sql::Connection::open(url);
  auto known = sql::parse_migrations(sql::embedded_migrations());
  if (!conn || !known || !sql::migrate(*conn, *known)) {
    std::fprintf(stderr, "ledger_scale: cannot reach or migrate the database\n");
    return 1;
  }
  auto campaign = donations::find_campaign(*conn, "scale");
  if (!campaign) {
    campaign = donations::add_campaign(
        *conn, {"scale", "Ledger scale", donations::Money(), "general", {}, "live"});
  }
  if (!campaign) {
    return 1;
  }
  std::printf("ledger_scale: %s; load average %s\n", boai.c_str(), load_average().c_str());
  std::vector<Row> rows;
  for (auto n : sizes) {
    rows.push_back(measure_size(*conn, *campaign, url, boai, n, appended, dir));
    std::printf("measured %lld entries; load average %s\n", static_cast<long long>(n),
                load_average().c_str());
    std::fflush(stdout);
  }
  print_rows(rows, appended);
  std::printf("load average after: %s\n", load_average().c_str());
  pg.reset();
  if (keep.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return 0;
}
