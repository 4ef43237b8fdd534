// Verification walks the entries in seq order, as anyone holding the public export would.
#include "donations/ledger_verify.hpp"

#include <memory>

#include "donations/ledger_stream.hpp"
#include "donations/pledge_rows.hpp"

namespace boai::donations {

using detail::failed;

ChainChecker::ChainChecker(Checkpoint from)
    : prev_(std::move(from.hash)),
      expected_seq_(from.seq + 1),
      sums_(std::move(from.sums)),
      from_genesis_(from.seq == 0) {
  report_.from_seq = from.seq;
  report_.entries = from.seq;
}

void ChainChecker::problem(std::int64_t seq, const std::string& what) {
  if (!report_.first_bad_seq) {
    report_.first_bad_seq = seq;
  }
  report_.problems.push_back("entry " + std::to_string(seq) + ": " + what);
}

void ChainChecker::expect(std::vector<PublishedHead> published) {
  published_ = std::move(published);
  next_published_ = 0;
  // Heads at or before the start cannot be checked from here: the start itself was checked.
  while (next_published_ < published_.size() && published_[next_published_].seq < expected_seq_) {
    ++next_published_;
  }
  last_matched_seq_ = expected_seq_ - 1;
}

// A chain rewritten consistently (every hash recomputed, as only the database's owner can) passes
// the checks above; a head published before the rewrite is what still tells.
void ChainChecker::check_published(const LedgerEntry& e) {
  bool published_here = false;
  for (; next_published_ < published_.size() && published_[next_published_].seq == e.seq;
       ++next_published_) {
    published_here = true;
    if (e.entry_hash != published_[next_published_].hash && report_.problems.empty()) {
      problem(last_matched_seq_ + 1,
              "entries " + std::to_string(last_matched_seq_ + 1) + " to " + std::to_string(e.seq) +
                  " no longer end in the hash the checkpoint at entry " + std::to_string(e.seq) +
                  " published (history rewritten after it)");
    }
  }
  if (published_here && report_.problems.empty()) {
    last_matched_seq_ = e.seq;
  }
}

void ChainChecker::add(const LedgerEntry& e) {
  if (report_.problems.empty()) {
    if (e.seq != expected_seq_) {
      problem(e.seq, e.seq > expected_seq_
                         ? "entries " + std::to_string(expected_seq_) + " to " +
                               std::to_string(e.seq - 1) + " are missing (deleted)"
                         : "is out of order (reordered or inserted)");
    } else if (e.prev_hash != prev_) {
      problem(e.seq, "does not follow entry " + std::to_string(e.seq - 1) +
                         " (its previous hash differs: inserted, reordered or rewritten)");
    } else if (hasher_.hash(e) != e.entry_hash) {
      problem(e.seq, "its content does not match its hash (altered)");
    }
  }
  check_published(e);
  add_to_sums(sums_, e);
  if (from_genesis_) {
    if (e.recorded_us < month_.starts_us || e.recorded_us >= month_.ends_us) {
      month_ = month_of(e.recorded_us);
    }
    add_entry(month_sums_[{month_.name, e.campaign_id.value_or(0), e.fund_id}], e.kind,
              e.amount_fen);
  }
  prev_ = e.entry_hash;
  expected_seq_ = e.seq + 1;
  ++report_.entries;
  ++report_.checked;
}

namespace {

// The keys whose sums differ between what the entries add up to and what is stored (a key
// missing on one side counts as zeros).
template <typename Key>
std::vector<Key> differing(const std::map<Key, Sums>& summed, const std::map<Key, Sums>& stored) {
  std::vector<Key> out;
  auto keys = summed;
  for (const auto& [key, _] : stored) {
    keys.try_emplace(key, Sums{});
  }
  for (const auto& [key, _] : keys) {
    auto a = summed.contains(key) ? summed.at(key) : Sums{};
    auto b = stored.contains(key) ? stored.at(key) : Sums{};
    if (a != b) {
      out.push_back(key);
    }
  }
  return out;
}

}  // namespace

VerifyReport ChainChecker::finish(std::int64_t head_seq, const std::string& head_hash,
                                  const LedgerSums* stored_totals, const MonthSums* stored_months) {
  std::int64_t last_seq = expected_seq_ - 1;
  report_.head_hash = prev_;
  if (report_.problems.empty() && next_published_ < published_.size()) {
    std::int64_t signed_seq = published_.back().seq;
    problem(last_seq + 1, "a checkpoint was published at entry " + std::to_string(signed_seq) +
                              ", the ledger ends at " + std::to_string(last_seq) +
                              " (entries removed from the end)");
  }
  if (report_.problems.empty() && (last_seq != head_seq || report_.head_hash != head_hash)) {
    problem(last_seq + 1, "the chain head says " + std::to_string(head_seq) +
                              " entries ending in " + head_hash.substr(0, 12) +
                              ", the table ends at " + std::to_string(last_seq) +
                              " (entries removed from the end, or added behind boai's back)");
  }
  if (stored_totals != nullptr) {
    for (const auto& key : differing(sums_, *stored_totals)) {
      report_.problems.push_back("totals of campaign " + std::to_string(key.first) + ", fund " +
                                 std::to_string(key.second) +
                                 " differ from what the entries sum to");
    }
  }
  if (stored_months != nullptr && from_genesis_) {
    for (const auto& [month, campaign, fund] : differing(month_sums_, *stored_months)) {
      report_.problems.push_back("the totals of " + month + ", campaign " +
                                 std::to_string(campaign) + ", fund " + std::to_string(fund) +
                                 " differ from what its entries sum to");
    }
  }
  report_.reached = Checkpoint{last_seq, report_.head_hash, sums_};
  return std::move(report_);
}

VerifyReport verify_chain(const std::vector<LedgerEntry>& entries, std::int64_t head_seq,
                          const std::string& head_hash) {
  ChainChecker checker;
  for (const auto& e : entries) {
    checker.add(e);
  }
  return checker.finish(head_seq, head_hash, nullptr);
}

std::expected<StoredLedger, Error> read_stored_ledger(sql::Connection& conn) {
  auto head = conn.exec("SELECT last_seq, last_hash FROM ledger_head");
  if (!head) {
    return std::unexpected(failed(head.error()));
  }
  auto totals =
      conn.exec("SELECT campaign_id, fund_id, " + totals_column_list() + " FROM ledger_totals");
  if (!totals) {
    return std::unexpected(failed(totals.error()));
  }
  StoredLedger out;
  out.head_seq = head->int64(0, head->column("last_seq"));
  out.head_hash = std::string(head->text(0, head->column("last_hash")));
  int campaign = totals->column("campaign_id"), fund = totals->column("fund_id");
  std::array<int, kTotalsColumnCount> c{};
  for (std::size_t k = 0; k < kTotalsColumnCount; ++k) {
    c[k] = totals->column(kTotalsColumnNames[k]);
  }
  for (int i = 0; i < totals->rows(); ++i) {
    Sums& s = out.totals[{totals->int64(i, campaign), totals->int64(i, fund)}];
    for (std::size_t k = 0; k < kTotalsColumnCount; ++k) {
      s[k] = totals->int64(i, c[k]);
    }
  }
  auto months = conn.exec("SELECT month, campaign_id, fund_id, " + totals_column_list() +
                          " FROM ledger_month_totals");
  if (!months) {
    return std::unexpected(failed(months.error()));
  }
  for (int i = 0; i < months->rows(); ++i) {
    Sums& s =
        out.months[{std::string(months->text(i, 0)), months->int64(i, 1), months->int64(i, 2)}];
    for (std::size_t k = 0; k < kTotalsColumnCount; ++k) {
      s[k] = months->int64(i, static_cast<int>(k) + 3);
    }
  }
  return out;
}

namespace {

// The checkpoint's entry must be on this ledger with the checkpoint's hash: otherwise history
// was rewritten since, or the checkpoint is another ledger's.
std::expected<std::optional<std::string>, Error> checkpoint_mismatch(sql::Connection& conn,
                                                                     const Checkpoint& from) {
  if (from.seq == 0) {
    return std::optional<std::string>{};
  }
  auto r = conn.exec("SELECT entry_hash FROM ledger_entries WHERE seq = $1", sql::params(from.seq));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 1 && r->text(0, r->column("entry_hash")) == from.hash) {
    return std::optional<std::string>{};
  }
  return std::optional<std::string>{
      r->rows() == 0 ? "the checkpoint's entry is not in the ledger (removed, or another ledger's)"
                     : "its hash is not the checkpoint's (history rewritten since the checkpoint, "
                       "or another ledger's checkpoint)"};
}

// The entries after `start` through a checker, and whether they were read twice. From the
// genesis, as they lie in the table: the same entries in the same order whenever every seq comes
// in its place (checked as they come); else, or when one does not, in seq order by the key.
struct Checked {
  std::unique_ptr<ChainChecker> checker;
  bool read_again = false;
};

std::expected<Checked, Error> check_entries(sql::Connection& conn, const Checkpoint& start,
                                            const std::vector<PublishedHead>& published) {
  Checked out{std::make_unique<ChainChecker>(start)};
  out.checker->expect(published);
  if (start.seq == 0) {
    bool in_order = true;
    auto walked = for_each_entry_as_stored(conn, [&](const LedgerEntry& e) {
      in_order = e.seq == out.checker->next_seq();
      if (in_order) {
        out.checker->add(e);
      }
      return in_order;
    });
    if (!walked) {
      return std::unexpected(walked.error());
    }
    if (in_order) {
      return out;
    }
    out = {std::make_unique<ChainChecker>(start), true};
    out.checker->expect(published);
  }
  auto walked = for_each_entry(conn, start.seq, [&](const LedgerEntry& e) { out.checker->add(e); });
  if (!walked) {
    return std::unexpected(walked.error());
  }
  return out;
}

}  // namespace

