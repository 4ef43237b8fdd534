// What keeps a flooding client from costing the others: the depth check and rid scan before the
// parser, and which connections the I/O thread stops reading while their frames wait.
#include <catch2/catch.hpp>
#include <string>

#include "web/frame_peek.hpp"
#include "web/inbound_limit.hpp"
#include "web/ws_messages.hpp"

using namespace boai::web;

TEST_CASE("frames nested past the limit are refused as too_deep, before parsing") {
  std::string deep = std::string(8000, '[') + std::string(8000, ']');
  CHECK(peek_client_frame(deep).too_deep);
  auto refused = parse_client_frame(deep);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == "too_deep");
  // Unbalanced, as a flood would send it: still too deep, not read to the end.
  CHECK(parse_client_frame(R"({"type":"x","a":)" + std::string(8000, '[')).error().code ==
        "too_deep");
  // Brackets inside strings are text.
  std::string in_text = R"({"type":"chat.send","text":")" + std::string(100, '[') + R"("})";
  CHECK(parse_client_frame(in_text));
  CHECK(parse_client_frame(R"({"type":"mod.blocked_words","words":["a","b"]})"));
  CHECK(parse_client_frame(R"({"type":"x","a":[[[[[[[1]]]]]]]})"));
  CHECK(parse_client_frame(R"({"type":"x","a":[[[[[[[[1]]]]]]]]})").error().code == "too_deep");
}

TEST_CASE("the rid of a frame is found without building it") {
  CHECK(peek_client_frame(R"({"type":"chat.send","rid":"r7","text":"hi"})").rid == "r7");
  CHECK(peek_client_frame(R"({"text":"hi","rid":12})").rid == "12");
  CHECK(peek_client_frame(R"({"a":{"rid":"inner"},"type":"x"})").rid == std::nullopt);
  CHECK(peek_client_frame(R"({"rid":")" + std::string(65, 'x') + R"("})").rid == std::nullopt);
  CHECK(peek_client_frame("not json").rid == std::nullopt);
  CHECK_FALSE(peek_client_frame("not json").too_deep);
}

TEST_CASE("a connection with frames waiting is not read until the room takes them") {
  InboundLimit limit(3, 1000);
  std::vector<std::uint64_t> resume;
  CHECK_FALSE(limit.forwarded(1, 10));
  CHECK_FALSE(limit.forwarded(1, 10));
  CHECK(limit.forwarded(1, 10));        // the third waits: stop reading
  CHECK_FALSE(limit.forwarded(2, 10));  // another connection is still read
  limit.taken(1, 10, resume);
  REQUIRE(resume == std::vector<std::uint64_t>{1});
  CHECK(limit.paused() == 0);
  resume.clear();
  limit.taken(2, 10, resume);
  CHECK(resume.empty());
  CHECK(limit.waiting_bytes() == 20);
}

TEST_CASE("past the total every connection waits, and all are read again below it") {
  InboundLimit limit(100, 100);
  std::vector<std::uint64_t> resume;
  CHECK_FALSE(limit.forwarded(1, 60));
  CHECK(limit.forwarded(2, 60));  // 120 waiting: stop
  CHECK(limit.forwarded(3, 1));
  limit.taken(3, 1, resume);  // still 120
  CHECK(resume.empty());
  limit.taken(1, 60, resume);
  CHECK(resume.size() == 2);
  CHECK(limit.paused() == 0);
  // A connection that closed while stopped is forgotten; its frames still count until taken.
  CHECK(limit.forwarded(4, 200));
  limit.closed(4);
  CHECK(limit.paused() == 0);
  CHECK(limit.waiting_bytes() == 260);
  limit.taken(4, 200, resume);
  CHECK(limit.waiting_bytes() == 60);
}
