// The columns of ledger_totals, in one order for the appender, verify, checkpoints and the
// export: which column an entry's kind moves, and the pledge and sale counts beside them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace boai::donations {

// Positions in Sums and in kTotalsColumnNames. Sales have columns of their own: their proceeds
// are not gifts.
enum class TotalsColumn : std::size_t {
  kPledged,
  kCancelled,
  kReceived,
  kRefunded,
  kSpent,
  kPledgeCount,
  kSold,
  kSaleCancelled,
  kSaleReceived,
  kSaleRefunded,
  kSaleCount,
  kNone,
};
inline constexpr std::size_t kTotalsColumnCount = static_cast<std::size_t>(TotalsColumn::kNone);

inline constexpr std::array<const char*, kTotalsColumnCount> kTotalsColumnNames = {
    "pledged_fen",       "cancelled_fen",     "received_fen", "refunded_fen",
    "spent_fen",         "pledge_count",      "sold_fen",     "sale_cancelled_fen",
    "sale_received_fen", "sale_refunded_fen", "sale_count"};

// One (campaign, fund) row of the totals, by TotalsColumn.
using Sums = std::array<std::int64_t, kTotalsColumnCount>;

// The money column an entry of this kind moves (kNone: none).
TotalsColumn totals_column(std::string_view kind);

// What one entry adds to its row: its amount to its column, and one to the pledge or sale count
// when it opens a pledge or a sale order.
void add_entry(Sums& sums, std::string_view kind, std::int64_t amount_fen);

// "pledged_fen, cancelled_fen, ..." for a SELECT or an INSERT column list.
std::string totals_column_list(std::string_view prefix = "");

}  // namespace boai::donations