std::expected<VerifyReport, Error> verify_ledger(sql::Connection& conn,
                                                 const std::optional<Checkpoint>& from,
                                                 const std::vector<PublishedHead>& published) {
  // One snapshot for entries, head and totals.
  if (auto b = conn.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !b) {
    return std::unexpected(failed(b.error()));
  }
  auto fail = [&conn](const Error& e) -> std::expected<VerifyReport, Error> {
    (void)conn.exec("ROLLBACK");
    return std::unexpected(e);
  };
  auto stored = read_stored_ledger(conn);
  if (!stored) {
    return fail(stored.error());
  }
  Checkpoint start = from.value_or(Checkpoint{});
  auto mismatch = checkpoint_mismatch(conn, start);
  if (!mismatch) {
    return fail(mismatch.error());
  }
  if (*mismatch) {
    (void)conn.exec("COMMIT");
    VerifyReport report;
    report.from_seq = start.seq;
    report.first_bad_seq = start.seq;
    report.problems.push_back("entry " + std::to_string(start.seq) + ": " + **mismatch);
    return report;
  }
  auto checked = check_entries(conn, start, published);
  if (!checked) {
    return fail(checked.error());
  }
  (void)conn.exec("COMMIT");
  auto report = checked->checker->finish(stored->head_seq, stored->head_hash, &stored->totals,
                                         &stored->months);
  report.read_again = checked->read_again;
  return report;
}

}  // namespace boai::donations
