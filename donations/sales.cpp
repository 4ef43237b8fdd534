// Sale items in PostgreSQL: adding with its checks, the lists, withdrawal.
#include "donations/sales.hpp"

#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

namespace detail {

const char* const kSaleItemColumns =
    "i.id, i.title, i.description, i.donated_by, i.photo_file, i.price_fen, i.quantity, "
    "i.available, i.per_buyer, i.fund_id, f.slug AS fund, i.status";
const char* const kSaleItemFrom = "sale_items i JOIN funds f ON f.id = i.fund_id";

SaleItem sale_item_from_row(const sql::Result& r, int i) {
  auto text = [&](const char* name) { return std::string(r.text(i, r.column(name))); };
  auto number = [&](const char* name) { return r.int64(i, r.column(name)); };
  SaleItem item;
  item.id = number("id");
  item.title = text("title");
  item.description = text("description");
  item.donated_by = text("donated_by");
  item.photo_file = text("photo_file");
  item.price = Money::from_fen(number("price_fen"));
  item.quantity = static_cast<int>(number("quantity"));
  item.available = static_cast<int>(number("available"));
  item.per_buyer = static_cast<int>(number("per_buyer"));
  item.fund_id = number("fund_id");
  item.fund = text("fund");
  item.status = text("status");
  return item;
}

}  // namespace detail

namespace {

constexpr int kMaxItemQuantity = 100'000;

std::expected<std::vector<SaleItem>, Error> select_items(sql::Connection& conn,
                                                         const std::string& where_and_order,
                                                         const sql::Params& params) {
  auto r = conn.exec(std::string("SELECT ") + detail::kSaleItemColumns + " FROM " +
                         detail::kSaleItemFrom + " WHERE " + where_and_order,
                     params);
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  std::vector<SaleItem> out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(detail::sale_item_from_row(*r, i));
  }
  return out;
}

// The item as given, its texts trimmed, or what is wrong with it.
std::expected<NewSaleItem, Error> checked_item(const NewSaleItem& given) {
  NewSaleItem item = given;
  auto title = checked_text("the title", given.title, 40);
  auto description = checked_text("the description", given.description, 500, false);
  auto donor = checked_text("the donor's name", given.donated_by, 40, false);
  for (auto* text : {&title, &description, &donor}) {
    if (!*text) {
      return std::unexpected(text->error());
    }
  }
  item.title = *title;
  item.description = *description;
  item.donated_by = *donor;
  if (item.price.fen() < 1 || item.price > Money::from_yuan(100'000)) {
    return std::unexpected(make_error(
        "amount_out_of_range", "a price is from ¥0.01 to " + Money::from_yuan(100'000).format()));
  }
  if (item.quantity < 1 || item.quantity > kMaxItemQuantity || item.per_buyer < 0 ||
      item.per_buyer > item.quantity) {
    return std::unexpected(
        make_error("quantity_invalid",
                   "an item has 1 to 100,000 pieces, and a per-buyer limit of 0 (none) "
                   "up to its quantity"));
  }
  return item;
}

}  // namespace

std::expected<SaleItem, Error> add_sale_item(sql::Connection& conn, const NewSaleItem& given) {
  auto item = checked_item(given);
  if (!item) {
    return std::unexpected(item.error());
  }
  auto r = conn.exec(
      "INSERT INTO sale_items (title, description, donated_by, photo_file, price_fen, quantity, "
      "available, per_buyer, fund_id, created_by) "
      "SELECT $1, $2, $3, $4, $5, $6, $6, $7, f.id, $8 FROM funds f WHERE f.slug = $9 "
      "RETURNING id",
      sql::params(item->title, item->description, item->donated_by, item->photo_file,
                  item->price.fen(), item->quantity, item->per_buyer, item->created_by,
                  item->fund));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("fund_not_found", "no fund " + item->fund));
  }
  return find_sale_item(conn, r->int64(0, 0));
}

std::expected<std::vector<SaleItem>, Error> list_sale_items(sql::Connection& conn,
                                                            bool with_withdrawn) {
  return select_items(
      conn, with_withdrawn ? "true ORDER BY i.id" : "i.status = 'open' ORDER BY i.id", {});
}

std::expected<SaleItem, Error> find_sale_item(sql::Connection& conn, std::int64_t id) {
  auto items = select_items(conn, "i.id = $1", sql::params(id));
  if (!items) {
    return std::unexpected(items.error());
  }
  if (items->empty()) {
    return std::unexpected(make_error("item_not_found", "no sale item " + std::to_string(id)));
  }
  return items->front();
}

std::expected<SaleItem, Error> withdraw_sale_item(sql::Connection& conn, std::int64_t id) {
  auto r = conn.exec(
      "UPDATE sale_items SET status = 'withdrawn', updated_at = now() WHERE id = $1 RETURNING id",
      sql::params(id));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("item_not_found", "no sale item " + std::to_string(id)));
  }
  return find_sale_item(conn, id);
}

}  // namespace boai::donations
