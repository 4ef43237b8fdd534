// chat.send: a viewer's message, checked against the room's rules, stored, then delivered.
#include "donations/text_rules.hpp"
#include "web/room_requests.hpp"

namespace boai::web {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// The text as it will be stored, or why it cannot be.
std::expected<std::string, Error> checked_text(const RoomContext& context, const ClientFrame& f) {
  auto text = string_field(f, "text");
  if (!text) {
    return std::unexpected(text.error());
  }
  std::string t = donations::trim_text(*text);
  if (!donations::is_storable_text(t)) {
    return std::unexpected(make_error("text_invalid", "a message cannot hold a NUL character"));
  }
  if (t.empty()) {
    return std::unexpected(make_error("bad_request", "the message is empty"));
  }
  auto max_chars = context.config().max_text_chars;
  if (donations::char_count(t) > max_chars) {
    return std::unexpected(make_error(
        "too_long", "a message is at most " + std::to_string(max_chars) + " characters"));
  }
  return t;
}

// Viewers (not staff) keep the room's rules: blocked words, mutes and slow mode.
std::expected<void, Error> keeps_rules(RoomContext& context, RoomSession& s, const RoomState& room,
                                       const std::string& text) {
  if (room.has_blocked_word(text)) {
    return std::unexpected(
        make_error("blocked_word", "the message has a word this room does not allow"));
  }
  if (s.sanctioned(room, "mute")) {
    return std::unexpected(make_error("muted", "you are muted for now"));
  }
  auto now = Clock::now();
  if (room.slow_mode_seconds > 0 && s.last_chat != Clock::time_point{} &&
      now - s.last_chat < std::chrono::seconds(room.slow_mode_seconds)) {
    context.counters().rate_limited.add();
    return std::unexpected(make_error(
        "slow_mode",
        "slow mode: one message every " + std::to_string(room.slow_mode_seconds) + " s"));
  }
  s.last_chat = now;
  return {};
}

void chat_send(RoomContext& context, const Request& r) {
  auto& s = r.session;
  auto text = checked_text(context, r.frame);
  if (!text) {
    return context.refuse(s, r.frame, text.error());
  }
  if (!s.staff) {
    if (auto kept = keeps_rules(context, s, *r.room, *text); !kept) {
      return context.refuse(s, r.frame, kept.error());
    }
  }
  json body = {{"nickname", s.nickname}, {"text", *text}};
  if (s.staff) {  // pages badge it: 主持 for hosts, 工作人员 for the others
    body["staff"] = true;
    body["role"] = s.staff->role;
  }
  context.feed().append(
      *r.room, NewRoomEvent{"chat.message", body, s.session_id, s.conn->peer(), std::nullopt},
      [answer = context.later(s, r.frame)](const StoredRoomEvent* stored) {
        if (stored == nullptr) {
          return answer.refuse(make_error("db_unavailable", "not sent; try again"));
        }
        answer.ack({{"seq", stored->seq}, {"id", *stored->message_id}});
      });
}

}  // namespace

std::vector<RequestRoute> chat_requests() {
  return {{"chat.send", chat_send, Sender::kAnyone, true}};
}

}  // namespace boai::web
