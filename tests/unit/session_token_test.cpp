// Session ids the server signs: what it issued verifies, anything else does not.
#include "web/session_token.hpp"

#include <catch2/catch.hpp>

using namespace boai::web;

TEST_CASE("a signed session verifies under its key only") {
  const std::string key = "0123456789abcdef0123456789abcdef";
  auto token = issue_session(key);
  REQUIRE(token.size() == 49);
  auto id = verified_session(key, token);
  REQUIRE(id);
  CHECK(session_token(key, *id) == token);
  CHECK_FALSE(verified_session("another key of the same length!!", token));
  auto forged = token;
  forged.back() = forged.back() == '0' ? '1' : '0';
  CHECK_FALSE(verified_session(key, forged));
  CHECK_FALSE(verified_session(key, "made-up-session-1"));
  CHECK_FALSE(verified_session(key, token.substr(0, 48)));
  CHECK_FALSE(verified_session(key, ""));
}
