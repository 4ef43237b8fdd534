// The hosts' moderation: delete a message, clear the room, mute or ban its writer, slow mode and
// blocked words. Settings are stored and reach the other nodes (NOTIFY boai_room_rules).
#include "web/room_requests.hpp"

namespace boai::web {

using nlohmann::json;

namespace {

// Acknowledges a moderation event with its seq once it is stored.
std::function<void(const StoredRoomEvent*)> ack_stored(RoomContext& context, const Request& r) {
  return [answer = context.later(r.session, r.frame)](const StoredRoomEvent* stored) {
    if (stored == nullptr) {
      return answer.refuse(make_error("db_unavailable", "try again"));
    }
    answer.ack({{"seq", stored->seq}});
  };
}

void delete_message(RoomContext& context, const Request& r) {
  auto message = integer_field(r.frame, "id");
  if (!message) {
    return context.refuse(r.session, r.frame, message.error());
  }
  context.feed().append(*r.room, NewRoomEvent{"chat.removed", {{"id", *message}}, "", "", *message},
                        ack_stored(context, r));
}

void clear_room(RoomContext& context, const Request& r) {
  context.feed().append(*r.room, NewRoomEvent{"room.cleared", json::object(), "", "", std::nullopt},
                        ack_stored(context, r));
}

// mod.mute and mod.ban: of whoever wrote message "id", or (a mute) of a nickname.
void sanction(RoomContext& context, const Request& r) {
  const auto& f = r.frame;
  bool ban = f.type == "mod.ban";
  auto message = integer_field(f, "id", std::int64_t{0});
  auto nickname = string_field(f, "nickname", false);
  auto minutes = integer_field(f, "minutes", std::int64_t{ban ? 24 * 60 : 10});
  if (!message || !nickname || !minutes) {
    return context.refuse(
        r.session, f,
        make_error("bad_request", "give \"id\" (a message) or \"nickname\", and \"minutes\""));
  }
  if ((*message == 0 && (ban || nickname->empty())) || *minutes < 1 || *minutes > 60 * 24 * 365) {
    return context.refuse(
        r.session, f, make_error("bad_request", "give the message \"id\" and 1 minute to a year"));
  }
  std::optional<std::int64_t> msg;
  if (*message != 0) {
    msg = *message;
  }
  std::string slug = r.room->slug(), kind = ban ? "ban" : "mute", by = r.session.staff->name;
  std::string nick = *nickname;
  int mins = static_cast<int>(*minutes);
  context.pool().run_expected<Sanction>(
      [slug, kind, msg, nick, mins, by](sql::Connection& c) {
        return add_sanction(c, slug, kind, msg, nick, mins, by);
      },
      [answer = context.later(r.session, f), slug](std::expected<Sanction, Error> added) {
        auto* room_context = answer.context();
        if (room_context == nullptr) {
          return;
        }
        if (!added) {
          return answer.refuse(added.error());
        }
        if (auto* room = room_context->feed().ready(slug)) {
          room->sanctions.push_back(*added);
          if (added->kind == "ban") {
            room_context->close_banned(*room);
          }
        }
        answer.ack({{"until", added->until_ms}});
      });
}

// mod.hide_donation: the donor's name and message leave the room, its history and the video; the
// pledge, its ledger entries and the totals stay (the pledge is marked with who hid it).
void hide_donation(RoomContext& context, const Request& r) {
  auto pledge = integer_field(r.frame, "pledge");
  if (!pledge) {
    return context.refuse(r.session, r.frame, pledge.error());
  }
  std::string slug = r.room->slug(), by = r.session.staff->name;
  std::int64_t campaign = r.room->campaign.id, id = *pledge;
  context.pool().run_expected<void>(
      [campaign, id, by](sql::Connection& c) { return hide_pledge(c, campaign, id, by); },
      [answer = context.later(r.session, r.frame), slug, id](std::expected<void, Error> hidden) {
        auto* room_context = answer.context();
        auto* room = room_context != nullptr ? room_context->feed().ready(slug) : nullptr;
        if (room == nullptr) {
          return;
        }
        if (!hidden) {
          return answer.refuse(hidden.error());
        }
        room_context->feed().append(
            *room, NewRoomEvent{"donation.hidden", {{"pledge", id}}, "", "", std::nullopt},
            [answer](const StoredRoomEvent* stored) {
              if (stored == nullptr) {
                return answer.refuse(make_error("db_unavailable", "try again"));
              }
              answer.ack({{"seq", stored->seq}});
            });
      });
}

// Stores the room's slow mode and blocked words as they now stand, and tells its viewers.
void save_settings(RoomContext& context, const Request& r) {
  auto& room = *r.room;
  std::string slug = room.slug();
  int slow = room.slow_mode_seconds;
  auto words = room.blocked_words;
  context.pool().run_expected<void>(
      [slug, slow, words](sql::Connection& c) { return save_room_settings(c, slug, slow, words); },
      [answer = context.later(r.session, r.frame)](std::expected<void, Error> saved) {
        if (!saved) {
          return answer.refuse(saved.error());
        }
        answer.ack();
      });
  context.feed().broadcast(room, settings_frame(room));
}

void slow_mode(RoomContext& context, const Request& r) {
  auto seconds = integer_field(r.frame, "seconds");
  if (!seconds || *seconds < 0 || *seconds > 3600) {
    return context.refuse(r.session, r.frame,
                          make_error("bad_request", "\"seconds\" is 0 to 3600"));
  }
  r.room->slow_mode_seconds = static_cast<int>(*seconds);
  save_settings(context, r);
}

void blocked_words(RoomContext& context, const Request& r) {
  auto words = r.frame.body.find("words");
  if (words == r.frame.body.end() || !words->is_array() || words->size() > 500) {
    return context.refuse(r.session, r.frame,
                          make_error("bad_request", "\"words\" is a list of up to 500 words"));
  }
  std::vector<std::string> list;
  for (const auto& w : *words) {
    if (w.is_string() && !w.get<std::string>().empty()) {
      list.push_back(w.get<std::string>());
    }
  }
  r.room->blocked_words = list;
  save_settings(context, r);
}

// A host's mod.* request of a kind this version does not know.
void unknown_moderation(RoomContext& context, const Request& r) {
  context.refuse(r.session, r.frame,
                 make_error("unknown_type", "unknown type \"" + r.frame.type.substr(0, 40) + "\""));
}

}  // namespace

std::vector<RequestRoute> moderation_requests() {
  return {
      {"mod.delete", delete_message, Sender::kHost, true},
      {"mod.clear", clear_room, Sender::kHost, true},
      {"mod.mute", sanction, Sender::kHost, true},
      {"mod.ban", sanction, Sender::kHost, true},
      {"mod.slow", slow_mode, Sender::kHost, true},
      {"mod.blocked_words", blocked_words, Sender::kHost, true},
      {"mod.hide_donation", hide_donation, Sender::kHost, true},
      {"mod.*", unknown_moderation, Sender::kHost, true},
  };
}

}  // namespace boai::web
