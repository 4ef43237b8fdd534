// The ledger at size (issue #18): export and verify of a ledger larger than the memory they are
// given, in a child process under that limit; and verify from a checkpoint after entries were
// appended, which reads only what came after it.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "donations/ledger_appender.hpp"
#include "donations/ledger_checkpoint.hpp"
#include "donations/ledger_verify.hpp"
#include "donations/pledges.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/child_peak.hpp"
#include "tests/support/ledger_fixture.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::donations;
using boai::test::LedgerFixture;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

// What boai may use: its address space (ulimit -v) is its own size at rest (under 50 MB with
// --database-url) and a little more; what it holds at its peak, under 64 MB whatever the ledger.
// AddressSanitizer reserves terabytes of address space and keeps freed memory in quarantine, so
// there only the peak is held to a bound, a looser one, with the quarantine kept small.
constexpr long kAddressSpaceMb = 96;
constexpr long kPeakMb = kAddressSanitizer ? 160 : 64;

struct LimitedRun {
  int exit_code = -1;
  std::string output;
  long peak_mb = -1;  // VmHWM of boai's own memory, read as it exits
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// boai with args, its address space limited (ulimit -v) unless under AddressSanitizer; waits
// for it to exit, at most two minutes. Its peak is read at its exit stop (child_peak.hpp).
LimitedRun run_boai_limited(const std::vector<std::string>& args) {
  boai::test::ChildSetup setup;
  setup.output = boai::test::temp_dir("limited") / "output";
  setup.timeout = std::chrono::minutes(2);
  if (kAddressSanitizer) {
    // LeakSanitizer stops the world with ptrace, which a traced process cannot.
    std::string asan = "ASAN_OPTIONS=quarantine_size_mb=16:";
    if (const char* given = std::getenv("ASAN_OPTIONS")) {
      asan += given;
    }
    setup.extra_env.push_back(asan + ":detect_leaks=0");
  } else {
    setup.address_space_mb = kAddressSpaceMb;
  }
  std::vector<std::string> argv = {BOAI_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto child = boai::test::run_for_peak(argv, setup);
  LimitedRun run;
  run.exit_code = child.exit_code;
  run.output = read_file(setup.output);
  run.peak_mb = child.peak_kb < 0 ? -1 : child.peak_kb / 1024;
  return run;
}

// n entries through the real LedgerAppender, `per_transaction` a transaction, as pledges of the
// fixture's campaign without pledge rows (the chain and the totals do not look at them): a
// ledger as long as a test needs in seconds, which verify accepts.
void append_entries(LedgerFixture& f, std::int64_t n, std::int64_t per_transaction = 10'000) {
  for (std::int64_t done = 0; done < n;) {
    REQUIRE(f.conn.exec("BEGIN"));
    auto ledger = LedgerAppender::lock(f.conn);
    REQUIRE(ledger);
    for (std::int64_t k = 0; k < per_transaction && done < n; ++k, ++done) {
      LedgerEntry e;
      e.kind = "pledge";
      e.campaign_id = f.campaign.id;
      e.fund_id = f.campaign.default_fund_id;
      e.pledge_id = 1'000'000'000 + done;
      e.amount_fen = 1000 + done % 5000;
      e.public_name = done % 7 == 0 ? "爱心人士" : "张*";
      e.reference = "BULK" + std::to_string(1000 + done % 9000);
      e.memo = "live";
      ledger->append(e);
    }
    REQUIRE(ledger->finish());
    REQUIRE(f.conn.exec("COMMIT"));
  }
}

std::int64_t lines_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::int64_t lines = 0;
  for (std::string line; std::getline(in, line);) {
    ++lines;
  }
  return lines;
}

}  // namespace

TEST_CASE("export and verify stream a ledger larger than the memory they are given") {
  constexpr std::int64_t kEntries = 150'000;
  auto f = LedgerFixture::make("scale");
  append_entries(f, kEntries);
  auto expected = verify_ledger(f.conn);
  REQUIRE(expected);
  REQUIRE(expected->ok());

  auto verified = run_boai_limited({"ledger", "verify", "--database-url", f.url});
  INFO(verified.output);
  CHECK(verified.exit_code == 0);
  CHECK(verified.output.find("verified 150000 entries; head " + expected->head_hash) !=
        std::string::npos);
  CHECK(verified.peak_mb > 0);
  CHECK(verified.peak_mb < kPeakMb);

  auto out = boai::test::temp_dir("scale-export");
  auto exported = run_boai_limited(
      {"ledger", "export", "--public", "--out", out.string(), "--database-url", f.url});
  INFO(exported.output);
  CHECK(exported.exit_code == 0);
  CHECK(exported.peak_mb > 0);
  CHECK(exported.peak_mb < kPeakMb);
  auto written = std::filesystem::file_size(out / "ledger.csv") +
                 std::filesystem::file_size(out / "ledger.json");
  CHECK(written > static_cast<std::uintmax_t>(kAddressSpaceMb << 20));  // larger than allowed
  CHECK(lines_of(out / "ledger.csv") == kEntries + 1);
  auto json = read_file(out / "ledger.json");
  CHECK(json.find("\"hash\": \"" + expected->head_hash + "\",\n    \"seq\": 150000") !=
        std::string::npos);
  CHECK(json.ends_with("\"verified\": true\n}\n"));
}

