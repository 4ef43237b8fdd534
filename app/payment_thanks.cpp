// thank_payment_in_room: the payment and its pledge read in the relay's transaction, the event
// appended to the room named after the pledge's campaign.
#include "app/payment_thanks.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "donations/pledges.hpp"
#include "sql/params.hpp"
#include "sql/transaction.hpp"
#include "web/room_store.hpp"

namespace boai::app {

using nlohmann::json;

namespace {

constexpr const char* kHiddenName = "爱心人士";

// The donation event of a live pledge its room never showed (a large one, held until paid), or
// none.
std::expected<std::optional<web::NewRoomEvent>, Error> unshown_donation(
    sql::Connection& tx, const std::string& slug, const donations::Pledge& pledge,
    const std::string& name, bool hidden) {
  auto shown = tx.exec(
      "SELECT 1 FROM room_events WHERE room = $1 AND type = 'donation' "
      "AND (payload::jsonb ->> 'pledge') = $2",
      sql::params(slug, std::to_string(pledge.id)));
  if (!shown) {
    return std::unexpected(sql::db_failure(shown.error()));
  }
  if (shown->rows() > 0) {
    return std::nullopt;
  }
  json body = {{"pledge", pledge.id},
               {"display_name", name},
               {"amount_fen", pledge.amount.fen()},
               {"message", hidden ? std::string() : pledge.message},
               {"fund", pledge.fund}};
  return web::NewRoomEvent{"donation", body, "", "", {}};
}

}  // namespace

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
      "SELECT pl.reference, c.slug, pay.amount_fen, pl.hidden_by IS NOT NULL FROM payments pay "
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
  std::string slug(rows->text(0, 1));
  // A host hid the name and message from the room: the thanks keep them hidden.
  std::string name = rows->boolean(0, 3) ? kHiddenName : pledge->public_name;
  json paid = {{"pledge", pledge->id},
               {"display_name", name},
               {"amount_fen", rows->int64(0, 2)},
               {"fund", pledge->fund},
               {"kind", pledge->target_kind.empty() ? "gift" : pledge->target_kind},
               {"paid_in_full", pledge->status == "paid" || pledge->status == "reconciled"}};
  std::vector<web::NewRoomEvent> events;
  if (paid["paid_in_full"].get<bool>() && pledge->channel == "live") {
    auto shown = unshown_donation(tx, slug, *pledge, name, rows->boolean(0, 3));
    if (!shown) {
      return std::unexpected(shown.error());
    }
    if (*shown) {
      events.push_back(std::move(**shown));
    }
  }
  events.push_back(web::NewRoomEvent{"donation.paid", paid, "", "", {}});
  auto told = web::append_room_events_in(tx, slug, events);
  if (!told && told.error().code != "room_not_found") {  // no room: nobody to tell
    return std::unexpected(told.error());
  }
  return {};
}

}  // namespace boai::app
