// The flags of the payment orders (payorders/), kept apart from the shared flags' table.
#pragma once

#include <vector>

#include "app/command_table.hpp"

namespace boai::app {

const std::vector<SharedFlag>& pay_order_flags();

}  // namespace boai::app
