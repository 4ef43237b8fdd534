// Wishes in the room. Posting needs no account; vetting is for staff; only approved, funded and
// fulfilled wishes are public, and a requester's contact never reaches a viewer.
#include "web/room_wishes.hpp"

#include "base/on_loop.hpp"
#include "donations/wish_fulfilment.hpp"
#include "donations/wish_gifts.hpp"
#include "donations/wishes.hpp"
#include "web/proof_images.hpp"
#include "web/wish_json.hpp"

namespace boai::web {

using nlohmann::json;

namespace {

const std::vector<std::string> kPublicStatuses = {"approved", "funded", "fulfilled"};

// Tells every viewer of the wish's room (on every node) how the wish stands now.
void announce(RoomContext& context, const donations::Wish& wish, const char* type) {
  context.feed().with_room(wish.campaign,
                           [body = wish_json(wish), type, feed = &context.feed()](RoomState* room) {
                             if (room != nullptr) {
                               feed->append(*room, NewRoomEvent{type, body, "", "", std::nullopt});
                             }
                           });
}

std::expected<donations::WishRequest, Error> wish_request(const Request& r) {
  const auto& f = r.frame;
  auto title = string_field(f, "title");
  auto story = string_field(f, "story");
  auto category = string_field(f, "category");
  auto name = string_field(f, "requester_name");
  auto contact = string_field(f, "contact");
  auto amount = integer_field(f, "amount_fen");
  auto key = string_field(f, "idempotency_key", false);
  for (const auto* field : {&title, &story, &category, &name, &contact, &key}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  if (!amount) {
    return std::unexpected(amount.error());
  }
  return donations::WishRequest{r.session.room,
                                *title,
                                *story,
                                *category,
                                donations::Money::from_fen(*amount),
                                *name,
                                *contact,
                                r.session.session_id,
                                r.session.conn->peer(),
                                *key};
}

void wish_post(RoomContext& context, const Request& r) {
  auto request = wish_request(r);
  if (request) {
    request = donations::check_wish_request(*request, donations::WishLimits{});
  }
  if (!request) {
    return context.refuse(r.session, r.frame, request.error());
  }
  // Per connection here; per address in the database (posts an hour), across nodes.
  if (!r.session.staff && !r.session.limit("wish.post", 1.0 / 300, 3).take()) {
    context.counters().rate_limited.add();
    return context.refuse(
        r.session, r.frame,
        make_error("rate_limited", "too many wishes; try again in a few minutes"));
  }
  context.pool().run_expected<donations::Wish>(
      [request = *request](sql::Connection& c) {
        return donations::post_wish(c, request, donations::WishLimits{});
      },
      [answer = context.later(r.session, r.frame)](std::expected<donations::Wish, Error> wish) {
        if (!wish) {
          return answer.refuse(wish.error());
        }
        // The consoles on this node list it at once; those on other nodes on their next refresh.
        if (auto* room_context = answer.context(); room_context && wish->status == "pending") {
          room_context->send_to_staff(
              wish->campaign,
              json{{"type", "wish.pending"}, {"wish", wish_json(*wish, true)}}.dump());
        }
        answer.ack({{"wish", {{"id", wish->id}, {"status", wish->status}}}});
      });
}

// The ids a phone kept of the wishes it posted: their status, and a rejection's reason.
void wish_mine(RoomContext& context, const Request& r) {
  auto ids = r.frame.body.find("ids");
  if (ids == r.frame.body.end() || !ids->is_array() || ids->size() > 50) {
    return context.refuse(r.session, r.frame,
                          make_error("bad_request", "\"ids\" is a list of up to 50 wish ids"));
  }
  std::vector<std::int64_t> wanted;
  for (const auto& id : *ids) {
    if (!id.is_number_integer()) {
      return context.refuse(r.session, r.frame,
                            make_error("bad_request", "a wish id is a whole number"));
    }
    wanted.push_back(id.get<std::int64_t>());
  }
  context.pool().run_expected<std::vector<donations::Wish>>(
      [wanted](sql::Connection& c) { return donations::wishes_by_ids(c, wanted); },
      [answer = context.later(r.session, r.frame)](auto wishes) {
        if (!wishes) {
          return answer.refuse(wishes.error());
        }
        json list = json::array();
        for (const auto& w : *wishes) {
          list.push_back(wish_json(w));
        }
        answer.ack({{"wishes", list}});
      });
}

void wish_list(RoomContext& context, const Request& r) {
  auto status = string_field(r.frame, "status", false);
  if (!status) {
    return context.refuse(r.session, r.frame, status.error());
  }
  bool staff = r.session.staff.has_value();
  std::vector<std::string> statuses = kPublicStatuses;
  if (!status->empty()) {
    bool known = *status == "pending" || *status == "rejected" ||
                 std::find(statuses.begin(), statuses.end(), *status) != statuses.end();
    bool allowed = staff || std::find(statuses.begin(), statuses.end(), *status) != statuses.end();
    if (!known || !allowed) {
      return context.refuse(r.session, r.frame,
                            make_error(known ? "not_allowed" : "bad_request",
                                       known ? "only staff see wishes not yet approved"
                                             : "a status is approved, funded or fulfilled"));
    }
    statuses = {*status};
  }
  context.pool().run_expected<std::vector<donations::Wish>>(
      [room = r.session.room, statuses](sql::Connection& c) {
        return donations::list_wishes(c, room, statuses);
      },
      [answer = context.later(r.session, r.frame), staff](auto wishes) {
        if (!wishes) {
          return answer.refuse(wishes.error());
        }
        json list = json::array();
        for (const auto& w : *wishes) {
          list.push_back(wish_json(w, staff));
        }
        answer.ack({{"wishes", list}});
      });
}

std::expected<donations::WishReview, Error> review_of(const Request& r) {
  const auto& f = r.frame;
  auto id = integer_field(f, "id");
  auto decision = string_field(f, "decision");
  auto reason = string_field(f, "reason", false);
  if (!id || !decision || !reason) {
    return std::unexpected(!id ? id.error() : !decision ? decision.error() : reason.error());
  }
  if (*decision != "approve" && *decision != "reject") {
    return std::unexpected(make_error("bad_request", "\"decision\" is approve or reject"));
  }
  donations::WishReview review{*id, *decision == "approve", *reason, {}, {},
                               {},  r.session.staff->name};
  for (const char* name : {"title", "story"}) {
    if (f.body.contains(name) && !f.body[name].is_null()) {
      auto text = string_field(f, name);
      if (!text) {
        return std::unexpected(text.error());
      }
      (std::string(name) == "title" ? review.title : review.story) = *text;
    }
  }
  if (f.body.contains("amount_fen") && !f.body["amount_fen"].is_null()) {
    auto amount = integer_field(f, "amount_fen");
    if (!amount) {
      return std::unexpected(amount.error());
    }
    review.amount = donations::Money::from_fen(*amount);
  }
  return review;
}

void wish_review(RoomContext& context, const Request& r) {
  auto review = review_of(r);
  if (!review) {
    return context.refuse(r.session, r.frame, review.error());
  }
  context.pool().run_expected<donations::Wish>(
      [review = *review](sql::Connection& c) {
        return donations::review_wish(c, review, donations::WishLimits{});
      },
      [answer = context.later(r.session, r.frame)](std::expected<donations::Wish, Error> wish) {
        if (!wish) {
          return answer.refuse(wish.error());
        }
        if (auto* room_context = answer.context(); room_context && wish->status == "approved") {
          announce(*room_context, *wish, "wish.updated");
        }
        answer.ack({{"wish", wish_json(*wish, true)}});
      });
}

// A host puts a wish on the video (the overlay's featured card), or takes it off with id 0.
void wish_feature(RoomContext& context, const Request& r) {
  auto id = integer_field(r.frame, "id");
  if (!id) {
    return context.refuse(r.session, r.frame, id.error());
  }
  if (*id == 0) {
    context.feed().append(*r.room, NewRoomEvent{"wish.featured", json{{"id", 0}}, "", "", {}});
    return context.reply(r.session, ack_frame(r.frame.rid));
  }
  context.pool().run_expected<donations::Wish>(
      [id = *id](sql::Connection& c) { return donations::find_wish(c, id); },
      [answer = context.later(r.session, r.frame)](std::expected<donations::Wish, Error> wish) {
        auto* room_context = answer.context();
        if (room_context == nullptr) {
          return;
        }
        if (!wish) {
          return answer.refuse(wish.error());
        }
        if (wish->status == "pending" || wish->status == "rejected") {
          return answer.refuse(make_error("wish_not_open", "only approved wishes are public"));
        }
        announce(*room_context, *wish, "wish.featured");
        answer.ack({{"wish", wish_json(*wish)}});
      });
}

std::expected<donations::WishFulfilment, Error> fulfilment_of(const Request& r) {
  const auto& f = r.frame;
  auto id = integer_field(f, "id");
  if (!id) {
    return std::unexpected(id.error());
  }
  auto note = string_field(f, "note");
  auto proof = string_field(f, "proof", false);
  auto payee = string_field(f, "payee", false);
  auto evidence = string_field(f, "evidence", false);
  for (const auto* field : {&note, &proof, &payee, &evidence}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  donations::WishFulfilment fulfilment{*id, *note, *proof, std::nullopt};
  if (f.body.contains("spent_fen") && !f.body["spent_fen"].is_null()) {
    auto spent = integer_field(f, "spent_fen");
    if (!spent) {
      return std::unexpected(spent.error());
    }
    fulfilment.spending = donations::WishSpending{donations::Money::from_fen(*spent), *payee,
                                                  r.session.staff->name, *evidence};
  }
  return fulfilment;
}

// Staff mark a wish fulfilled: the note, the proof POST /api/photos saved, and what was spent.
void wish_fulfil(RoomContext& context, const Request& r) {
  auto fulfilment = fulfilment_of(r);
  if (!fulfilment) {
    return context.refuse(r.session, r.frame, fulfilment.error());
  }
  context.pool().run_expected<donations::Wish>(
      [f = *fulfilment, proofs = context.config().proofs_dir](
          sql::Connection& c) -> std::expected<donations::Wish, Error> {
        if (!f.proof_file.empty() && !is_saved_proof(proofs, f.proof_file)) {
          return std::unexpected(
              make_error("proof_not_found", "upload the proof first (POST /api/photos)"));
        }
        return donations::fulfil_wish(c, f);
      },
      [answer = context.later(r.session, r.frame)](std::expected<donations::Wish, Error> wish) {
        if (!wish) {
          return answer.refuse(wish.error());
        }
        if (auto* room_context = answer.context()) {
          announce(*room_context, *wish, "wish.updated");
        }
        answer.ack({{"wish", wish_json(*wish, true)}});
      });
}

json gift_json(const donations::WishGift& gift, const PayInfo& pay) {
  const auto& p = gift.pledge;
  return {{"reference", p.reference},
          {"amount_fen", p.amount.fen()},
          {"status", p.status},
          {"fund", p.fund},
          {"display_name", p.public_name},
          {"replayed", p.replayed},
          {"wish", wish_json(gift.wish)},
          {"pay",
           {{"reference", p.reference},
            {"remark", p.reference},
            {"account", pay.account},
            {"qr_url", pay.qr_url}}}};
}

}  // namespace

void pledge_to_wish(RoomContext& context, const Request& r, donations::PledgeRequest pledge,
                    std::int64_t wish_id, bool rest_to_fund) {
  using Given = std::expected<donations::WishGift, donations::WishGiftRefusal>;
  context.pool().run<Given>(
      [pledge = std::move(pledge), wish_id, rest_to_fund](sql::Connection& c) {
        return donations::give_to_wish(c, pledge, wish_id, rest_to_fund);
      },
      [answer = context.later(r.session, r.frame)](Given gift) {
        auto* room_context = answer.context();
        if (room_context == nullptr) {
          return;
        }
        if (!gift) {
          json extra = json::object();
          if (gift.error().error.code == "wish_overfunded") {
            extra["left_fen"] = gift.error().left.fen();
          }
          return answer.refuse(gift.error().error, extra);
        }
        if (!gift->pledge.replayed) {
          room_context->feed().on_ledger_events(gift->events);
          announce(*room_context, gift->wish, "wish.updated");
          room_context->counters().pledges_acked.add();
        }
        answer.ack({{"pledge", gift_json(*gift, room_context->config().pay)}});
      },
      [](const sql::DbError& e) -> Given {
        return std::unexpected(donations::WishGiftRefusal{e.to_error(), {}});
      });
}

std::vector<RequestRoute> wish_requests() {
  return {
      {"wish.post", wish_post, Sender::kAnyone, true},
      {"wish.mine", wish_mine, Sender::kAnyone, false},
      {"wish.list", wish_list, Sender::kAnyone, true},
      {"wish.review", wish_review, Sender::kStaff, false},
      {"wish.fulfil", wish_fulfil, Sender::kStaff, false},
      {"wish.feature", wish_feature, Sender::kHost, true},
  };
}

}  // namespace boai::web
