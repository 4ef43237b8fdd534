// studio.*: a host's command to the studio that broadcasts into their room (on this node).
#include "web/room_requests.hpp"

namespace boai::web {

namespace {

void command_studio(RoomContext& context, const Request& r) {
  auto* studio = context.studio();
  if (studio == nullptr || r.session.room != studio->room()) {
    return context.refuse(
        r.session, r.frame,
        make_error("studio_unavailable", "no studio broadcasts into this room here"));
  }
  auto done = studio->command(r.frame.type, r.frame.body);
  if (!done) {
    return context.refuse(r.session, r.frame, done.error());
  }
  context.reply(r.session, ack_frame(r.frame.rid, *done));
}

}  // namespace

std::vector<RequestRoute> studio_requests() {
  return {{"studio.*", command_studio, Sender::kHost, false}};
}

}  // namespace boai::web
