// Sale orders: placing one (head, then item row, then pledge, order, stock, entry and outbox in
// one transaction), finding them, expiring unpaid ones, handing over paid ones.
#include "donations/sale_orders.hpp"

#include <algorithm>
#include <cctype>

#include "donations/catalog.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/outbox.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/pledges.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

namespace {

using Refused = std::unexpected<SaleOrderRefusal>;

constexpr int kMaxOrderQuantity = 1000;

Refused refuse(Error e, int available = -1, int allowed = -1) {
  return Refused(SaleOrderRefusal{std::move(e), available, allowed});
}

// The columns order_from_row reads, beside kPledgeColumns.
constexpr const char* kOrderColumns =
    "o.item_id, i.title AS item_title, o.quantity, o.stage, "
    "floor(extract(epoch FROM o.expires_at) * 1000000)::bigint AS expires_us";
constexpr const char* kOrderFrom =
    " JOIN sale_orders o ON o.pledge_id = p.id JOIN sale_items i ON i.id = o.item_id";

std::expected<std::vector<SaleOrder>, Error> select_orders(sql::Connection& conn,
                                                           const std::string& where_and_order,
                                                           const sql::Params& params) {
  auto r = conn.exec(std::string("SELECT ") + detail::kPledgeColumns + ", " + kOrderColumns +
                         " FROM " + detail::kPledgeFrom + kOrderFrom + " WHERE " + where_and_order,
                     params);
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  detail::PledgeColumns columns(*r);
  std::vector<SaleOrder> out;
  for (int i = 0; i < r->rows(); ++i) {
    SaleOrder o;
    o.pledge = detail::pledge_from_row(*r, columns, i);
    o.item_id = r->int64(i, r->column("item_id"));
    o.item_title = r->text(i, r->column("item_title"));
    o.quantity = static_cast<int>(r->int64(i, r->column("quantity")));
    o.stage = r->text(i, r->column("stage"));
    o.expires_us = r->int64(i, r->column("expires_us"));
    out.push_back(std::move(o));
  }
  return out;
}

// The contact as the per-buyer limit counts it: no spaces, no case ("138 0000" is "1380000").
std::string buyer_key(const std::string& contact) {
  std::string key;
  for (unsigned char c : contact) {
    if (!std::isspace(c) && c != '-') {
      key += static_cast<char>(std::tolower(c));
    }
  }
  return key;
}

std::string order_digest(const SaleOrderRequest& r) {
  return sha256_hex("sale\ncampaign=" + r.campaign + "\nitem=" + std::to_string(r.item_id) +
                    "\nquantity=" + std::to_string(r.quantity) + "\nname=" + r.buyer_name +
                    "\ncontact=" + r.contact + "\nchannel=" + r.channel);
}

std::optional<Error> check_request(SaleOrderRequest& r) {
  const auto& key = r.idempotency_key;
  bool key_ok = key.size() >= 8 && key.size() <= 128 &&
                std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
  if (!key_ok) {
    return make_error("idempotency_key_invalid",
                      "an idempotency key is 8 to 128 visible ASCII characters");
  }
  if (r.quantity < 1 || r.quantity > kMaxOrderQuantity) {
    return make_error("quantity_invalid", "an order is for 1 to 1,000 pieces");
  }
  auto name = checked_text("the buyer's name", r.buyer_name, 40);
  auto contact = checked_text("the contact", r.contact, 64);
  if (!name || !contact) {
    return !name ? name.error() : contact.error();
  }
  r.buyer_name = *name;
  r.contact = *contact;
  return std::nullopt;
}

// The order placed earlier with this key, when there is one.
std::expected<std::optional<SaleOrder>, Error> earlier_order(sql::Connection& tx,
                                                             const SaleOrderRequest& request) {
  auto r = tx.exec("SELECT reference, request_digest FROM pledges WHERE idempotency_key = $1",
                   sql::params(request.idempotency_key));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  if (r->rows() == 0) {
    return std::nullopt;
  }
  if (r->text(0, 1) != order_digest(request)) {
    return std::unexpected(make_error("idempotency_key_reused",
                                      "this idempotency key was used for a different request"));
  }
  auto order = find_sale_order(tx, std::string(r->text(0, 0)));
  if (!order) {
    return std::unexpected(order.error());
  }
  order->pledge.replayed = true;
  return *order;
}

// The item's row, locked, if it can be sold to this buyer in this quantity.
std::expected<SaleItem, SaleOrderRefusal> lockable_item(sql::Connection& tx,
                                                        const SaleOrderRequest& r) {
  auto locked = tx.exec(std::string("SELECT ") + detail::kSaleItemColumns + " FROM " +
                            detail::kSaleItemFrom + " WHERE i.id = $1 FOR UPDATE OF i",
                        sql::params(r.item_id));
  if (!locked) {
    return refuse(sql::db_failure(locked.error()));
  }
  if (locked->rows() == 0) {
    return refuse(make_error("item_not_found", "no sale item " + std::to_string(r.item_id)));
  }
  SaleItem item = detail::sale_item_from_row(*locked, 0);
  if (item.status != "open") {
    return refuse(make_error("sale_closed", "this item is no longer for sale"));
  }
  if (item.available < r.quantity) {
    return refuse(make_error("sold_out", item.available == 0
                                             ? "sold out"
                                             : "only " + std::to_string(item.available) + " left"),
                  item.available);
  }
  if (item.per_buyer > 0) {
    auto held = tx.exec(
        "SELECT coalesce(sum(quantity), 0) FROM sale_orders WHERE item_id = $1 AND buyer_key = $2 "
        "AND stage NOT IN ('expired', 'refunded')",
        sql::params(item.id, buyer_key(r.contact)));
    if (!held) {
      return refuse(sql::db_failure(held.error()));
    }
    int allowed = item.per_buyer - static_cast<int>(held->int64(0, 0));
    if (r.quantity > allowed) {
      return refuse(make_error("over_limit", "each buyer may take " +
                                                 std::to_string(item.per_buyer) + " of this item"),
                    item.available, std::max(allowed, 0));
    }
  }
  return item;
}

// The pledge and the order row; returns the pledge's id.
std::expected<std::int64_t, Error> insert_order(sql::Connection& tx, const SaleOrderRequest& r,
                                                const Campaign& campaign, const SaleItem& item) {
  auto pledge = tx.exec(
      "INSERT INTO pledges (reference, campaign_id, fund_id, target_kind, target_id, amount_fen, "
      "donor_name, contact, message, channel, idempotency_key, request_digest) "
      "VALUES ($1, $2, $3, 'sale', $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
      sql::params(new_reference_code(), campaign.id, item.fund_id, item.id,
                  item.price.fen() * r.quantity, r.buyer_name, r.contact,
                  item.title + " ×" + std::to_string(r.quantity), r.channel, r.idempotency_key,
                  order_digest(r)));
  if (!pledge) {
    return std::unexpected(sql::db_failure(pledge.error()));
  }
  std::int64_t id = pledge->int64(0, 0);
  auto order = tx.exec(
      "INSERT INTO sale_orders (pledge_id, item_id, quantity, buyer_key, expires_at) "
      "VALUES ($1, $2, $3, $4, now() + $5::bigint * interval '1 second')",
      sql::params(id, item.id, r.quantity, buyer_key(r.contact), r.hold.count()));
  auto stock =
      tx.exec("UPDATE sale_items SET available = available - $2, updated_at = now() WHERE id = $1",
              sql::params(item.id, r.quantity));
  if (!order || !stock) {
    return std::unexpected(sql::db_failure(!order ? order.error() : stock.error()));
  }
  return id;
}

// With the head locked: the room, the item, the order, its entry and the outbox.
std::expected<PlacedOrder, SaleOrderRefusal> place_locked(sql::Connection& tx,
                                                          LedgerAppender& ledger,
                                                          const SaleOrderRequest& r) {
  auto campaign = find_campaign(tx, r.campaign);
  if (!campaign) {
    return refuse(campaign.error());
  }
  if (campaign->status == "closed") {
    return refuse(make_error("sale_closed", "this room has closed"));
  }
  auto item = lockable_item(tx, r);
  if (!item) {
    return std::unexpected(item.error());
  }
  auto id = insert_order(tx, r, *campaign, *item);
  if (!id) {
    return refuse(id.error());
  }
  auto orders = select_orders(tx, "p.id = $1", sql::params(*id));
  if (!orders || orders->empty()) {
    return refuse(orders ? make_error("order_not_found", "the order vanished") : orders.error());
  }
  SaleOrder& order = orders->front();
  ledger.append(detail::pledge_entry(
      order.pledge, "sale",
      "item #" + std::to_string(item->id) + " ×" + std::to_string(r.quantity)));
  if (auto done = ledger.finish(); !done) {
    return refuse(done.error());
  }
  if (auto out = add_outbox_event(tx, "sale.ordered", campaign->id, *id); !out) {
    return refuse(out.error());
  }
  auto after = find_sale_item(tx, item->id);
  if (!after) {
    return refuse(after.error());
  }
  return PlacedOrder{std::move(order), *after};
}

// An order that ends unsold (expired, cancelled, refunded before hand-over) gives its pieces back,
// in one statement. from_stage: the stage it must be in ("" for any).
std::expected<void, Error> end_unsold(sql::Connection& tx, std::int64_t pledge_id,
                                      const char* stage, const char* from_stage) {
  auto r = tx.exec(
      "WITH o AS (UPDATE sale_orders SET stage = $2, updated_at = now() "
      "           WHERE pledge_id = $1 AND ($3 = '' OR stage = $3) RETURNING item_id, quantity) "
      "UPDATE sale_items i SET available = i.available + o.quantity, updated_at = now() "
      "FROM o WHERE i.id = o.item_id",
      sql::params(pledge_id, stage, from_stage));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  return {};
}

}  // namespace

