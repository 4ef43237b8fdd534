// The live room's request table: every feature's rows are found by exact type, a ".*" row takes
// its prefix, and what no row names is unknown. The rows say who may send each request.
#include "web/room_requests.hpp"

#include <catch2/catch.hpp>

using namespace boai::web;

namespace {

RequestTable every_feature() {
  return RequestTable({hello_requests(), chat_requests(), pledge_requests(), moderation_requests(),
                       studio_requests(), wish_requests()});
}

}  // namespace

TEST_CASE("requests are found by type, a prefix row takes the rest, and others are unknown") {
  auto table = every_feature();
  for (const char* type : {"hello", "ping", "chat.send", "pledge.create", "mod.ban",
                           "mod.blocked_words", "wish.post", "wish.review"}) {
    INFO(type);
    const auto* route = table.find(type);
    REQUIRE(route != nullptr);
    CHECK(route->type == type);
  }
  REQUIRE(table.find("studio.go_live") != nullptr);
  CHECK(table.find("studio.go_live")->type == "studio.*");
  CHECK(table.find("mod.unheard_of")->type == "mod.*");
  CHECK(table.find("chat.unheard_of") == nullptr);
  CHECK(table.find("wish.unheard_of") == nullptr);
  CHECK(table.find("studio") == nullptr);
  CHECK(table.find("") == nullptr);
}

TEST_CASE("each request says who may send it and whether it needs a room") {
  auto table = every_feature();
  CHECK(table.find("hello")->sender == Sender::kAnyone);
  CHECK_FALSE(table.find("hello")->in_room);
  CHECK(table.find("chat.send")->in_room);
  CHECK(table.find("pledge.create")->in_room);
  CHECK(table.find("mod.delete")->sender == Sender::kHost);
  CHECK(table.find("studio.stop")->sender == Sender::kHost);
  CHECK(table.find("wish.review")->sender == Sender::kStaff);
  CHECK(table.find("wish.feature")->sender == Sender::kHost);
  CHECK(table.find("wish.post")->sender == Sender::kAnyone);
  CHECK_FALSE(table.find("wish.mine")->in_room);  // a poster checks from any page
}
