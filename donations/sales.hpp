// Charity sales (爱心特卖): the items donated goods are sold as. Stock is held in the item's row
// (`available`): orders take from it under the row's lock (sale_orders.hpp), expiries give back.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct NewSaleItem {
  std::string title;
  std::string description;
  std::string donated_by;  // who gave the item
  std::string photo_file;  // a file name under the proofs directory, or empty
  Money price;
  int quantity = 0;
  int per_buyer = 0;  // 0: no limit
  std::string fund;   // slug: where the proceeds go
  std::string created_by;
};

struct SaleItem {
  std::int64_t id = 0;
  std::string title;
  std::string description;
  std::string donated_by;
  std::string photo_file;
  Money price;
  int quantity = 0;
  int available = 0;  // neither reserved by an unpaid order nor sold
  int per_buyer = 0;
  std::int64_t fund_id = 0;
  std::string fund;
  std::string status;  // open, withdrawn
};

// Errors: bad_request, text_invalid, too_long (title 40, description 500, donor 40 characters),
// amount_out_of_range (¥0.01 to ¥100,000), quantity_invalid (1 to 100,000; a per-buyer limit 0 to
// the quantity), fund_not_found.
std::expected<SaleItem, Error> add_sale_item(sql::Connection& conn, const NewSaleItem& item);
// Open items (all of them with withdrawn ones too), oldest first.
std::expected<std::vector<SaleItem>, Error> list_sale_items(sql::Connection& conn,
                                                            bool with_withdrawn = false);
// Errors: item_not_found.
std::expected<SaleItem, Error> find_sale_item(sql::Connection& conn, std::int64_t id);
// No more orders; unpaid ones run out as usual. Errors: item_not_found.
std::expected<SaleItem, Error> withdraw_sale_item(sql::Connection& conn, std::int64_t id);

namespace detail {
// The columns sale_item_from_row reads, for "SELECT <kSaleItemColumns> FROM <kSaleItemFrom>".
extern const char* const kSaleItemColumns;
extern const char* const kSaleItemFrom;
SaleItem sale_item_from_row(const sql::Result& r, int row);
}  // namespace detail

}  // namespace boai::donations
