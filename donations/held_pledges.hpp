// Large promises nobody has paid yet. A room announces a pledge above its show_unpaid_up_to only
// once it is paid (web/room_feed.cpp), since anyone can claim ¥50,000; the same pledges stay out
// of the room's and the video's 已认捐 until then, or a flood of fake pledges would still show.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <optional>

#include "base/error.hpp"
#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

// Open pledges (not yet paid in full, not cancelled) above `above`, by campaign: the unpaid part
// of each in Totals::held, their number in Totals::held_count. Only the campaigns that have any.
std::expected<std::map<std::int64_t, Totals>, Error> held_pledges(
    sql::Connection& conn, Money above, std::optional<std::int64_t> campaign_id = std::nullopt);

// The campaign's totals with its held pledges filled in: what a room shows.
std::expected<Totals, Error> room_totals(sql::Connection& conn, std::int64_t campaign_id,
                                         Money show_unpaid_up_to);

}  // namespace boai::donations
