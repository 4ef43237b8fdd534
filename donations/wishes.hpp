// Red wishes (红心愿): a resident's small need, posted in a live room, vetted by staff, funded by
// gifts (wish_gifts.hpp) and fulfilled by spending. Blocking calls: run them on worker threads.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct WishRequest {
  std::string campaign;  // the room's slug
  std::string title;
  std::string story;
  std::string category;  // study, health, elderly, daily, other
  Money amount;
  std::string requester_name;
  std::string contact;  // staff only
  std::string session;  // who posted it, for the per-poster limit
  std::string address;
  std::string idempotency_key;  // empty: none; a retry with the same key returns the first wish
};

struct Wish {
  std::int64_t id = 0;
  std::int64_t campaign_id = 0;
  std::string campaign;
  std::int64_t fund_id = 0;
  std::string fund;
  std::string title;
  std::string story;
  std::string category;
  Money amount;
  Money pledged;
  int donor_count = 0;
  std::string requester_public;  // masked: 张*
  std::string contact;           // staff only: never in a viewer's frame, page or export
  std::string status;            // pending, approved, rejected, funded, fulfilled
  std::string reject_reason;
  std::string fulfil_note;
  std::string proof_file;  // a file name under the proofs folder, or ""
  std::int64_t created_us = 0;

  Money left() const { return Money::from_fen(amount.fen() - pledged.fen()); }
};

struct WishLimits {
  std::size_t title_chars = 40;
  std::size_t story_chars = 500;
  std::size_t name_chars = 20;
  std::size_t contact_chars = 64;
  Money max_amount = Money::from_yuan(50'000);
  int posts_per_hour_per_address = 5;
};

// The checks that need no database; the request as it will be stored. Errors: text_invalid,
// too_long, bad_request (an empty field), category_invalid, amount_out_of_range.
std::expected<WishRequest, Error> check_wish_request(const WishRequest& request,
                                                     const WishLimits& limits);

// check_wish_request's errors, campaign_not_found, rate_limited (too many from one address in
// an hour).
std::expected<Wish, Error> post_wish(sql::Connection& conn, const WishRequest& request,
                                     const WishLimits& limits);

// The public statuses, or one status (staff: "pending" too); campaign empty: every campaign.
std::expected<std::vector<Wish>, Error> list_wishes(sql::Connection& conn,
                                                    const std::string& campaign,
                                                    const std::vector<std::string>& statuses,
                                                    int limit = 200);
std::expected<std::vector<Wish>, Error> wishes_by_ids(sql::Connection& conn,
                                                      const std::vector<std::int64_t>& ids);
std::expected<Wish, Error> find_wish(sql::Connection& conn, std::int64_t id);

struct WishReview {
  std::int64_t id = 0;
  bool approve = false;
  std::string reason;  // a rejection's, which the poster sees
  std::optional<std::string> title, story;
  std::optional<Money> amount;
  std::string reviewer;
};
// A pending wish becomes approved (public, with the edits) or rejected. Errors: wish_not_found,
// wish_not_pending, bad_request (a rejection without a reason), and post_wish's text errors.
std::expected<Wish, Error> review_wish(sql::Connection& conn, const WishReview& review,
                                       const WishLimits& limits);

bool is_wish_category(const std::string& category);

}  // namespace boai::donations
