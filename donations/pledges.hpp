// Pledges: the checks a request must pass, and writing many of them in one transaction with their
// ledger entries, totals and outbox events. Idempotent on the client's key.
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct PledgeLimits {
  Money min_amount = Money::from_yuan(1);
  Money max_amount = Money::from_yuan(50'000);
  std::size_t name_chars = 32;
  std::size_t message_chars = 200;
  std::size_t contact_chars = 64;
};

// Checks that need no database. Errors: amount_out_of_range, text_invalid, too_long,
// idempotency_key_invalid, channel_invalid.
std::optional<Error> validate_pledge(const PledgeRequest& request, const PledgeLimits& limits);

// What makes two requests with one idempotency key "the same request".
std::string request_digest(const PledgeRequest& request);

struct PledgeBatchResult {
  std::vector<std::expected<Pledge, Error>> pledges;  // one per request, in order
  std::vector<DomainEvent> events;                    // to emit after commit
};

// One transaction for the whole batch; a request that fails its checks gets its error and writes
// nothing, the others go on. Errors for a request: the validate_pledge codes, campaign_not_found,
// campaign_closed, campaign_not_open, fund_not_found, idempotency_key_reused.
// The outer error (the transaction failed) means nothing of the batch was written.
std::expected<PledgeBatchResult, Error> write_pledges(sql::Connection& conn,
                                                      const std::vector<PledgeRequest>& requests,
                                                      const PledgeLimits& limits);

// The campaigns a writer read in its last batch, by slug. With them a batch reads its campaigns
// in the same round trip as its INSERT, and if what it read differs from them, it is rolled back
// and goes again with what it read: one round trip fewer a batch.
using CampaignCache = std::map<std::string, Campaign>;
std::expected<PledgeBatchResult, Error> write_pledges(sql::Connection& conn,
                                                      const std::vector<PledgeRequest>& requests,
                                                      const PledgeLimits& limits,
                                                      CampaignCache& cache);

std::expected<Pledge, Error> find_pledge(sql::Connection& conn, const std::string& reference);

// Cancels an unpaid pledge (kind "cancel") or marks it expired ("expire"). Errors:
// pledge_not_found, pledge_not_cancellable.
std::expected<Pledge, Error> cancel_pledge(sql::Connection& conn, const std::string& reference,
                                           const std::string& kind = "cancel");

namespace detail {

// cancel_pledge inside the caller's transaction (it takes the ledger head); the entry's memo is
// memo, or the new status when memo is empty.
std::expected<Pledge, Error> cancel_in(sql::Connection& tx, const std::string& reference,
                                       const std::string& kind, const std::string& memo);

}  // namespace detail

}  // namespace boai::donations
