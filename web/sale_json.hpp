// Charity-sale items and orders as the protocol and the pages carry them. An order shows the
// buyer's masked name; the contact never leaves the server.
#pragma once

#include <nlohmann/json.hpp>

#include "donations/sale_orders.hpp"
#include "web/room_config.hpp"

namespace boai::web {

nlohmann::json sale_item_json(const donations::SaleItem& item);
// With how to pay while it waits for payment.
nlohmann::json sale_order_json(const donations::SaleOrder& order, const PayInfo& pay);

}  // namespace boai::web
