// The live room's pure parts: parsing client frames, the token bucket, a room's ordering and
// replay of events, and its viewers on other nodes.
#include <catch2/catch.hpp>

#include "web/room_presence.hpp"
#include "web/room_state.hpp"
#include "web/token_bucket.hpp"
#include "web/ws_messages.hpp"

using namespace boai::web;

TEST_CASE("client frames: JSON objects with a type, or a stable error") {
  auto ok = parse_client_frame(R"({"type":"chat.send","rid":"7","text":"你好"})");
  REQUIRE(ok);
  CHECK(ok->type == "chat.send");
  CHECK(ok->rid == "7");
  CHECK(*string_field(*ok, "text") == "你好");
  CHECK(parse_client_frame(R"({"type":"x","rid":12})")->rid == "12");

  for (const char* bad :
       {"", "nope", "[]", "42", R"({"rid":"1"})", R"({"type":5})", "{\"type\":\"x\""}) {
    INFO(bad);
    auto r = parse_client_frame(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "bad_json");
  }
  CHECK(parse_client_frame(R"({"type":"x","rid":{"a":1}})").error().code == "bad_request");
  CHECK(parse_client_frame("{\"type\":\"x\",\"text\":\"\xff\"}").error().code == "bad_json");
}

TEST_CASE("fields are typed strictly: amounts are whole numbers") {
  auto f = *parse_client_frame(R"({"type":"p","a":100,"b":12.5,"c":"100","d":null,"e":true})");
  CHECK(*integer_field(f, "a") == 100);
  CHECK(integer_field(f, "b").error().code == "bad_request");
  CHECK(integer_field(f, "c").error().code == "bad_request");
  CHECK(integer_field(f, "missing").error().code == "bad_request");
  CHECK(*integer_field(f, "d", 7) == 7);
  CHECK(string_field(f, "a").error().code == "bad_request");
  CHECK(*string_field(f, "missing", false) == "");
  CHECK(bool_field(f, "e"));
  CHECK_FALSE(bool_field(f, "a"));
}

TEST_CASE("error and ack frames carry the rid") {
  auto e = nlohmann::json::parse(error_frame(std::string("9"), "too_long", "at most 200"));
  CHECK(e["type"] == "error");
  CHECK(e["rid"] == "9");
  CHECK(e["code"] == "too_long");
  auto a = nlohmann::json::parse(ack_frame(std::nullopt, {{"seq", 3}}));
  CHECK(a["type"] == "ack");
  CHECK_FALSE(a.contains("rid"));
  CHECK(a["seq"] == 3);
}

TEST_CASE("the token bucket allows a burst, then the rate") {
  TokenBucket b(1.0, 5.0);
  auto t = TokenBucket::Clock::now();
  for (int i = 0; i < 5; ++i) {
    CHECK(b.take(t));
  }
  CHECK_FALSE(b.take(t));
  CHECK(b.take(t + std::chrono::milliseconds(1000)));
  CHECK_FALSE(b.take(t + std::chrono::milliseconds(1100)));
  CHECK(b.take(t + std::chrono::seconds(100)));
}

namespace {

StoredRoomEvent chat(std::int64_t seq, std::int64_t id) {
  nlohmann::json body = {{"type", "chat.message"}, {"seq", seq}, {"id", id}, {"text", "m"}};
  return StoredRoomEvent{seq, "chat.message", body.dump(), id, false, 0};
}

RoomState opened(std::size_t ring, std::int64_t last_seq, std::vector<StoredRoomEvent> history) {
  RoomState room("r", ring);
  RoomSnapshot snap;
  snap.last_seq = last_seq;
  snap.events = std::move(history);
  room.open(std::move(snap));
  return room;
}

}  // namespace

