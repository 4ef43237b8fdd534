// The plain records of the domain: what callers ask for and what they get back.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "donations/money.hpp"

namespace boai::donations {

struct Fund {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string description;
};

struct Campaign {
  std::int64_t id = 0;
  std::string slug;
  std::string title;
  Money goal;
  std::string status;  // draft, live, closed
  std::int64_t default_fund_id = 0;
  std::vector<Fund> funds;
};

// Money per campaign and fund, as the ledger sums it.
struct Totals {
  Money pledged;
  Money cancelled;
  Money received;
  Money refunded;
  Money spent;
  std::int64_t pledge_count = 0;
  // Charity sales, apart from gifts: orders, expired or cancelled orders, payments, refunds.
  Money sold;
  Money sale_cancelled;
  Money sale_received;
  Money sale_refunded;
  std::int64_t sale_count = 0;
  // Open pledges above a room's show_unpaid_up_to, unpaid part and number (donations/
  // held_pledges.hpp): filled in by the room's reads, zero in the ledger's own sums.
  Money held;
  std::int64_t held_count = 0;

  // What stands after cancellations and refunds.
  Money net_pledged() const { return Money::from_fen(pledged.fen() - cancelled.fen()); }
  // 已认捐 as the room, the video and the rooms list show it: held promises left out until paid.
  // (Never below zero: the two are read apart, and a pledge can be held before it is counted.)
  Money shown_pledged() const {
    return Money::from_fen(std::max<std::int64_t>(0, net_pledged().fen() - held.fen()));
  }
  std::int64_t shown_pledge_count() const {
    return std::max<std::int64_t>(0, pledge_count - held_count);
  }
  Money net_received() const { return Money::from_fen(received.fen() - refunded.fen()); }
  Money net_sold() const { return Money::from_fen(sold.fen() - sale_cancelled.fen()); }
  Money net_sale_received() const {
    return Money::from_fen(sale_received.fen() - sale_refunded.fen());
  }

  bool operator==(const Totals&) const = default;
};

struct PledgeRequest {
  std::string idempotency_key;
  std::string campaign;  // slug
  std::string fund;      // slug; empty: the campaign's default fund
  Money amount;
  std::string display_name;
  bool anonymous = false;
  std::string contact;  // finance only
  std::string message;
  std::string channel = "live";            // live, online, desk
  std::optional<std::string> target_kind;  // "wish", "sale"
  std::optional<std::int64_t> target_id;
};

struct Pledge {
  std::int64_t id = 0;
  std::string reference;
  std::int64_t campaign_id = 0;
  std::string campaign;
  std::int64_t fund_id = 0;
  std::string fund;
  Money amount;
  Money paid;
  Money refunded;
  std::string status;
  std::string public_name;  // masked
  std::string message;
  std::string channel;
  std::string target_kind;  // "" for a gift to a fund, "wish", or "sale" for a sale order
  std::int64_t created_us = 0;
  bool replayed = false;  // true when an idempotent retry returned an earlier pledge
};

struct PaymentRequest {
  std::string provider;  // wechat, alipay, bank, cash
  std::string provider_txn_id;
  Money amount;
  Money fee;
  std::optional<std::int64_t> paid_us;  // default: now
  std::string reference;                // the pledge's reference code, when known
  std::string payer_remark;             // free text; a reference code inside it is found
  std::string raw_notice;               // kept as received
  // A verified notice applies only as what its pledge still owes: with this set, a payment that
  // names no pledge, or another amount, is refused (pledge_not_found, amount_differs).
  bool exact_amount = false;
  // Kept in the general fund whatever reference or remark it names (the desk keeps money whose
  // pledge cannot take it as a gift).
  bool unmatched = false;
  // paid_us was typed by a person (boai payment add --paid-at): refused inside a closed period
  // (period_closed). A provider's own time (notices, statements) is kept as information only.
  bool paid_at_typed = false;
};

struct Receipt {
  std::string number;  // "2026-000001"
  Money amount;
  std::string status;  // valid, reduced, void
};

struct Payment {
  std::int64_t id = 0;
  std::string provider;
  std::string provider_txn_id;
  Money amount;
  Money fee;
  std::optional<Pledge> pledge;  // absent: unmatched, kept for finance
  std::optional<Receipt> receipt;
  bool replayed = false;  // the same notice was recorded before
};

struct ExpenditureRequest {
  std::string fund;      // slug
  std::string campaign;  // slug, optional
  Money amount;
  std::string purpose;
  std::string payee;
  std::string approved_by;
  std::string evidence_ref;
};

struct Expenditure {
  std::int64_t id = 0;
  std::int64_t fund_id = 0;
  Money amount;
  std::string purpose;
};

// Emitted after commit, in process; other nodes learn of them through the outbox and NOTIFY.
struct DomainEvent {
  std::string topic;  // pledge.created, payment.recorded, totals.changed
  std::int64_t campaign_id = 0;
  std::optional<Pledge> pledge;
  std::optional<Totals> totals;  // the campaign's, summed over its funds
};

}  // namespace boai::donations
