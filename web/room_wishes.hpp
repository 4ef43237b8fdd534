// Red wishes in the live room: wish.post, wish.mine, wish.list, wish.review, wish.feature, and a
// pledge.create that names a wish (the gift is written against the wish's row).
#pragma once

#include <cstdint>

#include "donations/records.hpp"
#include "web/room_requests.hpp"

namespace boai::web {

// pledge.create with "wish_id": the gift, its donation and totals, and the wish's new progress.
void pledge_to_wish(RoomContext& context, const Request& request, donations::PledgeRequest pledge,
                    std::int64_t wish_id, bool rest_to_fund);

}  // namespace boai::web
