// Working the exception queue: finance staff resolve what notices and statements could not settle
// by themselves, each with a reason. Every resolution is a ledger entry (kind "resolution", no
// money: who, when, why), beside the entries of whatever money it moves; write-offs and refunds
// above the desk's limit are only proposed, and a second member's approval resolves them
// (approvals.hpp). Blocking: run on a worker thread.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/approvals.hpp"
#include "donations/money.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

// What staff may do (docs/FINANCE.md "Resolving exceptions"):
//   assign     the money belongs to the pledge `reference` (a candidate, or one staff found);
//   keep       the money stays a gift to the general fund, matched to no pledge;
//   accept     the amount that differs is what the donor paid: taken as it is;
//   write_off  an overdue pledge will never be paid: it is cancelled;
//   refund     the provider gave money back: the pledge's refund is recorded;
//   dismiss    nothing to record (a refund the ledger already shows another way).
struct Resolution {
  std::int64_t exception_id = 0;
  std::string action;
  std::string reason;
  std::string reference;  // assign: the pledge
  std::string by;         // the signed-in member
};

struct Resolved {
  std::int64_t exception_id = 0;
  std::string status;                      // resolved, or proposed (waiting for a second member)
  std::optional<std::int64_t> ledger_seq;  // the resolution's entry
  std::optional<ApprovalRequest> request;  // when proposed
};

// The actions that resolve an exception of this kind from this source (notice, statement,
// pledge); names_pledge: it concerns a known pledge.
std::vector<std::string> actions_for(const std::string& kind, const std::string& source,
                                     bool names_pledge);

// Errors: exception_not_found, exception_resolved, exception_proposed (waiting for approval),
// action_not_allowed (not an action for this kind of exception: the message lists those that
// are), reference_required, bad_request / too_long / text_invalid (the reason), line_not_posted,
// and the money's own (pledge_not_found, pledge_not_payable, pledge_not_cancellable,
// payment_matched, amount_out_of_range). Nothing is written unless all of it is.
std::expected<Resolved, Error> resolve_exception(sql::Connection& conn, const Resolution& r,
                                                 Money approval_above);

namespace detail {

// Inside a transaction that holds the exception's row: appends the resolution's entry and marks
// the exception resolved. `who` is the member, or "proposer / approver". Returns the entry's seq.
std::expected<std::int64_t, Error> close_exception(sql::Connection& tx, std::int64_t exception_id,
                                                   const std::string& action,
                                                   const std::string& reason,
                                                   const std::string& who);

// Puts a proposed exception back in the queue (its request was rejected).
std::expected<void, Error> reopen_exception(sql::Connection& tx, std::int64_t exception_id);

}  // namespace detail

}  // namespace boai::donations
