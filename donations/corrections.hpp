// A correction of a period's books (issue #12): a signed amount received or spent, booked as one
// correction_received or correction_spent entry in the open period it is made in, never inside
// the period it corrects. The memo says what it corrects, why and who: "更正 2026-11: reason
// (name)".
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct CorrectionRequest {
  std::string period;    // "2026-11" or "2026-11-30": ended, closed or not
  bool received = true;  // false: spent
  Money amount;          // signed, not zero
  std::string fund;      // slug
  std::string campaign;  // slug, optional
  std::string reason;
  std::string by;  // the staff member
};

struct Correction {
  std::int64_t id = 0;
  std::int64_t seq = 0;  // its ledger entry
  std::string kind;      // correction_received, correction_spent
  Money amount;
  std::string memo;
};

// Errors: period_invalid, period_not_ended, amount_out_of_range, text_invalid, fund_not_found,
// campaign_not_found, and the database's.
std::expected<Correction, Error> record_correction(sql::Connection& conn,
                                                   const CorrectionRequest& request);

// "-12.50" or "12.50" as signed money (Money::parse takes no sign). Errors: Money::parse's.
std::expected<Money, Error> parse_signed_yuan(std::string_view text);

}  // namespace boai::donations
