// Charity sales in the room: sale.list, sale.buy, sale.order, sale.on_air, sale.add and
// sale.withdraw. Stock is taken in the order's own transaction (donations/sale_orders.cpp); the
// room hears how much is left as a sale.updated event, on every node.
#include "web/room_sales.hpp"

#include <functional>

#include "donations/sale_orders.hpp"
#include "sql/transaction.hpp"
#include "web/proof_images.hpp"
#include "web/room_requests.hpp"
#include "web/sale_json.hpp"

namespace boai::web {

using nlohmann::json;

void announce_sale_item(RoomContext& context, const std::string& room,
                        const donations::SaleItem& item, const char* type) {
  context.feed().with_room(
      room, [body = sale_item_json(item), type, feed = &context.feed()](RoomState* state) {
        if (state != nullptr) {
          feed->append(*state, NewRoomEvent{type, body, "", "", std::nullopt});
        }
      });
}

namespace {

void sale_list(RoomContext& context, const Request& r) {
  context.pool().run_expected<std::vector<donations::SaleItem>>(
      [](sql::Connection& c) { return donations::list_sale_items(c); },
      [answer = context.later(r.session, r.frame)](auto items) {
        if (!items) {
          return answer.refuse(items.error());
        }
        json list = json::array();
        for (const auto& item : *items) {
          list.push_back(sale_item_json(item));
        }
        answer.ack({{"items", list}});
      });
}

std::expected<donations::SaleOrderRequest, Error> order_request(const Request& r) {
  const auto& f = r.frame;
  auto key = string_field(f, "idempotency_key");
  auto name = string_field(f, "buyer_name");
  auto contact = string_field(f, "contact");
  for (const auto* field : {&key, &name, &contact}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  auto item = integer_field(f, "item_id");
  auto quantity = integer_field(f, "quantity");
  if (!item || !quantity) {
    return std::unexpected(!item ? item.error() : quantity.error());
  }
  donations::SaleOrderRequest order;
  order.idempotency_key = *key;
  order.campaign = r.session.room;
  order.item_id = *item;
  // Out of int's range is as wrong as zero: the order's checks say so.
  order.quantity = *quantity > 0 && *quantity <= 1'000'000 ? static_cast<int>(*quantity) : 0;
  order.buyer_name = *name;
  order.contact = *contact;
  order.channel = "live";
  return order;
}

void sale_buy(RoomContext& context, const Request& r) {
  auto& s = r.session;
  if (!s.pledges.take()) {
    context.counters().rate_limited.add();
    return context.refuse(
        s, r.frame, make_error("rate_limited", "too many orders from this phone; wait a minute"));
  }
  auto request = order_request(r);
  if (!request) {
    return context.refuse(s, r.frame, request.error());
  }
  request->hold = context.config().sale_hold;
  using Placed = std::expected<donations::PlacedOrder, donations::SaleOrderRefusal>;
  context.pool().run<Placed>(
      [request = *request](sql::Connection& c) { return donations::place_sale_order(c, request); },
      [answer = context.later(s, r.frame), room = s.room](Placed placed) {
        auto* room_context = answer.context();
        if (room_context == nullptr) {
          return;
        }
        if (!placed) {
          json extra = json::object();
          if (placed.error().available >= 0) {
            extra["available"] = placed.error().available;
          }
          if (placed.error().allowed >= 0) {
            extra["allowed"] = placed.error().allowed;
          }
          return answer.refuse(placed.error().error, extra);
        }
        if (!placed->order.pledge.replayed) {
          announce_sale_item(*room_context, room, placed->item, "sale.updated");
        }
        answer.ack({{"order", sale_order_json(placed->order, room_context->config().pay)},
                    {"item", sale_item_json(placed->item)}});
      },
      [](const sql::DbError& e) -> Placed {
        return std::unexpected(donations::SaleOrderRefusal{sql::db_failure(e)});
      });
}

// How an order stands, by its reference: what a buyer kept on the phone.
void sale_order(RoomContext& context, const Request& r) {
  auto reference = string_field(r.frame, "reference");
  if (!reference) {
    return context.refuse(r.session, r.frame, reference.error());
  }
  context.pool().run_expected<donations::SaleOrder>(
      [reference = *reference](sql::Connection& c) {
        return donations::find_sale_order(c, reference);
      },
      [answer = context.later(r.session, r.frame)](auto order) {
        auto* room_context = answer.context();
        if (room_context == nullptr) {
          return;
        }
        if (!order) {
          return answer.refuse(order.error());
        }
        answer.ack({{"order", sale_order_json(*order, room_context->config().pay)}});
      });
}

// The answer to a request that changed or featured an item: the room hears it as `type` (on every
// node), the sender gets the item. A featured item must still be open (sale_closed).
std::function<void(std::expected<donations::SaleItem, Error>)> tell_room_and_answer(
    LaterReply answer, std::string room, const char* type, bool must_be_open = false) {
  return [answer = std::move(answer), room = std::move(room), type,
          must_be_open](std::expected<donations::SaleItem, Error> item) {
    auto* room_context = answer.context();
    if (room_context == nullptr) {
      return;
    }
    if (!item) {
      return answer.refuse(item.error());
    }
    if (must_be_open && item->status != "open") {
      return answer.refuse(make_error("sale_closed", "this item is no longer for sale"));
    }
    announce_sale_item(*room_context, room, *item, type);
    answer.ack({{"item", sale_item_json(*item)}});
  };
}

std::expected<donations::NewSaleItem, Error> new_item(const Request& r) {
  const auto& f = r.frame;
  auto title = string_field(f, "title");
  auto fund = string_field(f, "fund", false);
  auto donor = string_field(f, "donated_by", false);
  auto description = string_field(f, "description", false);
  auto photo = string_field(f, "photo", false);
  for (const auto* field : {&title, &fund, &donor, &description, &photo}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  auto price = integer_field(f, "price_fen");
  auto quantity = integer_field(f, "quantity");
  auto per_buyer = integer_field(f, "per_buyer", std::int64_t{0});
  for (const auto* field : {&price, &quantity, &per_buyer}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  // Out of int's range is as wrong as zero: the item's checks say so.
  auto small = [](std::int64_t n) { return n >= 0 && n <= 1'000'000 ? static_cast<int>(n) : -1; };
  return donations::NewSaleItem{*title,
                                *description,
                                *donor,
                                *photo,
                                donations::Money::from_fen(*price),
                                small(*quantity),
                                small(*per_buyer),
                                fund->empty() ? "general" : *fund,
                                r.session.staff->name};
}

// Staff add an item from the console, with a photo POST /api/photos saved first; the room sees it
// at once.
void sale_add(RoomContext& context, const Request& r) {
  auto item = new_item(r);
  if (!item) {
    return context.refuse(r.session, r.frame, item.error());
  }
  context.pool().run_expected<donations::SaleItem>(
      [item = *item, proofs = context.config().proofs_dir](
          sql::Connection& c) -> std::expected<donations::SaleItem, Error> {
        if (!item.photo_file.empty() && !is_saved_proof(proofs, item.photo_file)) {
          return std::unexpected(
              make_error("photo_not_found", "upload the photo first (POST /api/photos)"));
        }
        return donations::add_sale_item(c, item);
      },
      tell_room_and_answer(context.later(r.session, r.frame), r.session.room, "sale.updated"));
}

// Staff take an item off sale; the room sees it go. Unpaid orders run out as usual.
void sale_withdraw(RoomContext& context, const Request& r) {
  auto id = integer_field(r.frame, "item_id");
  if (!id) {
    return context.refuse(r.session, r.frame, id.error());
  }
  context.pool().run_expected<donations::SaleItem>(
      [id = *id](sql::Connection& c) { return donations::withdraw_sale_item(c, id); },
      tell_room_and_answer(context.later(r.session, r.frame), r.session.room, "sale.updated"));
}

// A host puts an item on the video (the overlay's card), or takes it off with item_id 0.
void sale_on_air(RoomContext& context, const Request& r) {
  auto id = integer_field(r.frame, "item_id");
  if (!id) {
    return context.refuse(r.session, r.frame, id.error());
  }
  if (*id == 0) {
    context.feed().append(*r.room, NewRoomEvent{"sale.featured", json{{"id", 0}}, "", "", {}});
    return context.reply(r.session, ack_frame(r.frame.rid));
  }
  context.pool().run_expected<donations::SaleItem>(
      [id = *id](sql::Connection& c) { return donations::find_sale_item(c, id); },
      tell_room_and_answer(context.later(r.session, r.frame), r.session.room, "sale.featured",
                           true));
}

}  // namespace

std::vector<RequestRoute> sale_requests() {
  return {{"sale.list", sale_list, Sender::kAnyone, true},
          {"sale.buy", sale_buy, Sender::kAnyone, true},
          {"sale.order", sale_order, Sender::kAnyone, true},
          {"sale.on_air", sale_on_air, Sender::kHost, true},
          {"sale.add", sale_add, Sender::kStaff, true},
          {"sale.withdraw", sale_withdraw, Sender::kStaff, true}};
}

}  // namespace boai::web
