// What streaming verify and export rest on, without a database: COPY's text rows, checkpoints,
// a chain checked from a checkpoint, and the export's per-entry text.
#include <catch2/catch.hpp>

#include "donations/ledger_checkpoint.hpp"
#include "donations/ledger_export_text.hpp"
#include "donations/ledger_verify.hpp"
#include "sql/result.hpp"

using namespace boai::donations;

namespace {

std::vector<LedgerEntry> chain(int n) {
  std::vector<LedgerEntry> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    LedgerEntry e;
    e.seq = i;
    e.kind = i % 3 == 0 ? "payment" : "pledge";
    e.recorded_us = 1'700'000'000'000'000 + i;
    e.campaign_id = 1;
    e.fund_id = 1 + i % 2;
    e.pledge_id = i;
    e.amount_fen = 100 * i;
    e.public_name = "张*";
    e.reference = "ABCDEFGH";
    e.memo = "live";
    e.prev_hash = prev;
    e.entry_hash = entry_hash(e);
    prev = e.entry_hash;
    out.push_back(e);
  }
  return out;
}

LedgerSums sums_of(const std::vector<LedgerEntry>& entries, std::size_t count) {
  LedgerSums sums;
  for (std::size_t i = 0; i < count; ++i) {
    add_to_sums(sums, entries[i]);
  }
  return sums;
}

}  // namespace

TEST_CASE("a COPY text row splits at tabs, knows NULL and decodes its escapes") {
  boai::sql::CopyRow row;
  row.parse("1\tpledge\t\\N\t\t张*\tline\\nbreak \\\\ tab\\there\\r\t\\101\\x42\n");
  REQUIRE(row.columns() == 7);
  CHECK(row.int64(0) == 1);
  CHECK(row.text(1) == "pledge");
  CHECK(row.is_null(2));
  CHECK_FALSE(row.optional_int64(2));
  CHECK_FALSE(row.is_null(3));
  CHECK(row.text(3).empty());
  CHECK(row.text(4) == "张*");
  CHECK(row.text(5) == "line\nbreak \\ tab\there\r");
  CHECK(row.text(6) == "AB");
  CHECK_THROWS(row.int64(1));
  row.parse("2\tx");  // reused: the last row's fields are gone
  CHECK(row.columns() == 2);
  CHECK(row.int64(0) == 2);
}

TEST_CASE("a COPY row keeps its decoded fields when a later column needs decoding too") {
  // The first row decodes column 0 only; the next one decodes column 0 and then column 40,
  // which grows the decoded texts' storage under the field already taken.
  boai::sql::CopyRow row;
  row.parse("a\\nb\tplain");
  CHECK(row.text(0) == "a\nb");
  std::string line = "x\\ty";
  for (int i = 1; i < 40; ++i) {
    line += "\t" + std::to_string(i);
  }
  line += "\tlast\\\\one";
  row.parse(line);
  REQUIRE(row.columns() == 41);
  CHECK(row.text(0) == "x\ty");
  CHECK(row.int64(39) == 39);
  CHECK(row.text(40) == "last\\one");
}

TEST_CASE("a checkpoint is written and read back, and a damaged one is refused") {
  auto c = chain(4);
  Checkpoint cp{4, c.back().entry_hash, sums_of(c, 4)};
  auto text = format_checkpoint(cp);
  CHECK(text.starts_with("boai-ledger-checkpoint-v2\nseq=4\nhash=" + cp.hash + "\ntotals=1 1 "));
  auto back = parse_checkpoint(text);
  REQUIRE(back);
  CHECK(back->seq == 4);
  CHECK(back->hash == cp.hash);
  CHECK(back->sums == cp.sums);
  for (const std::string& bad :
       {// the format before sales had their totals columns
        std::string("boai-ledger-checkpoint-v1\nseq=4\nhash=") + cp.hash + "\n",
        std::string("boai-ledger-checkpoint-v2\nseq=x\nhash=") + cp.hash + "\n",
        std::string("boai-ledger-checkpoint-v2\nseq=4\nhash=ABC\n"),
        std::string("boai-ledger-checkpoint-v2\nseq=4\n"), text + "totals=1 2 3\n",
        text + "something else\n"}) {
    INFO(bad);
    auto parsed = parse_checkpoint(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == "checkpoint_invalid");
  }
}

TEST_CASE("a chain checked from a checkpoint checks only what follows, and its sums") {
  auto c = chain(6);
  Checkpoint at3{3, c[2].entry_hash, sums_of(c, 3)};
  auto check_from = [&](Checkpoint from, const std::vector<LedgerEntry>& rest,
                        const LedgerSums& stored) {
    ChainChecker checker(std::move(from));
    for (const auto& e : rest) {
      checker.add(e);
    }
    return checker.finish(6, c.back().entry_hash, &stored);
  };
  std::vector<LedgerEntry> after(c.begin() + 3, c.end());
  auto all = sums_of(c, 6);

  auto r = check_from(at3, after, all);
  CHECK(r.ok());
  CHECK(r.entries == 6);
  CHECK(r.checked == 3);
  CHECK(r.from_seq == 3);
  CHECK(r.reached.seq == 6);
  CHECK(r.reached.hash == c.back().entry_hash);
  CHECK(r.reached.sums == all);

  auto altered = after;
  altered[1].amount_fen += 1;
  CHECK(check_from(at3, altered, all).first_bad_seq == 5);

  Checkpoint wrong = at3;  // a checkpoint of another history: entry 4 does not follow it
  wrong.hash = c[1].entry_hash;
  CHECK(check_from(wrong, after, all).first_bad_seq == 4);

  auto stored = all;  // the totals moved behind the ledger's back
  stored.begin()->second[0] += 1;
  auto t = check_from(at3, after, stored);
  CHECK_FALSE(t.ok());
  CHECK(t.problems[0].find("totals") != std::string::npos);
}

TEST_CASE("the export's entry text quotes CSV and escapes JSON") {
  LedgerEntry e = chain(1)[0];
  e.campaign_id.reset();
  e.memo = "a, \"b\"\nc\\d\x01";
  std::string csv, json;
  detail::append_csv_entry(e, csv);
  CHECK(csv.starts_with("1,pledge,1700000000000001,,2,1,,,100,1.00,张*,ABCDEFGH,"));
  CHECK(csv.find(",\"a, \"\"b\"\"\nc\\d\x01\",") != std::string::npos);
  CHECK(csv.ends_with("," + e.entry_hash + "\n"));
  detail::append_json_entry(e, json);
  CHECK(json.find("\"campaign\": null,") != std::string::npos);
  CHECK(json.find("\"memo\": \"a, \\\"b\\\"\\nc\\\\d\\u0001\",") != std::string::npos);
  CHECK(json.find("\"amount_fen\": 100,") != std::string::npos);
}
