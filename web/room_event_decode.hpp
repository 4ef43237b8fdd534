// The room events the feed hands to its observers (the show), read back from their stored JSON.
// nullopt for a body that is not an object.
#pragma once

#include <optional>

#include "web/room_feed.hpp"

namespace boai::web {

std::optional<RoomDonation> decode_donation(const StoredRoomEvent& event);
std::optional<RoomWish> decode_wish(const StoredRoomEvent& event);
std::optional<RoomSale> decode_sale(const StoredRoomEvent& event);

}  // namespace boai::web