TEST_CASE("verify from a checkpoint reads only what was appended after it") {
  auto f = LedgerFixture::make("checkpoint");
  append_entries(f, 1000, 400);
  auto file = boai::test::temp_dir("checkpoint") / "ledger.checkpoint";
  auto verify = [&] {
    return boai::test::run_boai(
        {"ledger", "verify", "--from-checkpoint", file.string(), "--database-url", f.url});
  };
  auto first = verify();
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.find("no checkpoint in " + file.string()) != std::string::npos);
  CHECK(first.output.find("verified 1000 entries") != std::string::npos);
  auto kept = load_checkpoint(file);
  REQUIRE(kept);
  REQUIRE(*kept);
  CHECK((*kept)->seq == 1000);

  append_entries(f, 400);
  auto pledged = write_pledges(f.conn, {f.pledge("checkpoint-key-1", 2500)}, PledgeLimits{});
  REQUIRE(pledged);
  REQUIRE(pledged->pledges[0]);
  auto second = verify();
  INFO(second.output);
  REQUIRE(second.exit_code == 0);
  CHECK(second.output.find("verified 1401 entries (401 new since the checkpoint at entry 1000)") !=
        std::string::npos);
  auto full = verify_ledger(f.conn);
  REQUIRE(full);
  REQUIRE(full->ok());
  auto moved = load_checkpoint(file);
  REQUIRE(moved);
  CHECK((*moved)->seq == 1401);
  CHECK((*moved)->hash == full->head_hash);
  CHECK((*moved)->sums == full->reached.sums);

  REQUIRE(f.conn.exec("SET session_replication_role = replica"));  // the owner, tampering
  SECTION("an entry before the checkpoint is not read again; a full verify finds it") {
    REQUIRE(f.conn.exec("UPDATE ledger_entries SET amount_fen = 1 WHERE seq = 10"));
    CHECK(verify().exit_code == 0);
    CHECK(verify_ledger(f.conn)->first_bad_seq == 10);
  }
  SECTION("an entry after the checkpoint is caught, and the checkpoint stays") {
    append_entries(f, 20);
    REQUIRE(f.conn.exec("UPDATE ledger_entries SET amount_fen = 1 WHERE seq = 1410"));
    auto bad = verify();
    CHECK(bad.exit_code == 1);
    CHECK(bad.output.find("entry 1410: its content does not match its hash") != std::string::npos);
    CHECK((*load_checkpoint(file))->seq == 1401);
  }
  SECTION("history rewritten up to the checkpoint is caught at the checkpoint's entry") {
    REQUIRE(f.conn.exec("UPDATE ledger_entries SET entry_hash = repeat('a', 64) WHERE seq = 1401"));
    REQUIRE(f.conn.exec("UPDATE ledger_head SET last_hash = repeat('a', 64)"));
    auto bad = verify();
    CHECK(bad.exit_code == 1);
    CHECK(bad.output.find("entry 1401: its hash is not the checkpoint's") != std::string::npos);
  }
  SECTION("totals that moved behind the ledger's back are caught from the checkpoint too") {
    REQUIRE(f.conn.exec("UPDATE ledger_totals SET received_fen = received_fen + 1"));
    auto bad = verify();
    CHECK(bad.exit_code == 1);
    CHECK(bad.output.find("totals of campaign") != std::string::npos);
  }
}

TEST_CASE("verify reads the rows as they lie, and again by seq when one lies out of its place") {
  auto f = LedgerFixture::make("as-stored");
  append_entries(f, 2000, 500);
  auto in_order = verify_ledger(f.conn);
  REQUIRE(in_order);
  REQUIRE(in_order->ok());
  CHECK(in_order->entries == 2000);
  CHECK_FALSE(in_order->read_again);

  // The owner writes entry 5 again with what it holds: a new version of the row, stored after
  // entry 6, and the same ledger.
  REQUIRE(f.conn.exec("SET session_replication_role = replica"));
  REQUIRE(f.conn.exec("UPDATE ledger_entries SET memo = memo WHERE seq = 5"));
  auto lying =
      f.conn.exec("SELECT seq FROM ledger_entries WHERE seq BETWEEN 4 AND 6 ORDER BY ctid");
  REQUIRE(lying);
  REQUIRE(lying->rows() == 3);
  CHECK(lying->int64(2, 0) == 5);
  auto again = verify_ledger(f.conn);
  REQUIRE(again);
  CHECK(again->ok());
  CHECK(again->read_again);
  CHECK(again->entries == 2000);
  CHECK(again->head_hash == in_order->head_hash);

  // Altered and out of place: found by the second read, at its entry.
  REQUIRE(f.conn.exec("UPDATE ledger_entries SET amount_fen = 1 WHERE seq = 1500"));
  auto altered = verify_ledger(f.conn);
  REQUIRE(altered);
  CHECK(altered->read_again);
  CHECK(altered->first_bad_seq == 1500);
  REQUIRE(f.conn.exec("RESET session_replication_role"));
}
