// Orders of charity-sale items: an order is a pledge of target kind "sale" (reference,
// idempotency, payment and ledger as any pledge's, with entry kinds of its own) and a sale_orders
// row for what it holds. Placing one locks the chain head, then the item's row, so stock is taken
// in one order on every node: never more than the item has.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/ledger_appender.hpp"
#include "donations/records.hpp"
#include "donations/sales.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct SaleOrderRequest {
  std::string idempotency_key;
  std::string campaign;  // the room's slug
  std::int64_t item_id = 0;
  int quantity = 0;
  std::string buyer_name;
  std::string contact;  // staff only: who to call for pickup or delivery
  std::string channel = "live";
  std::chrono::seconds hold{30 * 60};  // how long an unpaid order keeps its stock
};

struct SaleOrder {
  Pledge pledge;  // reference, amount, paid, status; target_kind "sale"
  std::int64_t item_id = 0;
  std::string item_title;
  int quantity = 0;
  std::int64_t expires_us = 0;
  std::string stage;  // awaiting_payment, to_fulfil, picked_up, delivered, expired
};

struct PlacedOrder {
  SaleOrder order;
  SaleItem item;  // after the order
};

struct SaleOrderRefusal {
  Error error;
  int available = -1;  // sold_out: what is left
  int allowed = -1;    // over_limit: what this buyer may still take
};

// A retry with the same idempotency key returns the first order (pledge.replayed). Errors:
// idempotency_key_invalid, quantity_invalid (1 to 1,000), bad_request, text_invalid, too_long,
// item_not_found, sale_closed (withdrawn item or closed room), campaign_not_found, sold_out,
// over_limit, idempotency_key_reused.
std::expected<PlacedOrder, SaleOrderRefusal> place_sale_order(sql::Connection& conn,
                                                              const SaleOrderRequest& request);

// Errors: order_not_found.
std::expected<SaleOrder, Error> find_sale_order(sql::Connection& conn,
                                                const std::string& reference);
// Orders of an item (all items: 0), newest first, at most `limit`.
std::expected<std::vector<SaleOrder>, Error> list_sale_orders(sql::Connection& conn,
                                                              std::int64_t item_id, int limit);

// Unpaid orders past their time, each expired in a transaction of its own (stock returned, a
// sale_expire entry): at most `limit`, oldest first. Returns those it expired.
std::expected<std::vector<SaleOrder>, Error> expire_sale_orders(sql::Connection& conn, int limit);

// A paid order handed over: stage picked_up or delivered. Errors: order_not_found,
// order_not_paid, bad_request (another stage).
std::expected<SaleOrder, Error> hand_over_sale_order(sql::Connection& conn,
                                                     const std::string& reference,
                                                     const std::string& stage);

namespace detail {
// Inside a transaction holding the head and the pledge: the order's stock goes back to its item
// and a sale_expire or sale_cancel entry is staged (cancel_pledge calls this for sale orders).
std::expected<void, Error> release_sale_order(sql::Connection& tx, LedgerAppender& ledger,
                                              const Pledge& pledge, bool expired);
// Inside a refund's transaction, when the whole order is refunded: one not yet handed over is
// `refunded` and its stock goes back to its item.
std::expected<void, Error> refund_sale_order(sql::Connection& tx, const Pledge& pledge);
// Inside a paying transaction: a fully paid order goes to fulfilment.
std::expected<void, Error> mark_sale_order_paid(sql::Connection& tx, const Pledge& pledge);
}  // namespace detail

}  // namespace boai::donations
