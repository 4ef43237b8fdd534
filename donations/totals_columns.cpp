#include "donations/totals_columns.hpp"

#include <string>

namespace boai::donations {

TotalsColumn totals_column(std::string_view kind) {
  if (kind == "pledge") {
    return TotalsColumn::kPledged;
  }
  if (kind == "cancel" || kind == "expire") {
    return TotalsColumn::kCancelled;
  }
  if (kind == "payment" || kind == "correction_received") {
    return TotalsColumn::kReceived;
  }
  if (kind == "refund") {
    return TotalsColumn::kRefunded;
  }
  if (kind == "expenditure" || kind == "correction_spent") {
    return TotalsColumn::kSpent;
  }
  if (kind == "sale") {
    return TotalsColumn::kSold;
  }
  if (kind == "sale_expire" || kind == "sale_cancel") {
    return TotalsColumn::kSaleCancelled;
  }
  if (kind == "sale_payment") {
    return TotalsColumn::kSaleReceived;
  }
  if (kind == "sale_refund") {
    return TotalsColumn::kSaleRefunded;
  }
  return TotalsColumn::kNone;
}

void add_entry(Sums& sums, std::string_view kind, std::int64_t amount_fen) {
  TotalsColumn column = totals_column(kind);
  if (column == TotalsColumn::kNone) {
    return;
  }
  sums[static_cast<std::size_t>(column)] += amount_fen;
  if (column == TotalsColumn::kPledged) {
    sums[static_cast<std::size_t>(TotalsColumn::kPledgeCount)] += 1;
  } else if (column == TotalsColumn::kSold) {
    sums[static_cast<std::size_t>(TotalsColumn::kSaleCount)] += 1;
  }
}

std::string totals_column_list(std::string_view prefix) {
  std::string out;
  for (const char* name : kTotalsColumnNames) {
    out += (out.empty() ? "" : ", ") + std::string(prefix) + name;
  }
  return out;
}

}  // namespace boai::donations
