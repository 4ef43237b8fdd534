// hello (joining a room, with catch-up from last_seq and the welcome) and ping.
#include <algorithm>

#include "donations/catalog.hpp"
#include "donations/text_rules.hpp"
#include "web/random_id.hpp"
#include "web/room_requests.hpp"
#include "web/session_token.hpp"

namespace boai::web {

using nlohmann::json;

namespace {

bool is_session_token(const std::string& s) {
  return s.size() >= 8 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

// The session a hello names, when the server signed it; otherwise a new one (welcome gives it).
std::string session_of(const LiveRoomConfig& config, const std::string& asked) {
  if (config.session_key.empty()) {
    return is_session_token(asked) ? asked : random_id();
  }
  auto id = verified_session(config.session_key, asked);
  return id ? *id : random_id();
}

json welcome_frame(RoomContext& context, const RoomSession& s, RoomState& room) {
  const auto& config = context.config();
  json funds = json::array();
  for (const auto& fund : room.campaign.funds) {
    funds.push_back({{"slug", fund.slug}, {"name", fund.name}});
  }
  json welcome = {
      {"type", "welcome"},
      {"room", room.slug()},
      {"seq", room.seq()},
      {"viewers", context.feed().viewers_of(room)},
      {"totals", totals_json(room)},
      {"recent", room.recent("chat.message", config.recent_chat)},
      {"recent_donations", room.recent("donation", config.recent_donations)},
      {"session",
       config.session_key.empty() ? s.session_id : session_token(config.session_key, s.session_id)},
      {"nickname", s.nickname},
      {"campaign",
       {{"title", room.campaign.title},
        {"status", room.campaign.status},
        {"goal_fen", room.campaign.goal.fen()},
        {"funds", funds}}},
      {"slow_mode_seconds", room.slow_mode_seconds}};
  // What is on the video's card now, for a phone that joins after it was featured.
  json featured = room.latest("wish.featured", "sale.featured");
  welcome["featured"] = featured.is_object() && featured.value("id", 0) != 0 ? featured : json();
  if (s.staff) {
    welcome["staff"] = {{"name", s.staff->name}, {"role", s.staff->role}};
  }
  return welcome;
}

// Into the room: what was missed since last_seq (or a resync), then the welcome.
void join(RoomContext& context, RoomSession& s, RoomState& room,
          std::optional<std::int64_t> last_seq) {
  s.room = room.slug();
  context.feed().join(room, *s.conn);
  if (last_seq) {
    if (auto missed = room.since(*last_seq)) {
      for (const auto* e : *missed) {
        context.feed().send(*s.conn, e->frame);
      }
    } else {
      context.reply(s, json{{"type", "resync"}, {"seq", room.seq()}}.dump());
    }
  }
  context.reply(s, welcome_frame(context, s, room).dump());
}

// A draft is the staff's to prepare: to a viewer it does not exist yet. The room's campaign was
// read when it opened, so whether it has opened since is asked of the database.
void admit_to_draft(const LaterReply& answer, const std::string& slug,
                    std::optional<std::int64_t> resume) {
  using Status = std::optional<std::string>;
  answer.context()->pool().run<Status>(
      [slug](sql::Connection& conn) -> Status {
        auto campaign = donations::find_campaign(conn, slug);
        return campaign ? Status(campaign->status) : std::nullopt;
      },
      [answer, slug, resume](Status status) {
        auto* who = answer.session();
        if (who == nullptr) {
          return;
        }
        who->joining = false;
        auto* room = answer.context()->feed().ready(slug);
        if (room == nullptr || !status || *status == "draft") {
          return answer.refuse(make_error("room_not_found", "no such live room"));
        }
        room->campaign.status = *status;
        if (who->sanctioned(*room, "ban")) {
          answer.refuse(make_error("banned", "you were removed from this room"));
          who->conn->close(kClosePolicy, "banned");
          return;
        }
        join(*answer.context(), *who, *room, resume);
        if (answer.has_rid()) {
          answer.ack();
        }
      },
      [](const sql::DbError&) { return Status(); });
}

// The nickname a session shows: the one it asked for, checked, or a staff name or 观众xxxx.
std::expected<std::string, Error> nickname_for(const RoomContext& context, const RoomSession& s,
                                               const std::string& asked) {
  std::string nick = donations::trim_text(asked);
  if (!donations::is_storable_text(nick)) {  // "\u0000" decodes to a NUL, which text cannot hold
    return std::unexpected(make_error("text_invalid", "a nickname cannot hold a NUL character"));
  }
  auto max_chars = context.config().max_nickname_chars;
  if (donations::char_count(nick) > max_chars) {
    return std::unexpected(make_error(
        "too_long", "a nickname is at most " + std::to_string(max_chars) + " characters"));
  }
  // Posing as the host: staff names and their look-alikes (Ｈｏｓｔ, HOST) are the staff's own.
  if (!s.staff && !nick.empty() && context.reserved_names().reserved(nick)) {
    return std::unexpected(
        make_error("nickname_reserved", "that nickname is kept for the station's staff"));
  }
  if (nick.empty()) {
    nick = s.staff ? s.staff->name : "观众" + random_id().substr(0, 4);
  }
  return nick;
}

void hello(RoomContext& context, const Request& r) {
  auto& s = r.session;
  const auto& f = r.frame;
  if (!s.room.empty() || s.joining) {
    return context.refuse(s, f, make_error("bad_request", "this connection is in a room already"));
  }
  auto room = string_field(f, "room");
  auto nickname = string_field(f, "nickname", false);
  auto session = string_field(f, "session", false);
  auto last_seq = integer_field(f, "last_seq", std::int64_t{-1});
  if (!room || !nickname || !session || !last_seq) {
    return context.refuse(s, f,
                          !room       ? room.error()
                          : !nickname ? nickname.error()
                          : !session  ? session.error()
                                      : last_seq.error());
  }
  auto nick = nickname_for(context, s, *nickname);
  if (!nick) {
    return context.refuse(s, f, nick.error());
  }
  s.nickname = *nick;
  s.session_id = session_of(context.config(), *session);
  if (!donations::is_valid_slug(*room)) {
    return context.refuse(
        s, f, make_error("room_not_found", "no live room \"" + room->substr(0, 64) + "\""));
  }
  s.joining = true;
  std::optional<std::int64_t> resume;
  if (*last_seq >= 0) {
    resume = *last_seq;
  }
  context.feed().with_room(*room, [answer = context.later(s, f), resume](RoomState* found) {
    auto* who = answer.session();
    if (who == nullptr) {
      return;
    }
    if (found != nullptr && found->campaign.status == "draft" && !who->staff) {
      return admit_to_draft(answer, found->slug(), resume);
    }
    who->joining = false;
    if (found == nullptr) {
      return answer.refuse(make_error("room_not_found", "no such live room"));
    }
    // A host shares the hall's address with the viewers there: a ban never keeps staff out.
    if (!who->staff && who->sanctioned(*found, "ban")) {
      answer.refuse(make_error("banned", "you were removed from this room"));
      who->conn->close(kClosePolicy, "banned");
      return;
    }
    join(*answer.context(), *who, *found, resume);
    if (answer.has_rid()) {
      answer.ack();
    }
  });
}

void ping(RoomContext& context, const Request& r) {
  context.reply(r.session, ack_frame(r.frame.rid));
}

}  // namespace

std::vector<RequestRoute> hello_requests() {
  return {{"hello", hello}, {"ping", ping}};
}

}  // namespace boai::web
