// What ledger entries sum to per campaign (0 for none) and fund, column by column as the appender
// keeps them in ledger_totals: for verifying the totals and for checkpoints.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <utility>

#include "donations/ledger_appender.hpp"
#include "donations/ledger_hash.hpp"

namespace boai::donations {

// pledged, cancelled, received, refunded, spent (fen), and the number of pledges
using Sums = std::array<std::int64_t, 6>;
using LedgerSums = std::map<std::pair<std::int64_t, std::int64_t>, Sums>;  // (campaign, fund)

inline void add_to_sums(LedgerSums& sums, const LedgerEntry& e) {
  auto& s = sums[{e.campaign_id.value_or(0), e.fund_id}];
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

}  // namespace boai::donations
