// Money that arrived (payments, with receipts when a pledge is paid in full) and money given back
// (refunds, which reduce or void the receipt), and money spent (expenditures).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <utility>

#include "base/error.hpp"
#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

class LedgerAppender;

// The most one payment or expenditure may be.
inline constexpr Money kMaxPayment = Money::from_yuan(10'000'000);

// Records a payment. It is matched to a pledge by reference (given, or found in the payer's
// remark); a payment that matches nothing is kept, unmatched, in the general fund. The same
// provider transaction recorded twice returns the first record (replayed). Errors:
// provider_invalid, txn_id_invalid, amount_out_of_range, fee_invalid, payment_conflict (same
// transaction id, different amount), pledge_not_found (a reference was given and is unknown),
// pledge_not_payable (cancelled, expired or refunded); with exact_amount, amount_differs (not
// what the pledge still owes) and pledge_not_found (no pledge named or found in the remark).
std::expected<Payment, Error> record_payment(sql::Connection& conn, const PaymentRequest& request);

// Gives back part or all of what a pledge received. Errors: pledge_not_found, amount_out_of_range
// (more than is left to refund), text_invalid.
std::expected<Pledge, Error> refund_pledge(sql::Connection& conn, const std::string& reference,
                                           Money amount, const std::string& reason);

// Errors: fund_not_found, campaign_not_found, amount_out_of_range, text_invalid, too_long;
// period_closed when spent_us (a date a person gave; default now) is in a closed period.
std::expected<Expenditure, Error> record_expenditure(
    sql::Connection& conn, const ExpenditureRequest& request,
    std::optional<std::int64_t> spent_us = std::nullopt);

namespace detail {

// A fund's id and, if a slug is given, a campaign's, by their slugs. Errors: fund_not_found,
// campaign_not_found.
std::expected<std::pair<std::int64_t, std::optional<std::int64_t>>, Error> fund_and_campaign(
    sql::Connection& tx, const std::string& fund_slug, const std::string& campaign_slug);

// record_payment inside the caller's transaction (it takes the ledger head).
std::expected<Payment, Error> record_payment_in(sql::Connection& tx, const PaymentRequest& request);

// A payment kept unmatched in the general fund, given to the pledge it turned out to pay: a
// correction_received entry takes it out of the general fund and a payment entry puts it in the
// pledge's fund and campaign (memo says why); the pledge is then paid as by a new payment.
// Errors: payment_not_found, payment_matched (it pays a pledge already), pledge_not_found,
// pledge_not_payable.
std::expected<Payment, Error> assign_payment_in(sql::Connection& tx, std::int64_t payment_id,
                                                const std::string& reference,
                                                const std::string& memo);

// refund_pledge inside the caller's transaction (it locks the head and the pledge); the reason is
// the caller's to check.
std::expected<Pledge, Error> refund_in(sql::Connection& tx, const std::string& reference,
                                       Money amount, const std::string& reason);

// Inside a transaction that holds the ledger head: checks the request, writes the expenditure and
// appends its entry (the caller finishes the appender). A wish's spending names the wish.
std::expected<Expenditure, Error> add_expenditure(
    sql::Connection& tx, LedgerAppender& ledger, const ExpenditureRequest& request,
    std::optional<std::int64_t> wish_id, std::optional<std::int64_t> spent_us = std::nullopt);

}  // namespace detail

std::expected<std::optional<Receipt>, Error> receipt_for(sql::Connection& conn,
                                                         std::int64_t pledge_id);

}  // namespace boai::donations
