// Password hashing: round trips, wrong passwords, every kind of tampered encoding, fresh salts,
// and the cookie and role rules that go with sign-in.
#include "web/password_hash.hpp"

#include <catch2/catch.hpp>

#include "web/staff_accounts.hpp"
#include "web/staff_routes.hpp"

using namespace boai::web;

namespace {

// Cheap enough for many cases; the server's own cost is checked once below.
constexpr ScryptParams kFast{1 << 10, 8, 1};

std::vector<std::string> fields(const std::string& encoded) {
  std::vector<std::string> out;
  std::string field;
  for (char c : encoded) {
    if (c == '$') {
      out.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  out.push_back(field);
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    out += (out.empty() ? "" : "$") + p;
  }
  return out;
}

}  // namespace

TEST_CASE("a hashed password verifies, and only that password does") {
  auto encoded = hash_password("correct horse 电池", kFast);
  CHECK(verify_password("correct horse 电池", encoded));
  CHECK_FALSE(verify_password("correct horse 电", encoded));
  CHECK_FALSE(verify_password("Correct horse 电池", encoded));
  CHECK_FALSE(verify_password("", encoded));
  // (HMAC pads a short key with zero bytes, so "…\0" would match: the same secret, no weakness.)
}

TEST_CASE("the encoding names its scheme and costs, and the server's cost round-trips") {
  auto encoded = hash_password("server password");
  auto f = fields(encoded);
  REQUIRE(f.size() == 6);
  CHECK(f[0] == "scrypt");
  CHECK(f[1] == "32768");
  CHECK(f[2] == "8");
  CHECK(f[3] == "1");
  CHECK(f[4].size() == 24);  // 16 bytes of salt
  CHECK(f[5].size() == 44);  // 32 bytes of hash
  CHECK(verify_password("server password", encoded));
  CHECK_FALSE(verify_password("server passwore", encoded));
}

TEST_CASE("every hash gets its own salt") {
  auto a = hash_password("same password", kFast);
  auto b = hash_password("same password", kFast);
  CHECK(a != b);
  CHECK(fields(a)[4] != fields(b)[4]);
  CHECK(fields(a)[5] != fields(b)[5]);
  CHECK(verify_password("same password", a));
  CHECK(verify_password("same password", b));
}

TEST_CASE("a tampered or malformed encoding never verifies") {
  const std::string password = "tamper-proof";
  auto good = hash_password(password, kFast);
  auto f = fields(good);
  REQUIRE(verify_password(password, good));

  auto with = [&](std::size_t i, std::string value) {
    auto parts = f;
    parts[i] = std::move(value);
    return joined(parts);
  };
  auto flip = [](std::string text) {
    text[2] = text[2] == 'A' ? 'B' : 'A';
    return text;
  };
  for (const auto& bad : {with(0, "bcrypt"),
                          with(1, "2048"),
                          with(1, "1000"),
                          with(1, "01024"),
                          with(1, "-1024"),
                          with(1, std::to_string(1 << 30)),
                          with(2, "9"),
                          with(2, "0"),
                          with(2, "1000"),
                          with(3, "2"),
                          with(3, "0"),
                          with(4, flip(f[4])),
                          with(5, flip(f[5])),
                          with(4, f[4] + "===="),
                          with(5, f[5].substr(0, 40)),
                          with(5, f[5].substr(0, 43)),
                          with(5, "!!!!" + f[5].substr(4)),
                          with(5, ""),
                          with(4, ""),
                          good + "$",
                          "$" + good,
                          good.substr(0, good.size() - 1),
                          std::string(""),
                          std::string("scrypt"),
                          std::string("scrypt$$$$$"),
                          std::string(password)}) {
    INFO(bad);
    CHECK_FALSE(verify_password(password, bad));
  }
}

TEST_CASE("the session token is found in a Cookie header") {
  CHECK(session_token_from_cookie("") == "");
  CHECK(session_token_from_cookie("boai_session=abc") == "abc");
  CHECK(session_token_from_cookie("a=1; boai_session=abc; b=2") == "abc");
  CHECK(session_token_from_cookie("a=1;boai_session=abc") == "abc");
  CHECK(session_token_from_cookie("xboai_session=abc") == "");
  CHECK(session_token_from_cookie("boai_session_old=abc; boai_session=def") == "def");
  CHECK(session_token_from_cookie("boai_session=") == "");
}

TEST_CASE("the session cookie is HttpOnly and SameSite=Strict, and Secure under TLS") {
  CHECK(session_cookie("t0k", false) ==
        "boai_session=t0k; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200");
  CHECK(session_cookie("t0k", true) ==
        "boai_session=t0k; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200; Secure");
  CHECK(session_cookie("", false) == "boai_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
}

TEST_CASE("admin may do everything, host and finance only their own") {
  CHECK(role_allows("admin", "host"));
  CHECK(role_allows("admin", "finance"));
  CHECK(role_allows("admin", "admin"));
  CHECK(role_allows("host", "host"));
  CHECK_FALSE(role_allows("host", "finance"));
  CHECK_FALSE(role_allows("host", "admin"));
  CHECK(role_allows("finance", "finance"));
  CHECK_FALSE(role_allows("finance", "host"));
  CHECK_FALSE(role_allows("", "host"));
  CHECK_FALSE(role_allows("viewer", "viewer"));
  CHECK_FALSE(role_allows("Admin", "host"));
}