std::expected<PlacedOrder, SaleOrderRefusal> place_sale_order(sql::Connection& conn,
                                                              const SaleOrderRequest& given) {
  SaleOrderRequest request = given;
  if (auto e = check_request(request)) {
    return refuse(*e);
  }
  return sql::in_transaction(
      conn, [&](sql::Connection& tx) -> std::expected<PlacedOrder, SaleOrderRefusal> {
        auto ledger = LedgerAppender::lock(tx);
        if (!ledger) {
          return refuse(ledger.error());
        }
        auto earlier = earlier_order(tx, request);
        if (!earlier) {
          return refuse(earlier.error());
        }
        if (*earlier) {
          auto item = find_sale_item(tx, (*earlier)->item_id);
          if (!item) {
            return refuse(item.error());
          }
          return PlacedOrder{**earlier, *item};
        }
        return place_locked(tx, *ledger, request);
      });
}

std::expected<SaleOrder, Error> find_sale_order(sql::Connection& conn,
                                                const std::string& reference) {
  auto orders = select_orders(conn, "p.reference = $1", sql::params(reference));
  if (!orders) {
    return std::unexpected(orders.error());
  }
  if (orders->empty()) {
    return std::unexpected(make_error("order_not_found", "no order " + reference));
  }
  return orders->front();
}

