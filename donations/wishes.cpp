// Wishes in PostgreSQL: posting with its checks, review, the public lists, fulfilment.
#include "donations/wishes.hpp"

#include <algorithm>

#include "donations/catalog.hpp"
#include "donations/text_rules.hpp"
#include "sql/array_param.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

namespace {

// The columns wish_from_row reads, in its order.
constexpr const char* kWishColumns =
    "w.id, w.campaign_id, c.slug AS campaign, w.fund_id, f.slug AS fund, w.title, w.story, "
    "w.category, w.amount_fen, w.pledged_fen, w.donor_count, w.requester_name, w.contact, "
    "w.status, w.reject_reason, w.fulfil_note, w.proof_file, "
    "floor(extract(epoch FROM w.created_at) * 1000000)::bigint AS created_us";
constexpr const char* kWishFrom =
    "wishes w JOIN campaigns c ON c.id = w.campaign_id JOIN funds f ON f.id = w.fund_id";

Wish wish_from_row(const sql::Result& r, int i) {
  auto text = [&](const char* name) { return std::string(r.text(i, r.column(name))); };
  auto number = [&](const char* name) { return r.int64(i, r.column(name)); };
  Wish w;
  w.id = number("id");
  w.campaign_id = number("campaign_id");
  w.campaign = text("campaign");
  w.fund_id = number("fund_id");
  w.fund = text("fund");
  w.title = text("title");
  w.story = text("story");
  w.category = text("category");
  w.amount = Money::from_fen(number("amount_fen"));
  w.pledged = Money::from_fen(number("pledged_fen"));
  w.donor_count = static_cast<int>(number("donor_count"));
  w.requester_public = mask_name(text("requester_name"), false);
  w.contact = text("contact");
  w.status = text("status");
  w.reject_reason = text("reject_reason");
  w.fulfil_note = text("fulfil_note");
  w.proof_file = text("proof_file");
  w.created_us = number("created_us");
  return w;
}

std::expected<std::vector<Wish>, Error> select_wishes(sql::Connection& conn,
                                                      const std::string& where_and_order,
                                                      const sql::Params& params) {
  auto r = conn.exec(
      std::string("SELECT ") + kWishColumns + " FROM " + kWishFrom + " WHERE " + where_and_order,
      params);
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  std::vector<Wish> out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(wish_from_row(*r, i));
  }
  return out;
}

// The wish posted earlier with this key, if any (none for an empty key).
std::expected<std::optional<Wish>, Error> wish_by_key(sql::Connection& conn,
                                                      const std::string& key) {
  if (key.empty()) {
    return std::nullopt;
  }
  auto found = select_wishes(conn, "w.idempotency_key = $1", sql::params(key));
  if (!found) {
    return std::unexpected(found.error());
  }
  if (found->empty()) {
    return std::nullopt;
  }
  return found->front();
}

std::optional<Error> check_amount(Money amount, const WishLimits& limits) {
  if (amount.fen() < 100 || amount > limits.max_amount) {
    return make_error("amount_out_of_range", "a wish is " + Money::from_yuan(1).format() + " to " +
                                                 limits.max_amount.format());
  }
  return std::nullopt;
}

}  // namespace

std::expected<WishRequest, Error> check_wish_request(const WishRequest& r,
                                                     const WishLimits& limits) {
  WishRequest out = r;
  auto title = checked_text("the title", r.title, limits.title_chars);
  auto story = checked_text("the story", r.story, limits.story_chars);
  auto name = checked_text("the name", r.requester_name, limits.name_chars);
  auto contact = checked_text("the contact", r.contact, limits.contact_chars);
  for (const auto* field : {&title, &story, &name, &contact}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  if (!is_wish_category(r.category)) {
    return std::unexpected(
        make_error("category_invalid", "a category is study, health, elderly, daily or other"));
  }
  if (auto e = check_amount(r.amount, limits)) {
    return std::unexpected(*e);
  }
  const auto& key = r.idempotency_key;
  bool key_ok = key.empty() ||
                (key.size() >= 8 && key.size() <= 128 &&
                 std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; }));
  if (!key_ok) {
    return std::unexpected(make_error("idempotency_key_invalid",
                                      "an idempotency key is 8 to 128 visible ASCII characters"));
  }
  out.title = *title;
  out.story = *story;
  out.requester_name = *name;
  out.contact = *contact;
  return out;
}

bool is_wish_category(const std::string& category) {
  static const std::vector<std::string> kCategories = {"study", "health", "elderly", "daily",
                                                       "other"};
  return std::find(kCategories.begin(), kCategories.end(), category) != kCategories.end();
}

