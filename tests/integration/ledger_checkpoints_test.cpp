// Signed checkpoints (issue #13): `boai ledger checkpoint` signs the head with the station's
// Ed25519 key; `boai ledger verify --checkpoints` checks the chain against checkpoints kept
// elsewhere, and catches what a plain verify cannot: the station's owner deleting the last entries
// or rewriting history with every hash, the head and the totals fixed up to match.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "donations/ledger_hash.hpp"
#include "donations/ledger_stream.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_json.hpp"
#include "tests/support/test_cluster.hpp"

using boai::test::BoaiProcess;
using boai::test::fresh_database;
using boai::test::run_boai;
using boai::test::temp_dir;
using nlohmann::json;

namespace {

struct Desk {
  std::string url = fresh_database("checkpoints");
  std::filesystem::path data = temp_dir("checkpoints");

  boai::test::BoaiRun run(std::vector<std::string> args) const {
    args.insert(args.end(), {"--database-url", url, "--data-dir", data.string()});
    auto r = run_boai(args);
    UNSCOPED_INFO("boai " << args[0] << " " << args[1] << " -> " << r.exit_code << "\n"
                          << r.output);
    return r;
  }
  void pledge(int n) const {
    REQUIRE(run({"pledge", "add", "--campaign", "firstaid", "--amount", std::to_string(10 + n),
                 "--name", "张三", "--idempotency-key", "cp-key-" + std::to_string(n)})
                .exit_code == 0);
  }
};

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What the station publishes at /api/ledger/checkpoints, read from a running serve.
std::string published_checkpoints(const Desk& desk) {
  BoaiProcess serve({"serve", "--listen", "127.0.0.1:0", "--no-studio", "--data-dir",
                     desk.data.string(), "--database-url", desk.url});
  auto port = serve.wait_for_port();
  INFO(serve.output());
  REQUIRE(port);
  return boai::test::get_json(*port, "/api/ledger/checkpoints").dump();
}

// Recomputes the totals and the month's totals from the entries, as an owner covering their
// tracks would (this ledger has pledges only).
void fix_totals(boai::sql::Connection& conn) {
  for (const char* table : {"ledger_totals", "ledger_month_totals"}) {
    REQUIRE(conn.exec(std::string("DELETE FROM ") + table));
  }
  const std::string sums =
      "coalesce(campaign_id, 0), fund_id, sum(amount_fen), count(*) FROM ledger_entries ";
  REQUIRE(
      conn.exec("INSERT INTO ledger_totals (campaign_id, fund_id, pledged_fen, pledge_count) "
                "SELECT " +
                sums + "GROUP BY 1, 2"));
  REQUIRE(conn.exec(
      "INSERT INTO ledger_month_totals (month, campaign_id, fund_id, pledged_fen, pledge_count) "
      "SELECT to_char(to_timestamp(recorded_us / 1000000.0) AT TIME ZONE 'Asia/Shanghai', "
      "'YYYY-MM'), " +
      sums + "GROUP BY 1, 2, 3"));
}

// A ledger of 6 entries with a checkpoint at 4 and one at 6, published to a file.
std::filesystem::path ledger_with_checkpoints(const Desk& desk) {
  REQUIRE(desk.run({"campaign", "add", "firstaid", "--title", "急救", "--goal", "1000", "--live"})
              .exit_code == 0);
  for (int n = 1; n <= 4; ++n) {
    desk.pledge(n);
  }
  auto first = desk.run({"ledger", "checkpoint"});
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.find("checkpoint at entry 4") != std::string::npos);
  auto again = desk.run({"ledger", "checkpoint"});
  CHECK(again.output.find("nothing new") != std::string::npos);
  desk.pledge(5);
  desk.pledge(6);
  REQUIRE(desk.run({"ledger", "checkpoint"}).output.find("entry 6") != std::string::npos);
  auto file = desk.data / "published.json";
  write_file(file, published_checkpoints(desk));
  return file;
}

}  // namespace

TEST_CASE("a ledger passes through every checkpoint it signed, from a file or a URL") {
  Desk desk;
  auto file = ledger_with_checkpoints(desk);
  auto doc = json::parse(read_file(file));
  REQUIRE(doc.at("checkpoints").size() == 2);
  CHECK(doc.at("checkpoints")[0].at("seq") == 4);
  CHECK(doc.at("checkpoints")[1].at("seq") == 6);
  CHECK(std::filesystem::status(desk.data / "ledger-key.pem").permissions() ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

  auto ok = desk.run({"ledger", "verify", "--checkpoints", file.string()});
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.find("2 checkpoints signed by key") != std::string::npos);
  CHECK(ok.output.find("verified 6 entries") != std::string::npos);

  // The export carries them too: a copy that lives wherever the export goes.
  auto out = desk.data / "export";
  REQUIRE(desk.run({"ledger", "export", "--public", "--out", out.string()}).exit_code == 0);
  CHECK(json::parse(read_file(out / "checkpoints.json")).at("checkpoints") ==
        doc.at("checkpoints"));
  CHECK(desk.run({"ledger", "verify", "--checkpoints", (out / "checkpoints.json").string()})
            .exit_code == 0);

  // From the station's own URL, paged until empty, with the key saved from /api/ledger/key.
  BoaiProcess serve({"serve", "--listen", "127.0.0.1:0", "--no-studio", "--data-dir",
                     desk.data.string(), "--database-url", desk.url});
  auto port = serve.wait_for_port();
  REQUIRE(port);
  auto key = boai::test::get_json(*port, "/api/ledger/key");
  CHECK(key.at("algorithm") == "Ed25519");
  write_file(desk.data / "saved-key.pem", key.at("pem").get<std::string>());
  auto by_url = desk.run({"ledger", "verify", "--checkpoints",
                          "http://127.0.0.1:" + std::to_string(*port) + "/api/ledger/checkpoints",
                          "--key", (desk.data / "saved-key.pem").string()});
  CHECK(by_url.exit_code == 0);
  CHECK(by_url.output.find("verified 6 entries") != std::string::npos);
}

