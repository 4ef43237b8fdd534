// A payment's thanks in its room: when the money for a pledge lands (a provider's notice, the
// poller's query, a payment finance recorded), the pledge's room gets a donation.paid event, so
// the donor's page shows 支付成功 at once and the overlay thanks the gift as paid, apart from
// the pledge. Runs in the outbox relay's transaction: once per payment, whichever node relays it.
#pragma once

#include <expected>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::app {

// Payments older than this when relayed (a statement of last week, imported now) are not news:
// the room is not told of them.
inline constexpr int kThanksWithinMinutes = 30;

// For the outbox relay (donations::AlsoOnRelay): a payment.recorded row's thanks; other topics,
// payments with no pledge or no room, and old payments: nothing.
std::expected<void, Error> thank_payment_in_room(sql::Connection& tx, const std::string& topic,
                                                 const std::string& payload);

}  // namespace boai::app
