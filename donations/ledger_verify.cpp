// Verification walks the entries in seq order, as anyone holding the public export would.
#include "donations/ledger_verify.hpp"

#include <array>
#include <map>
#include <tuple>

#include "donations/ledger_appender.hpp"
#include "donations/pledge_rows.hpp"

namespace boai::donations {

using detail::failed;

VerifyReport verify_chain(const std::vector<LedgerEntry>& entries, std::int64_t head_seq,
                          const std::string& head_hash) {
  VerifyReport report;
  auto problem = [&](std::int64_t seq, const std::string& what) {
    if (!report.first_bad_seq) {
      report.first_bad_seq = seq;
    }
    report.problems.push_back("entry " + std::to_string(seq) + ": " + what);
  };
  std::string prev = kGenesisHash;
  std::int64_t expected_seq = 1;
  for (const auto& e : entries) {
    if (report.problems.empty()) {
      if (e.seq != expected_seq) {
        problem(e.seq, e.seq > expected_seq
                           ? "entries " + std::to_string(expected_seq) + " to " +
                                 std::to_string(e.seq - 1) + " are missing (deleted)"
                           : "is out of order (reordered or inserted)");
      } else if (e.prev_hash != prev) {
        problem(e.seq, "does not follow entry " + std::to_string(e.seq - 1) +
                           " (its previous hash differs: inserted, reordered or rewritten)");
      } else if (entry_hash(e) != e.entry_hash) {
        problem(e.seq, "its content does not match its hash (altered)");
      }
    }
    prev = e.entry_hash;
    expected_seq = e.seq + 1;
    ++report.entries;
  }
  std::int64_t last_seq = entries.empty() ? 0 : entries.back().seq;
  report.head_hash = entries.empty() ? kGenesisHash : entries.back().entry_hash;
  if (report.problems.empty() && (last_seq != head_seq || report.head_hash != head_hash)) {
    problem(last_seq + 1, "the chain head says " + std::to_string(head_seq) +
                              " entries ending in " + head_hash.substr(0, 12) +
                              ", the table ends at " + std::to_string(last_seq) +
                              " (entries removed from the end, or added behind boai's back)");
  }
  return report;
}

std::expected<std::vector<LedgerEntry>, Error> read_ledger(sql::Connection& conn) {
  auto r = conn.exec(
      "SELECT seq, kind, recorded_us, campaign_id, fund_id, pledge_id, payment_id, object_id, "
      "amount_fen, public_name, reference, memo, prev_hash, entry_hash FROM ledger_entries "
      "ORDER BY seq");
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  auto opt = [&](int row, int col) -> std::optional<std::int64_t> {
    if (r->is_null(row, col)) {
      return std::nullopt;
    }
    return r->int64(row, col);
  };
  std::vector<LedgerEntry> out;
  out.reserve(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(LedgerEntry{r->int64(i, 0), std::string(r->text(i, 1)), r->int64(i, 2), opt(i, 3),
                              r->int64(i, 4), opt(i, 5), opt(i, 6), opt(i, 7), r->int64(i, 8),
                              std::string(r->text(i, 9)), std::string(r->text(i, 10)),
                              std::string(r->text(i, 11)), std::string(r->text(i, 12)),
                              std::string(r->text(i, 13))});
  }
  return out;
}

std::expected<VerifyReport, Error> verify_ledger(sql::Connection& conn) {
  // One snapshot for entries, head and totals.
  if (auto b = conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !b) {
    return std::unexpected(failed(b.error()));
  }
  auto finish = [&] { (void)conn.exec("COMMIT"); };
  auto entries = read_ledger(conn);
  auto head = conn.exec("SELECT last_seq, last_hash FROM ledger_head");
  auto totals = conn.exec(
      "SELECT campaign_id, fund_id, pledged_fen, cancelled_fen, received_fen, refunded_fen, "
      "spent_fen, pledge_count FROM ledger_totals");
  finish();
  if (!entries) {
    return std::unexpected(entries.error());
  }
  if (!head) {
    return std::unexpected(failed(head.error()));
  }
  if (!totals) {
    return std::unexpected(failed(totals.error()));
  }

  auto report = verify_chain(*entries, head->int64(0, 0), std::string(head->text(0, 1)));

  using Sums = std::array<std::int64_t, 6>;
  std::map<std::pair<std::int64_t, std::int64_t>, Sums> from_entries, stored;
  for (const auto& e : *entries) {
    auto& s = from_entries[{e.campaign_id.value_or(0), e.fund_id}];
    switch (totals_column(e.kind)) {
      case TotalsColumn::kPledged:
        s[0] += e.amount_fen;
        s[5] += 1;
        break;
      case TotalsColumn::kCancelled:
        s[1] += e.amount_fen;
        break;
      case TotalsColumn::kReceived:
        s[2] += e.amount_fen;
        break;
      case TotalsColumn::kRefunded:
        s[3] += e.amount_fen;
        break;
      case TotalsColumn::kSpent:
        s[4] += e.amount_fen;
        break;
      case TotalsColumn::kNone:
        break;
    }
  }
  for (int i = 0; i < totals->rows(); ++i) {
    stored[{totals->int64(i, 0), totals->int64(i, 1)}] =
        Sums{totals->int64(i, 2), totals->int64(i, 3), totals->int64(i, 4),
             totals->int64(i, 5), totals->int64(i, 6), totals->int64(i, 7)};
  }
  auto all_keys = from_entries;
  for (const auto& [k, v] : stored) {
    all_keys.try_emplace(k, Sums{});
  }
  for (const auto& [key, _] : all_keys) {
    Sums a = from_entries.contains(key) ? from_entries[key] : Sums{};
    Sums b = stored.contains(key) ? stored[key] : Sums{};
    if (a != b) {
      report.problems.push_back("totals of campaign " + std::to_string(key.first) + ", fund " +
                                std::to_string(key.second) +
                                " differ from what the entries sum to");
    }
  }
  return report;
}

}  // namespace boai::donations
