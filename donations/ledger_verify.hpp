// Checking the ledger: recompute every entry's hash and the chain, and the totals from the
// entries; name the first entry that does not match. It walks the entries one at a time, so it
// holds no more for a million entries than for ten, and it can start from a checkpoint.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/ledger_checkpoint.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/ledger_sums.hpp"
#include "donations/period_dates.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct VerifyReport {
  std::int64_t entries = 0;   // the ledger's length as checked: the start's seq and those after it
  std::int64_t checked = 0;   // entries hashed this time (all of them, or those after the start)
  std::int64_t from_seq = 0;  // the checkpoint it started from; 0: the genesis
  std::string head_hash;      // the last entry's hash: it commits to the whole history
  std::optional<std::int64_t> first_bad_seq;
  std::vector<std::string> problems;  // one sentence each, the first one first
  Checkpoint reached;                 // the head and the sums, to start from next time if ok()
  bool read_again = false;  // the rows did not lie in seq order: read a second time, by seq
  bool ok() const { return problems.empty(); }
};

// A head someone kept outside the database (a signed checkpoint, once its signature is checked):
// entry seq's hash was hash when it was published.
struct PublishedHead {
  std::int64_t seq = 0;
  std::string hash;
};

// Checks a chain entry by entry in storage order, from the genesis or a checkpoint, holding only
// the last hash and the sums per campaign and fund.
class ChainChecker {
 public:
  explicit ChainChecker(Checkpoint from = {});
  // Heads published earlier, in seq order: the chain must still pass through each of them.
  void expect(std::vector<PublishedHead> published);
  void add(const LedgerEntry& e);
  // The seq the next entry must have.
  std::int64_t next_seq() const { return expected_seq_; }
  // Compares where the chain ended with the stored head and, when given, the stored totals (and
  // the months', when the walk started at the genesis: a checkpoint keeps no months).
  VerifyReport finish(std::int64_t head_seq, const std::string& head_hash,
                      const LedgerSums* stored_totals, const MonthSums* stored_months = nullptr);

 private:
  void problem(std::int64_t seq, const std::string& what);
  void check_published(const LedgerEntry& e);
  VerifyReport report_;
  std::vector<PublishedHead> published_;
  std::size_t next_published_ = 0;
  std::int64_t last_matched_seq_ = 0;  // the last published head the chain passed through
  std::string prev_;
  std::int64_t expected_seq_;
  LedgerSums sums_;
  MonthSums month_sums_;
  bool from_genesis_ = true;
  Period month_;  // the month of the last entry, so most entries skip the date arithmetic
  EntryHasher hasher_;
};

// Pure: checks a chain given in storage order against the stored head.
VerifyReport verify_chain(const std::vector<LedgerEntry>& entries, std::int64_t head_seq,
                          const std::string& head_hash);

// The chain, the head and the totals, in one snapshot; from a checkpoint, only the entries after
// it, once the entry it names is found with its hash on this ledger; and through every published
// head after the start. From the genesis it reads the table as its rows lie, which is seq order
// unless a row was stored out of its place (then it reads again by seq: read_again).
std::expected<VerifyReport, Error> verify_ledger(sql::Connection& conn,
                                                 const std::optional<Checkpoint>& from = {},
                                                 const std::vector<PublishedHead>& published = {});

// What verify compares the entries with, read in the caller's snapshot.
struct StoredLedger {
  std::int64_t head_seq = 0;
  std::string head_hash;
  LedgerSums totals;
  MonthSums months;
};
std::expected<StoredLedger, Error> read_stored_ledger(sql::Connection& conn);

}  // namespace boai::donations
