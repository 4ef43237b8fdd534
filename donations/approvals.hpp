// Refunds at the finance desk: one person may give back up to the desk's limit; above it, one
// proposes and a different one approves (or rejects), and only the approval moves money.
// Blocking: run on a worker thread.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct RefundProposal {
  std::string reference;  // the pledge's
  Money amount;
  std::string reason;
  std::string by;  // the signed-in staff member
};

struct ApprovalRequest {
  std::int64_t id = 0;
  std::string kind;  // refund, write_off
  std::string reference;
  Money amount;
  std::string reason;
  std::string proposed_by;
  std::int64_t proposed_us = 0;
  std::string status;  // proposed, approved, rejected
  std::string decided_by;
  std::string note;
  std::int64_t exception_id = 0;  // the exception it would resolve (0: a refund from the lists)
};

// Either the refund was made (at or below the limit) or a request waits for a second person.
struct Proposed {
  std::optional<Pledge> refunded;
  std::optional<ApprovalRequest> request;
};

// Errors: text_invalid (no reason), amount_out_of_range (more than the pledge can give back),
// pledge_not_found, and refund_pledge's.
std::expected<Proposed, Error> propose_refund(sql::Connection& conn, const RefundProposal& proposal,
                                              Money approval_above);

// A second person decides. Errors: request_not_found, request_decided, same_person (the
// proposer), and, approving, the refund's own (then nothing is decided).
std::expected<ApprovalRequest, Error> decide_request(sql::Connection& conn, std::int64_t id,
                                                     bool approve, const std::string& by,
                                                     const std::string& note);

// Newest first; status "" for all.
std::expected<std::vector<ApprovalRequest>, Error> list_requests(sql::Connection& conn,
                                                                 const std::string& status);

}  // namespace boai::donations