std::expected<std::vector<SaleOrder>, Error> list_sale_orders(sql::Connection& conn,
                                                              std::int64_t item_id, int limit) {
  return select_orders(conn, "($1 = 0 OR o.item_id = $1) ORDER BY p.id DESC LIMIT $2",
                       sql::params(item_id, limit));
}

std::expected<std::vector<SaleOrder>, Error> expire_sale_orders(sql::Connection& conn, int limit) {
  auto due = conn.exec(
      "SELECT p.reference FROM sale_orders o JOIN pledges p ON p.id = o.pledge_id "
      "WHERE o.stage = 'awaiting_payment' AND o.expires_at <= now() AND p.status = 'pledged' "
      "ORDER BY o.expires_at LIMIT $1",
      sql::params(limit));
  if (!due) {
    return std::unexpected(sql::db_failure(due.error()));
  }
  std::vector<SaleOrder> expired;
  for (int i = 0; i < due->rows(); ++i) {
    std::string reference(due->text(i, 0));
    // A payment may have come in since the list was read: then it is not cancellable, and stays.
    if (auto cancelled = cancel_pledge(conn, reference, "expire"); !cancelled) {
      if (cancelled.error().code == "pledge_not_cancellable") {
        continue;
      }
      return std::unexpected(cancelled.error());
    }
    auto order = find_sale_order(conn, reference);
    if (!order) {
      return std::unexpected(order.error());
    }
    expired.push_back(std::move(*order));
  }
  return expired;
}

std::expected<SaleOrder, Error> hand_over_sale_order(sql::Connection& conn,
                                                     const std::string& reference,
                                                     const std::string& stage) {
  if (stage != "picked_up" && stage != "delivered") {
    return std::unexpected(make_error("bad_request", "an order is picked_up or delivered"));
  }
  auto order = find_sale_order(conn, reference);
  if (!order) {
    return std::unexpected(order.error());
  }
  auto r = conn.exec(
      "UPDATE sale_orders SET stage = $2, updated_at = now() WHERE pledge_id = $1 "
      "AND stage IN ('to_fulfil', 'picked_up', 'delivered') RETURNING pledge_id",
      sql::params(order->pledge.id, stage));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(
        make_error("order_not_paid", "order " + reference + " is " + order->stage + ", not paid"));
  }
  return find_sale_order(conn, reference);
}

namespace detail {

std::expected<void, Error> release_sale_order(sql::Connection& tx, LedgerAppender& ledger,
                                              const Pledge& pledge, bool expired) {
  if (auto back = end_unsold(tx, pledge.id, "expired", ""); !back) {
    return back;
  }
  ledger.append(pledge_entry(pledge, expired ? "sale_expire" : "sale_cancel",
                             expired ? "expired unpaid" : "cancelled"));
  return {};
}

std::expected<void, Error> refund_sale_order(sql::Connection& tx, const Pledge& pledge) {
  return end_unsold(tx, pledge.id, "refunded", "to_fulfil");
}

std::expected<void, Error> mark_sale_order_paid(sql::Connection& tx, const Pledge& pledge) {
  auto r = tx.exec(
      "UPDATE sale_orders SET stage = 'to_fulfil', updated_at = now() WHERE pledge_id = $1 "
      "AND stage = 'awaiting_payment'",
      sql::params(pledge.id));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  return {};
}

}  // namespace detail

}  // namespace boai::donations
