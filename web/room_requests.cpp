// RequestTable: the rows of every feature, and the checks every request passes before its handler.
#include "web/room_requests.hpp"

namespace boai::web {

void RoomContext::reply(RoomSession& s, const std::string& text) {
  feed().send(*s.conn, make_frame(text));
}

void RoomContext::refuse(RoomSession& s, const ClientFrame& f, const Error& e) {
  reply(s, error_frame(f.rid, e.code, e.message));
}

LaterReply RoomContext::later(const RoomSession& s, const ClientFrame& f) {
  return LaterReply(*this, alive_, s.id(), f.rid);
}

void LaterReply::ack(nlohmann::json extra) const {
  if (auto* s = session()) {
    context_->reply(*s, ack_frame(rid_, std::move(extra)));
  }
}

void LaterReply::refuse(const Error& e, nlohmann::json extra) const {
  if (auto* s = session()) {
    context_->reply(*s, error_frame(rid_, e.code, e.message, std::move(extra)));
  }
}

RequestTable::RequestTable(const std::vector<std::vector<RequestRoute>>& features) {
  for (const auto& rows : features) {
    for (const auto& row : rows) {
      if (row.type.ends_with(".*")) {
        prefixed_.emplace(row.type.substr(0, row.type.size() - 1), row);
      } else {
        exact_.emplace(row.type, row);
      }
    }
  }
}

const RequestRoute* RequestTable::find(std::string_view type) const {
  if (auto it = exact_.find(type); it != exact_.end()) {
    return &it->second;
  }
  auto dot = type.find('.');
  if (dot == std::string_view::npos) {
    return nullptr;
  }
  auto it = prefixed_.find(type.substr(0, dot + 1));
  return it != prefixed_.end() ? &it->second : nullptr;
}

void RequestTable::dispatch(RoomContext& context, RoomSession& session,
                            const ClientFrame& frame) const {
  const auto* route = find(frame.type);
  if (route == nullptr) {
    ++session.bad_frames;
    return context.refuse(
        session, frame,
        make_error("unknown_type", "unknown type \"" + frame.type.substr(0, 40) + "\""));
  }
  if (route->sender == Sender::kHost && !session.is_host()) {
    return context.refuse(session, frame,
                          make_error("not_allowed", "only the room's hosts may do that"));
  }
  if (route->sender == Sender::kStaff && !session.staff) {
    return context.refuse(session, frame, make_error("not_allowed", "only staff may do that"));
  }
  RoomState* room = nullptr;
  if (route->in_room) {
    room = session.room.empty() ? nullptr : context.feed().ready(session.room);
    if (room == nullptr) {
      return context.refuse(session, frame, make_error("not_in_room", "say hello to a room first"));
    }
  }
  route->handle(context, Request{session, frame, room});
}

}  // namespace boai::web
