// The finance desk's reports (issue #12): the reconciliation of a period (pledged, paid, settled,
// fees, refunded, corrections, spent and outstanding, by fund, channel and campaign, with totals)
// and the close-out of a live campaign (what was pledged on air, what arrived, who still owes).
// Read-only; staff only (the close-out names donors and their contacts).
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "donations/period_dates.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

// Flows are the ledger's entries booked (recorded_us) inside the period; settled is what of
// those payments a statement line has confirmed by the time the report runs; outstanding is what
// open pledges still owed at the period's end, by the ledger.
struct Figures {
  Money pledged;
  std::int64_t pledges = 0;
  Money cancelled;  // cancelled and expired pledges, expired sale orders
  Money paid;
  std::int64_t payments = 0;
  Money settled;
  Money fees;
  Money refunded;
  Money corrections_received;
  Money spent;
  Money corrections_spent;
  Money outstanding;
};

// The figures as JSON of integer fen: what a close keeps and what the routes answer.
nlohmann::json figures_json(const Figures& f);

struct FigureRow {
  std::string group;  // fund, channel, campaign
  std::string key;    // the fund's or campaign's slug ("" for money of no campaign), the channel
  std::string name;   // the fund's name, the campaign's title, the channel again
  Figures figures;
};

struct Reconciliation {
  Period period;
  std::int64_t as_of_us = 0;    // when it was read
  std::int64_t ledger_seq = 0;  // the last entry it could see
  std::vector<FigureRow> rows;  // funds, then channels, then campaigns
  Figures totals;
};

// Errors: the database's.
std::expected<Reconciliation, Error> reconciliation(sql::Connection& conn, const Period& period);

struct OutstandingPledge {
  std::string reference;
  std::int64_t created_us = 0;
  Money amount;
  Money paid;
  std::string status;      // pledged, part_paid
  std::string donor_name;  // the real name, also of an anonymous donor: staff only
  bool anonymous = false;
  std::string contact;
};

struct CloseOut {
  std::string campaign;  // slug
  std::string title;
  std::string status;  // the campaign's: draft, live, closed
  std::int64_t as_of_us = 0;
  std::int64_t pledges = 0;  // made on air (channel live), whatever became of them
  Money pledged;
  std::int64_t paid_pledges = 0;  // paid in full
  Money arrived;                  // what those pledges received
  Money refunded;
  std::int64_t cancelled_pledges = 0;  // cancelled or expired unpaid
  Money cancelled;
  std::int64_t outstanding_pledges = 0;
  Money outstanding;  // what the open ones still owe
  std::vector<OutstandingPledge> owing;
};

// Errors: campaign_not_found, and the database's.
std::expected<CloseOut, Error> closeout(sql::Connection& conn, const std::string& campaign);

}  // namespace boai::donations