std::expected<Wish, Error> post_wish(sql::Connection& conn, const WishRequest& request,
                                     const WishLimits& limits) {
  auto r = check_wish_request(request, limits);
  if (!r) {
    return std::unexpected(r.error());
  }
  if (auto earlier = wish_by_key(conn, r->idempotency_key); !earlier || *earlier) {
    return earlier ? **earlier : std::expected<Wish, Error>(std::unexpected(earlier.error()));
  }
  auto campaign = find_campaign(conn, r->campaign);
  if (!campaign) {
    return std::unexpected(campaign.error());
  }
  // The per-address limit is counted and the wish written in one statement: two posts at once
  // from one address cannot both pass.
  auto inserted = conn.exec(
      "INSERT INTO wishes (campaign_id, fund_id, title, story, category, amount_fen, "
      "requester_name, contact, posted_session, posted_address, idempotency_key) "
      "SELECT $1, (SELECT id FROM funds WHERE slug = 'wishes'), $2, $3, $4, $5, $6, $7, $8, $9, "
      "nullif($11, '') "
      "WHERE (SELECT count(*) FROM wishes WHERE posted_address = $9 AND $9 <> '' "
      "       AND created_at > now() - interval '1 hour') < $10 "
      "RETURNING id",
      sql::params(campaign->id, r->title, r->story, r->category, r->amount.fen(), r->requester_name,
                  r->contact, r->session, r->address, limits.posts_per_hour_per_address,
                  r->idempotency_key));
  if (!inserted) {
    // The same key posted at the same moment from another connection: that one is the wish.
    auto earlier = wish_by_key(conn, r->idempotency_key);
    if (earlier && *earlier) {
      return **earlier;
    }
    return std::unexpected(sql::db_failure(inserted.error()));
  }
  if (inserted->rows() == 0) {
    return std::unexpected(
        make_error("rate_limited", "too many wishes from here this hour; try again later"));
  }
  return find_wish(conn, inserted->int64(0, 0));
}

std::expected<Wish, Error> find_wish(sql::Connection& conn, std::int64_t id) {
  auto found = select_wishes(conn, "w.id = $1", sql::params(id));
  if (!found) {
    return std::unexpected(found.error());
  }
  if (found->empty()) {
    return std::unexpected(make_error("wish_not_found", "no wish #" + std::to_string(id)));
  }
  return found->front();
}

std::expected<std::vector<Wish>, Error> list_wishes(sql::Connection& conn,
                                                    const std::string& campaign,
                                                    const std::vector<std::string>& statuses,
                                                    int limit) {
  sql::ArrayParam wanted;
  for (const auto& s : statuses) {
    wanted.add(s);
  }
  return select_wishes(conn,
                       "w.status = ANY($1::text[]) AND ($2 = '' OR c.slug = $2) "
                       "ORDER BY w.id DESC LIMIT $3",
                       sql::Params{wanted.param(), sql::param(campaign), sql::param(limit)});
}

std::expected<std::vector<Wish>, Error> wishes_by_ids(sql::Connection& conn,
                                                      const std::vector<std::int64_t>& ids) {
  sql::ArrayParam wanted;
  for (auto id : ids) {
    wanted.add(id);
  }
  return select_wishes(conn, "w.id = ANY($1::bigint[]) ORDER BY w.id", sql::Params{wanted.param()});
}

std::expected<Wish, Error> review_wish(sql::Connection& conn, const WishReview& review,
                                       const WishLimits& limits) {
  if (!review.approve && trim_text(review.reason).empty()) {
    return std::unexpected(make_error("bad_request", "a rejection needs a reason the poster sees"));
  }
  auto reason = checked_text("the reason", review.reason, 200, false);
  std::optional<std::string> title, story;
  if (review.title) {
    auto t = checked_text("the title", *review.title, limits.title_chars);
    if (!t) {
      return std::unexpected(t.error());
    }
    title = *t;
  }
  if (review.story) {
    auto t = checked_text("the story", *review.story, limits.story_chars);
    if (!t) {
      return std::unexpected(t.error());
    }
    story = *t;
  }
  if (!reason) {
    return std::unexpected(reason.error());
  }
  if (review.amount) {
    if (auto e = check_amount(*review.amount, limits)) {
      return std::unexpected(*e);
    }
  }
  std::optional<std::int64_t> amount;
  if (review.amount) {
    amount = review.amount->fen();
  }
  auto updated = conn.exec(
      "UPDATE wishes SET status = $2, reject_reason = $3, title = coalesce($4, title), "
      "story = coalesce($5, story), amount_fen = coalesce($6::bigint, amount_fen), "
      "reviewed_by = $7, updated_at = now() WHERE id = $1 AND status = 'pending' RETURNING id",
      sql::Params{sql::param(review.id), sql::param(review.approve ? "approved" : "rejected"),
                  sql::param(review.approve ? std::string() : *reason), sql::param(title),
                  sql::param(story), amount ? sql::param(*amount) : sql::Param{},
                  sql::param(review.reviewer)});
  if (!updated) {
    return std::unexpected(sql::db_failure(updated.error()));
  }
  if (updated->rows() == 0) {
    auto wish = find_wish(conn, review.id);
    if (!wish) {
      return std::unexpected(wish.error());
    }
    return std::unexpected(make_error(
        "wish_not_pending",
        "wish #" + std::to_string(review.id) + " is " + wish->status + ", not waiting for review"));
  }
  return find_wish(conn, review.id);
}

}  // namespace boai::donations
