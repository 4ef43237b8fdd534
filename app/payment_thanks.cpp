// thank_payment_in_room: the payment and its pledge read in the relay's transaction, the event
// appended to the room named after the pledge's campaign.
#include "app/payment_thanks.hpp"

#include <nlohmann/json.hpp>

#include "donations/pledges.hpp"
#include "sql/params.hpp"
#include "sql/transaction.hpp"
#include "web/room_store.hpp"

namespace boai::app {

using nlohmann::json;

std::expected<void, Error> thank_payment_in_room(sql::Connection& tx, const std::string& topic,
                                                 const std::string& payload) {
  if (topic != "payment.recorded") {
    return {};
  }
  auto body = json::parse(payload, nullptr, false);
  if (!body.is_object() || !body["id"].is_number_integer()) {
    return {};
  }
  auto rows = tx.exec(
      "SELECT pl.reference, c.slug, pay.amount_fen FROM payments pay "
      "JOIN pledges pl ON pl.id = pay.pledge_id JOIN campaigns c ON c.id = pl.campaign_id "
      "WHERE pay.id = $1 AND pay.paid_at > now() - make_interval(mins => $2)",
      sql::params(body["id"].get<std::int64_t>(), kThanksWithinMinutes));
  if (!rows) {
    return std::unexpected(sql::db_failure(rows.error()));
  }
  if (rows->rows() == 0) {
    return {};
  }
  auto pledge = donations::find_pledge(tx, std::string(rows->text(0, 0)));
  if (!pledge) {
    return std::unexpected(pledge.error());
  }
  json paid = {{"pledge", pledge->id},
               {"display_name", pledge->public_name},
               {"amount_fen", rows->int64(0, 2)},
               {"fund", pledge->fund},
               {"kind", pledge->target_kind.empty() ? "gift" : pledge->target_kind},
               {"paid_in_full", pledge->status == "paid" || pledge->status == "reconciled"}};
  auto told = web::append_room_events_in(tx, std::string(rows->text(0, 1)),
                                         {web::NewRoomEvent{"donation.paid", paid, "", "", {}}});
  if (!told && told.error().code != "room_not_found") {  // no room: nobody to tell
    return std::unexpected(told.error());
  }
  return {};
}

}  // namespace boai::app
