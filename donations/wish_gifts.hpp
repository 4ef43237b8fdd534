// A gift to a red wish: a pledge whose money counts toward the wish, written in a transaction of
// its own that holds the wish's row, so a wish is never pledged past what it needs.
#pragma once

#include <cstdint>
#include <expected>
#include <vector>

#include "base/error.hpp"
#include "donations/records.hpp"
#include "donations/wishes.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct WishGift {
  Pledge pledge;
  Wish wish;                        // after the gift
  std::vector<DomainEvent> events;  // pledge.created and totals.changed, to emit after commit
};

struct WishGiftRefusal {
  Error error;
  Money left;  // wish_overfunded: what the wish still needs
};

// The pledge request's campaign is the room's; its fund is ignored (the wish names one).
// rest_to_fund: a gift above what the wish still needs is split, the rest going to the wish's
// fund as an ordinary gift (two ledger entries, one pledge and reference). A retry with the same
// idempotency key returns the first gift. Errors: validate_pledge's codes, wish_not_found,
// wish_not_open (pending, rejected, funded, fulfilled), wish_overfunded (with what is left),
// campaign_not_found, campaign_closed, idempotency_key_reused.
std::expected<WishGift, WishGiftRefusal> give_to_wish(sql::Connection& conn,
                                                      const PledgeRequest& request,
                                                      std::int64_t wish_id, bool rest_to_fund);

}  // namespace boai::donations