TEST_CASE("deleting the last entries with the head and totals fixed up is caught by checkpoints") {
  Desk desk;
  auto file = ledger_with_checkpoints(desk);
  auto conn = boai::sql::Connection::open(desk.url);
  REQUIRE(conn);
  REQUIRE(conn->exec("SET session_replication_role = replica"));  // the owner, triggers bypassed
  REQUIRE(conn->exec("DELETE FROM ledger_entries WHERE seq > 4"));
  REQUIRE(
      conn->exec("UPDATE ledger_head SET last_seq = 4, last_hash = "
                 "(SELECT entry_hash FROM ledger_entries WHERE seq = 4)"));
  fix_totals(*conn);

  // The database agrees with itself: the plain verify passes.
  CHECK(desk.run({"ledger", "verify"}).exit_code == 0);
  auto caught = desk.run({"ledger", "verify", "--checkpoints", file.string()});
  CHECK(caught.exit_code == 1);
  CHECK(caught.output.find("first bad entry 5") != std::string::npos);
  CHECK(caught.output.find("removed from the end") != std::string::npos);
}

TEST_CASE("history rewritten with every hash recomputed is caught by checkpoints") {
  Desk desk;
  auto file = ledger_with_checkpoints(desk);
  auto conn = boai::sql::Connection::open(desk.url);
  REQUIRE(conn);
  // Entry 5's donor renamed, then 5 and 6 chained again: the chain is whole, the head fixed.
  std::vector<boai::donations::LedgerEntry> entries;
  REQUIRE(boai::donations::for_each_entry(*conn, 0, [&](const auto& e) { entries.push_back(e); }));
  REQUIRE(entries.size() == 6);
  entries[4].public_name = "李*";
  REQUIRE(conn->exec("SET session_replication_role = replica"));
  for (std::size_t i = 4; i < entries.size(); ++i) {
    entries[i].prev_hash = entries[i - 1].entry_hash;
    entries[i].entry_hash = boai::donations::entry_hash(entries[i]);
    REQUIRE(
        conn->exec("UPDATE ledger_entries SET public_name = $2, prev_hash = $3, entry_hash = $4 "
                   "WHERE seq = $1",
                   boai::sql::params(entries[i].seq, entries[i].public_name, entries[i].prev_hash,
                                     entries[i].entry_hash)));
  }
  REQUIRE(conn->exec("UPDATE ledger_head SET last_hash = $1",
                     boai::sql::params(entries.back().entry_hash)));

  CHECK(desk.run({"ledger", "verify"}).exit_code == 0);
  auto caught = desk.run({"ledger", "verify", "--checkpoints", file.string()});
  CHECK(caught.exit_code == 1);
  CHECK(caught.output.find("first bad entry 5") != std::string::npos);
  CHECK(caught.output.find("history rewritten") != std::string::npos);
}

TEST_CASE("a checkpoint whose signature is not the station key's is refused") {
  Desk desk;
  auto file = ledger_with_checkpoints(desk);
  const auto published = json::parse(read_file(file));
  auto altered_signature = published;
  std::string sig = altered_signature["checkpoints"][1]["signature"];
  sig[10] = sig[10] == 'A' ? 'B' : 'A';
  altered_signature["checkpoints"][1]["signature"] = sig;
  auto moved_head = published;
  moved_head["checkpoints"][0]["head_hash"] = std::string(64, 'a');
  for (const auto& doc : {altered_signature, moved_head}) {
    write_file(desk.data / "forged.json", doc.dump());
    auto refused =
        desk.run({"ledger", "verify", "--checkpoints", (desk.data / "forged.json").string()});
    CHECK(refused.exit_code == 1);
    CHECK(refused.output.find("checkpoint_forged") != std::string::npos);
  }

  // Another station's key (a key of its own in another data directory) does not vouch either.
  Desk other;
  auto theirs = other.run({"ledger", "key"});
  REQUIRE(theirs.exit_code == 0);
  write_file(desk.data / "their-key.pem", theirs.output.substr(theirs.output.find("-----BEGIN")));
  auto refused = desk.run({"ledger", "verify", "--checkpoints", file.string(), "--key",
                           (desk.data / "their-key.pem").string()});
  CHECK(refused.exit_code == 1);
  CHECK(refused.output.find("checkpoint_forged") != std::string::npos);
}

TEST_CASE("a broken checkpoints file gets a stable error") {
  Desk desk;
  REQUIRE(desk.run({"campaign", "add", "firstaid", "--title", "急救", "--goal", "1000", "--live"})
              .exit_code == 0);
  struct Case {
    std::string text;
    const char* code;
  };
  for (const auto& c : std::vector<Case>{{"not json", "checkpoints_invalid"},
                                         {R"({"entries": []})", "checkpoints_invalid"},
                                         {R"([{"seq": "four"}])", "checkpoints_invalid"}}) {
    write_file(desk.data / "broken.json", c.text);
    auto r = desk.run({"ledger", "verify", "--checkpoints", (desk.data / "broken.json").string()});
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(c.code) != std::string::npos);
  }
  auto missing = desk.run({"ledger", "verify", "--checkpoints", "/nonexistent/file.json"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.output.find("file_unreadable") != std::string::npos);
  auto bad_url = desk.run({"ledger", "verify", "--checkpoints", "ftp://example/x"});
  CHECK(bad_url.exit_code == 1);
  CHECK(bad_url.output.find("url_invalid") != std::string::npos);
}
