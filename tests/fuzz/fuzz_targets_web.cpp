// Fuzz targets for what reaches the web layer from outside: the sign-in body, the Cookie header,
// other nodes' NOTIFY payloads, password hashes as stored (an edited row included), and the
// paged lists' query (limit, after_seq, before).
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "donations/text_rules.hpp"
#include "stream/recordings.hpp"
#include "tests/fuzz/fuzz_targets.hpp"
#include "web/password_hash.hpp"
#include "web/query_params.hpp"
#include "web/room_presence.hpp"
#include "web/room_store.hpp"
#include "web/staff_accounts.hpp"
#include "web/staff_routes.hpp"

namespace boai::fuzz {

void login_body(const std::uint8_t* data, std::size_t size) {
  auto body = web::parse_login_body(view(data, size));
  if (!body) {
    require(body.error().code == "bad_json", "a refused body is bad_json");
    return;
  }
  require(donations::is_valid_utf8(body->name) && donations::is_valid_utf8(body->password),
          "a name and a password are UTF-8");
  auto again = web::parse_login_body(
      nlohmann::json{{"name", body->name}, {"password", body->password}}.dump());
  require(again && again->name == body->name && again->password == body->password,
          "what was read is what a client would have sent");
}

void cookie_header(const std::uint8_t* data, std::size_t size) {
  std::string header(view(data, size));
  std::string token = web::session_token_from_cookie(header);
  if (token.empty()) {
    return;
  }
  require(header.find(std::string(web::kSessionCookie) + "=" + token) != std::string::npos,
          "the token is the session cookie's value as sent");
  require(token.find(';') == std::string::npos, "a token never runs into the next cookie");
  require(token.back() != ' ', "a token has no trailing space");
}

void room_presence(const std::uint8_t* data, std::size_t size) {
  // A node hears a payload: "node room count", with one space each side of the room.
  auto payload = view(data, size);
  auto now = web::RoomPresence::Clock::now();
  web::RoomPresence presence("this-node");
  if (!presence.heard(payload, now)) {
    return;
  }
  auto first = payload.find(' ');
  auto last = payload.rfind(' ');
  require(first != std::string_view::npos && last > first + 1, "a count names a node and a room");
  std::string room(payload.substr(first + 1, last - first - 1));
  require(payload.substr(0, first) != "this-node", "a node's own count is not heard");
  auto count = std::stoull(std::string(payload.substr(last + 1)));
  require(presence.elsewhere(room, now) == count, "the room shows the count heard");
  require(presence.elsewhere(room, now + web::RoomPresence::kExpiry) == 0,
          "a count not refreshed is forgotten");
  // Published by one node, heard by another: the same number.
  web::RoomPresence other("other-node");
  if (auto said = other.to_publish(room, count, now)) {
    web::RoomPresence listener("listener");
    require(listener.heard(*said, now), "a published count is heard");
    require(listener.elsewhere(room, now) == count, "a published count arrives whole");
  }
}

void room_notice(const std::uint8_t* data, std::size_t size) {
  auto payload = view(data, size);
  auto notice = web::parse_room_notice(payload);
  if (!notice) {
    return;
  }
  require(!notice->slug.empty() && notice->first >= 0 && notice->last >= notice->first,
          "a notice names a room and a range of events");
  require(web::room_notice_payload(*notice) == payload, "a notice is read as it was written");
}

void stored_password_hash(const std::uint8_t* data, std::size_t size) {
  // The seeds hold the real hashes of this password, with costs small enough to run often.
  static const std::string_view kPassword = "correct horse battery";
  static const std::string_view kValid[] = {
      "scrypt$16$1$1$AQIDBAUGBwgJCgsMDQ4PEA==$meNTH/H8L4HMvLyfLQ5omXiJDUcpfsU2M7aQ2/qf1RE=",
      "scrypt$2$1$1$Ym9haS1mdXp6LXNhbHQhIQ==$UAfL6Np8RBYuBcB62Qm2nMDU842VsmcnSj65amj3/0I=",
      "scrypt$32$2$1$ZGVmZ2hpams=$3VG691Zn/1a0+k0jPfeZ/TTI9rVQnEhwgZ/bwHE0Rmk="};
  auto encoded = view(data, size);
  bool valid = false;
  for (auto v : kValid) {
    valid |= encoded == v;
  }
  require(web::verify_password(kPassword, encoded) == valid,
          "only an encoding hash_password could have written for it verifies a password");
  require(!web::verify_password("wrong password", encoded), "a wrong password never verifies");
}

void paging_query(const std::uint8_t* data, std::size_t size) {
  auto query = view(data, size);
  for (const char* name : {"limit", "after_seq", "before"}) {
    auto value = web::query_value(query, name);
    if (!value) {
      continue;
    }
    require(query.find(std::string(name) + "=" + *value) != std::string_view::npos ||
                (value->empty() && query.find(name) != std::string_view::npos),
            "a value is what followed its name in the query");
    for (std::int64_t max : {std::int64_t{0}, std::int64_t{500}, INT64_MAX}) {
      auto n = web::parse_bounded(*value, max);
      if (n) {
        require(*n >= 0 && *n <= max, "a number is within its bound");
        require(std::to_string(*n).size() <= value->size(), "a number is its digits");
      }
    }
  }
}

void recording_name(const std::uint8_t* data, std::size_t size) {
  std::string name(view(data, size));
  auto r = stream::parse_recording_name(name);
  if (!r) {
    return;
  }
  require(name.find('/') == std::string::npos && !name.starts_with("."),
          "a recording is a folder or a file in the directory, never a path out of it");
  require(r->hls == !name.ends_with(".mkv"), "a .mkv is a file, anything else a replay folder");
  require(r->name == name && name.starts_with(r->room + "-"), "the room begins the name");
  require(r->started_utc.size() == 20 && r->started_utc.ends_with("Z"), "a start is ISO 8601 UTC");
}

}  // namespace boai::fuzz
