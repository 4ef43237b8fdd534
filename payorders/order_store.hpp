// pay_orders' SQL (migration 0014): the pledge an order is for, the one order row per
// (reference, provider) taken under its lock, and the poller's two lists.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "payorders/provider_api.hpp"
#include "sql/connection.hpp"

namespace boai::payorders {

struct PledgeToPay {
  std::int64_t id = 0;
  std::string reference;
  std::string kind;  // gift, wish, sale
  std::string status;
  donations::Money owed;  // amount less what has been paid
};

struct PayOrder {
  std::int64_t id = 0;
  std::int64_t pledge_id = 0;
  std::string reference;
  std::string provider;
  std::string method;
  donations::Money amount;
  std::string status;  // created, paid, closed, failed
  OrderMade made;
  std::string detail;
  bool fresh = false;  // inserted by this call: the provider has not been asked yet
};

// Errors: pledge_not_found; the database's.
std::expected<PledgeToPay, Error> pledge_to_pay(sql::Connection& conn,
                                                const std::string& reference);

// Inserts the order if (reference, provider) has none, then takes the row's lock (inside a
// transaction: the caller's). Errors: the database's.
std::expected<PayOrder, Error> lock_order(sql::Connection& conn, const PledgeToPay& pledge,
                                          const std::string& provider, const std::string& method,
                                          const std::string& openid);

// After the provider answered: created with what the page needs, or failed with why.
std::expected<void, Error> save_made(sql::Connection& conn, std::int64_t order_id,
                                     const std::string& method, donations::Money amount,
                                     const OrderMade& made);
std::expected<void, Error> save_failed(sql::Connection& conn, std::int64_t order_id,
                                       const std::string& detail);

// An order as it stands, by reference and provider, or any provider's when provider is empty.
std::expected<std::vector<PayOrder>, Error> orders_for(sql::Connection& conn,
                                                       const std::string& reference);

// The poller's lists: open orders whose pledge takes no more money, and open orders with no
// word from the provider for long enough (query_after seconds, doubling with each query).
std::expected<std::vector<PayOrder>, Error> orders_to_close(sql::Connection& conn, int limit);
std::expected<std::vector<PayOrder>, Error> orders_to_query(sql::Connection& conn,
                                                            std::int64_t query_after_seconds,
                                                            int limit);

// Whether a payment from provider is recorded for the pledge.
std::expected<bool, Error> pledge_has_payment_from(sql::Connection& conn, std::int64_t pledge_id,
                                                   const std::string& provider);

// status paid or closed (detail: why); queried: the time and count of queries move on.
std::expected<void, Error> settle_order(sql::Connection& conn, std::int64_t order_id,
                                        const std::string& status, const std::string& detail);
std::expected<void, Error> note_queried(sql::Connection& conn, std::int64_t order_id,
                                        const std::string& state);

}  // namespace boai::payorders
