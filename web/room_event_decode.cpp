// decode_donation, decode_wish, decode_sale: a missing field reads as its default.
#include "web/room_event_decode.hpp"

#include <nlohmann/json.hpp>

namespace boai::web {

using nlohmann::json;

std::optional<RoomDonation> decode_donation(const StoredRoomEvent& event) {
  auto body = json::parse(event.payload, nullptr, false);
  if (!body.is_object()) {
    return std::nullopt;
  }
  return RoomDonation{body.value("pledge", std::int64_t{0}),
                      body.value("display_name", std::string("爱心人士")),
                      donations::Money::from_fen(body.value("amount_fen", std::int64_t{0})),
                      body.value("message", std::string()),
                      body.value("fund", std::string()),
                      body.value("kind", std::string("gift")),
                      body.value("paid_in_full", false)};
}

std::optional<RoomWish> decode_wish(const StoredRoomEvent& event) {
  auto body = json::parse(event.payload, nullptr, false);
  if (!body.is_object()) {
    return std::nullopt;
  }
  return RoomWish{body.value("id", std::int64_t{0}), body.value("title", std::string()),
                  donations::Money::from_fen(body.value("amount_fen", std::int64_t{0})),
                  donations::Money::from_fen(body.value("pledged_fen", std::int64_t{0})),
                  body.value("status", std::string())};
}

std::optional<RoomSale> decode_sale(const StoredRoomEvent& event) {
  auto body = json::parse(event.payload, nullptr, false);
  if (!body.is_object()) {
    return std::nullopt;
  }
  return RoomSale{body.value("id", std::int64_t{0}), body.value("title", std::string()),
                  donations::Money::from_fen(body.value("price_fen", std::int64_t{0})),
                  body.value("available", 0), body.value("donated_by", std::string())};
}

}  // namespace boai::web
