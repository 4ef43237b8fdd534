// Charity sales in the live room (room_sales.cpp): the requests, and telling a room how an item
// stands now.
#pragma once

#include <string>

#include "donations/sales.hpp"
#include "web/room_context.hpp"

namespace boai::web {

// Appends a sale.updated or sale.featured event with the item to a room's feed (every node).
void announce_sale_item(RoomContext& context, const std::string& room,
                        const donations::SaleItem& item, const char* type);

}  // namespace boai::web
