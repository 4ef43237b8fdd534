// give_to_wish: the chain head, then the wish's row, then the pledge, its entries and the outbox,
// in one transaction (every money-changing transaction locks the head first).
#include "donations/wish_gifts.hpp"

#include "donations/catalog.hpp"
#include "donations/ledger_appender.hpp"
#include "donations/outbox.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/pledges.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

namespace {

using Refused = std::unexpected<WishGiftRefusal>;

Refused refuse(Error e, Money left = {}) {
  return Refused(WishGiftRefusal{std::move(e), left});
}

// The first gift made with this key, when there is one.
std::expected<std::optional<Pledge>, Error> earlier_gift(sql::Connection& tx,
                                                         const PledgeRequest& request) {
  auto r = tx.exec("SELECT reference, request_digest FROM pledges WHERE idempotency_key = $1",
                   sql::params(request.idempotency_key));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  if (r->rows() == 0) {
    return std::nullopt;
  }
  if (r->text(0, 1) != request_digest(request)) {
    return std::unexpected(make_error("idempotency_key_reused",
                                      "this idempotency key was used for a different pledge"));
  }
  auto p = detail::select_pledge(tx, "p.reference = $1", sql::params(r->text(0, 0)), false);
  if (!p) {
    return std::unexpected(p.error());
  }
  (*p)->replayed = true;
  return *p;
}

std::expected<std::int64_t, Error> insert_pledge(sql::Connection& tx, const PledgeRequest& r,
                                                 const Campaign& campaign, const Wish& wish,
                                                 const std::string& reference) {
  auto inserted = tx.exec(
      "INSERT INTO pledges (reference, campaign_id, fund_id, target_kind, target_id, amount_fen, "
      "donor_name, anonymous, contact, message, channel, idempotency_key, request_digest) "
      "VALUES ($1, $2, $3, 'wish', $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
      sql::params(reference, campaign.id, wish.fund_id, wish.id, r.amount.fen(), r.display_name,
                  r.anonymous ? "t" : "f", r.contact, r.message, r.channel, r.idempotency_key,
                  request_digest(r)));
  if (!inserted) {
    return std::unexpected(sql::db_failure(inserted.error()));
  }
  return inserted->int64(0, 0);
}

// A gift's entry: the wish's part names the wish; the rest to the fund names none.
LedgerEntry gift_entry(const Pledge& p, Money amount, std::optional<std::int64_t> wish_id,
                       const std::string& memo) {
  LedgerEntry entry = detail::pledge_entry(p, "pledge", memo);
  entry.amount_fen = amount.fen();
  entry.object_id = wish_id;
  return entry;
}

// Inside the transaction, with the head locked: the wish, the pledge, the entries, the outbox.
std::expected<WishGift, WishGiftRefusal> give_locked(sql::Connection& tx, LedgerAppender& ledger,
                                                     const PledgeRequest& request,
                                                     std::int64_t wish_id, bool rest_to_fund) {
  auto campaign = find_campaign(tx, request.campaign);
  if (!campaign) {
    return refuse(campaign.error());
  }
  if (campaign->status == "closed") {
    return refuse(make_error("campaign_closed", "this campaign has closed"));
  }
  auto locked = tx.exec("SELECT 1 FROM wishes WHERE id = $1 FOR UPDATE", sql::params(wish_id));
  if (!locked) {
    return refuse(sql::db_failure(locked.error()));
  }
  auto wish = find_wish(tx, wish_id);
  if (!wish) {
    return refuse(wish.error());
  }
  if (wish->status != "approved") {
    return refuse(
        make_error("wish_not_open", "this wish is " + wish->status + " and takes no gifts"));
  }
  Money left = wish->left();
  if (request.amount > left && !rest_to_fund) {
    return refuse(make_error("wish_overfunded", "this wish needs only " + left.format() + " more"),
                  left);
  }
  Money to_wish = std::min(request.amount, left);
  Money rest = Money::from_fen(request.amount.fen() - to_wish.fen());
  std::string reference = new_reference_code();
  auto id = insert_pledge(tx, request, *campaign, *wish, reference);
  if (!id) {
    return refuse(id.error());
  }
  auto counted = tx.exec(
      "UPDATE wishes SET pledged_fen = pledged_fen + $2, donor_count = donor_count + 1, "
      "status = CASE WHEN pledged_fen + $2 = amount_fen THEN 'funded' ELSE status END, "
      "updated_at = now() WHERE id = $1",
      sql::params(wish_id, to_wish.fen()));
  if (!counted) {
    return refuse(sql::db_failure(counted.error()));
  }
  auto pledge = detail::select_pledge(tx, "p.id = $1", sql::params(*id), false);
  if (!pledge || !*pledge) {
    return refuse(pledge ? make_error("pledge_not_found", "the gift vanished") : pledge.error());
  }
  ledger.append(gift_entry(**pledge, to_wish, wish_id, "wish #" + std::to_string(wish_id)));
  if (rest.fen() > 0) {
    ledger.append(gift_entry(**pledge, rest, std::nullopt, "rest to fund " + wish->fund));
  }
  if (auto done = ledger.finish(); !done) {
    return refuse(done.error());
  }
  if (auto out = add_outbox_event(tx, "pledge.created", campaign->id, *id); !out) {
    return refuse(out.error());
  }
  auto totals = campaign_totals(tx, campaign->id);
  auto after = find_wish(tx, wish_id);
  if (!totals || !after) {
    return refuse(!totals ? totals.error() : after.error());
  }
  std::vector<DomainEvent> events = {
      DomainEvent{"pledge.created", campaign->id, **pledge, std::nullopt},
      DomainEvent{"totals.changed", campaign->id, std::nullopt, *totals}};
  return WishGift{**pledge, *after, std::move(events)};
}

}  // namespace

std::expected<WishGift, WishGiftRefusal> give_to_wish(sql::Connection& conn,
                                                      const PledgeRequest& request,
                                                      std::int64_t wish_id, bool rest_to_fund) {
  if (auto e = validate_pledge(request, PledgeLimits{})) {
    return refuse(*e);
  }
  using Result = std::expected<WishGift, WishGiftRefusal>;
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> Result {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger) {
      return refuse(ledger.error());
    }
    auto earlier = earlier_gift(tx, request);
    if (!earlier) {
      return refuse(earlier.error());
    }
    if (*earlier) {
      auto wish = find_wish(tx, wish_id);
      if (!wish) {
        return refuse(wish.error());
      }
      return WishGift{**earlier, *wish, {}};
    }
    return give_locked(tx, *ledger, request, wish_id, rest_to_fund);
  });
}

}  // namespace boai::donations
