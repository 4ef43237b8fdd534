#include "web/sale_expiry.hpp"

#include <set>
#include <utility>
#include <vector>

#include "donations/sale_orders.hpp"
#include "web/room_sales.hpp"

namespace boai::web {

namespace {

constexpr int kOrdersPerSweep = 200;

// Each room that had an order expire, with the item as it stands now.
using Restocked = std::vector<std::pair<std::string, donations::SaleItem>>;

std::expected<Restocked, Error> expire_due(sql::Connection& conn) {
  auto expired = donations::expire_sale_orders(conn, kOrdersPerSweep);
  if (!expired) {
    return std::unexpected(expired.error());
  }
  std::set<std::pair<std::string, std::int64_t>> seen;
  Restocked out;
  for (const auto& order : *expired) {
    if (!seen.insert({order.pledge.campaign, order.item_id}).second) {
      continue;
    }
    auto item = donations::find_sale_item(conn, order.item_id);
    if (!item) {
      return std::unexpected(item.error());
    }
    out.emplace_back(order.pledge.campaign, std::move(*item));
  }
  return out;
}

}  // namespace

SaleExpiry::SaleExpiry(RoomContext& context, std::chrono::milliseconds every)
    : context_(context), timer_(context.loop_context(), every, [this] { sweep(); }) {}

SaleExpiry::~SaleExpiry() {
  *alive_ = false;
}

void SaleExpiry::sweep() {
  if (sweeping_) {
    return;
  }
  sweeping_ = true;
  context_.pool().run_expected<Restocked>(expire_due, [this, alive = alive_](auto restocked) {
    if (!*alive) {
      return;
    }
    sweeping_ = false;
    if (!restocked) {
      return;  // the database is away: the next sweep tries again
    }
    for (const auto& [room, item] : *restocked) {
      announce_sale_item(context_, room, item, "sale.updated");
    }
  });
}

}  // namespace boai::web