TEST_CASE("a room delivers events once each, in seq order, whatever order they arrive in") {
  auto room = opened(100, 0, {});
  CHECK(room.accept({chat(2, 12)}).empty());  // 1 is missing: wait
  auto ready = room.accept({chat(1, 11), chat(1, 11)});
  REQUIRE(ready.size() == 2);
  CHECK(ready[0]->stored.seq == 1);
  CHECK(ready[1]->stored.seq == 2);
  CHECK(room.accept({chat(2, 12)}).empty());  // seen already
  CHECK(room.seq() == 2);
  CHECK(frame_payload(ready[0]->frame).find("\"seq\":1") != std::string_view::npos);
}

TEST_CASE("replay gives what was missed, or asks for a resync") {
  auto room = opened(3, 0, {});
  room.accept({chat(1, 1), chat(2, 2), chat(3, 3), chat(4, 4), chat(5, 5)});
  auto missed = room.since(3);
  REQUIRE(missed);
  REQUIRE(missed->size() == 2);
  CHECK((*missed)[0]->stored.seq == 4);
  CHECK(room.since(5)->empty());
  CHECK_FALSE(room.since(1));  // 2 fell out of the ring
  CHECK_FALSE(room.since(9));  // from the future
  CHECK_FALSE(room.since(-2));
}

TEST_CASE("a reopened room holds its history without replaying it, and knows removals") {
  auto room = opened(100, 3, {chat(1, 1), chat(2, 2), chat(3, 3)});
  CHECK(room.seq() == 3);
  CHECK(room.recent("chat.message", 50).size() == 3);
  nlohmann::json removal = {{"type", "chat.removed"}, {"seq", 4}, {"id", 2}};
  room.accept({StoredRoomEvent{4, "chat.removed", removal.dump(), std::nullopt, false, 0}});
  auto recent = room.recent("chat.message", 50);
  REQUIRE(recent.size() == 2);
  CHECK(recent[0]["id"] == 1);
  CHECK(recent[1]["id"] == 3);
  CHECK(room.recent("chat.message", 1).size() == 1);
  CHECK(room.recent("chat.message", 1)[0]["id"] == 3);
}

TEST_CASE("a room's viewers on other nodes: summed, replaced, dropped on goodbye or silence") {
  RoomPresence presence("me");
  auto t0 = RoomPresence::Clock::now();
  CHECK(presence.heard("n1 firstaid 3", t0));
  CHECK(presence.heard("n2 firstaid 4", t0));
  CHECK(presence.heard("n2 firstaid 5", t0));  // a newer count replaces the older
  CHECK(presence.heard("n1 other 7", t0));
  CHECK(presence.elsewhere("firstaid", t0) == 8);
  CHECK(presence.elsewhere("nobody", t0) == 0);
  CHECK(presence.heard("n1 firstaid 0", t0));  // goodbye
  CHECK(presence.elsewhere("firstaid", t0) == 5);
  CHECK(presence.elsewhere("firstaid", t0 + RoomPresence::kExpiry) == 0);  // n2 went silent

  for (const char* bad : {"", "n1", "n1 firstaid", "n1  3", " firstaid 3", "n1 firstaid x",
                          "n1 firstaid -1", "n1 firstaid 3x", "me firstaid 9"}) {
    INFO(bad);
    CHECK_FALSE(presence.heard(bad, t0));
  }
}

TEST_CASE("a node publishes its count when it changes, as a heartbeat, and a last zero") {
  RoomPresence presence("me");
  auto t0 = RoomPresence::Clock::now();
  CHECK_FALSE(presence.to_publish("firstaid", 0, t0));  // never had viewers: nothing to say
  CHECK(presence.to_publish("firstaid", 2, t0) == "me firstaid 2");
  CHECK_FALSE(presence.to_publish("firstaid", 2, t0 + std::chrono::seconds(1)));
  CHECK(presence.to_publish("firstaid", 3, t0 + std::chrono::seconds(2)) == "me firstaid 3");
  CHECK(
      presence.to_publish("firstaid", 3, t0 + std::chrono::seconds(2) + RoomPresence::kHeartbeat));
  CHECK(presence.to_publish("firstaid", 0, t0 + std::chrono::seconds(30)) == "me firstaid 0");
  CHECK_FALSE(presence.to_publish("firstaid", 0, t0 + std::chrono::seconds(60)));
}
