// A red wish as the protocol and the pages carry it. Viewers get the public view: the requester
// masked, never the contact; staff vetting a wish also get the contact.
#pragma once

#include <nlohmann/json.hpp>

#include "donations/wishes.hpp"

namespace boai::web {

nlohmann::json wish_json(const donations::Wish& wish, bool for_staff = false);

}  // namespace boai::web
