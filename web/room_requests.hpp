// The boai.v1 requests the live room answers: a table from a frame's type to its handler, with
// who may send it. Each feature adds its rows from a file of its own (room_hello.cpp,
// room_chat.cpp, room_pledges.cpp, room_moderation.cpp, room_studio.cpp); a new feature is a new
// file and its rows, not an edit of the others.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "web/room_context.hpp"

namespace boai::web {

// A request as its handler gets it: room is the sender's room when the route needs one.
struct Request {
  RoomSession& session;
  const ClientFrame& frame;
  RoomState* room = nullptr;
};

using RequestHandler = void (*)(RoomContext& context, const Request& request);

// Who may send a request; anyone else gets not_allowed.
enum class Sender {
  kAnyone,
  kStaff,  // host, finance or admin
  kHost,   // the room's hosts: host or admin
};

struct RequestRoute {
  std::string type;  // "mod.ban"; a type ending in ".*" takes every type with that prefix
  RequestHandler handle;
  Sender sender = Sender::kAnyone;
  bool in_room = false;  // not_in_room until the sender said hello to a room
};

// Each feature's rows.
std::vector<RequestRoute> hello_requests();
std::vector<RequestRoute> chat_requests();
std::vector<RequestRoute> pledge_requests();
std::vector<RequestRoute> moderation_requests();
std::vector<RequestRoute> studio_requests();
std::vector<RequestRoute> wish_requests();
std::vector<RequestRoute> sale_requests();

class RequestTable {
 public:
  explicit RequestTable(const std::vector<std::vector<RequestRoute>>& features);
  // The route of a type, or null.
  const RequestRoute* find(std::string_view type) const;
  // Checks who may send it, finds the sender's room, and calls the handler. An unknown type is
  // refused as unknown_type and counts as a bad frame.
  void dispatch(RoomContext& context, RoomSession& session, const ClientFrame& frame) const;

 private:
  std::map<std::string, RequestRoute, std::less<>> exact_;
  std::map<std::string, RequestRoute, std::less<>> prefixed_;  // by prefix, "studio."
};

}  // namespace boai::web
