// One connection to the live room as its request handlers see it: who it is (a viewer, or staff
// signed in), which room it joined, and its own limits.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "web/room_state.hpp"
#include "web/token_bucket.hpp"
#include "web/ws_endpoint.hpp"

namespace boai::web {

struct StaffIdentity {
  std::string name;
  std::string role;  // host, finance, admin
  std::int64_t user_id = 0;
  std::string session_key;  // the session's name in kStaffChannel notices
  std::chrono::system_clock::time_point expires_at = std::chrono::system_clock::time_point::max();
};

struct RoomSession {
  RoomSession(WsConnection& connection, TokenBucket message_limit, TokenBucket pledge_limit)
      : conn(&connection), messages(message_limit), pledges(pledge_limit) {}

  // A host of the room: may moderate it and drive its studio.
  bool is_host() const { return staff && (staff->role == "host" || staff->role == "admin"); }
  std::uint64_t id() const { return conn->id(); }
  // A feature's own limit for this connection (wish posts, say), made on first use.
  TokenBucket& limit(const std::string& name, double per_second, double burst) {
    return limits.try_emplace(name, per_second, burst).first->second;
  }
  // Whether a mute or ban in force in the room covers this session, its address or its nickname.
  bool sanctioned(const RoomState& in, const std::string& kind) const {
    return in.sanctioned(kind, session_id, conn->peer(), nickname);
  }

  WsConnection* conn;
  std::string room;  // set once welcomed
  std::string nickname;
  std::string session_id;
  bool joining = false;
  bool authenticated = false;
  bool rechecking = false;         // staff powers suspended while the session is looked up again
  std::uint64_t staff_lookup = 0;  // the latest look-up: an older one's answer is stale
  std::optional<StaffIdentity> staff;
  std::vector<std::string> early_frames;  // arrived before the staff lookup finished
  TokenBucket messages;
  TokenBucket pledges;
  std::map<std::string, TokenBucket> limits;
  int bad_frames = 0;
  std::chrono::steady_clock::time_point last_chat{};
};

}  // namespace boai::web
