// What ledger entries sum to per campaign (0 for none) and fund, column by column as the appender
// keeps them in ledger_totals: for verifying the totals and for checkpoints.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "donations/ledger_appender.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/totals_columns.hpp"

namespace boai::donations {

using LedgerSums = std::map<std::pair<std::int64_t, std::int64_t>, Sums>;  // (campaign, fund)

inline void add_to_sums(LedgerSums& sums, const LedgerEntry& e) {
  add_entry(sums[{e.campaign_id.value_or(0), e.fund_id}], e.kind, e.amount_fen);
}

// The same per month of Asia/Shanghai, as ledger_month_totals keeps them: ("2026-11", campaign,
// fund).
using MonthSums = std::map<std::tuple<std::string, std::int64_t, std::int64_t>, Sums>;

}  // namespace boai::donations
