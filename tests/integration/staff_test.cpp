// Staff sign-in for real: `boai user add` with the password on standard input, then a real
// `boai serve` answering /api/login, /api/me and /api/logout over HTTP on loopback.
#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sql/connection.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_cluster.hpp"
#include "web/staff_accounts.hpp"

using namespace boai::test;
using nlohmann::json;

namespace {

BoaiRun add_user(const std::string& url, const std::string& name, const std::string& role,
                 const std::string& password_line) {
  return run_boai({"user", "add", name, "--role", role, "--database-url", url}, {}, 60s,
                  password_line);
}

HttpReply login(int port, const std::string& name, const std::string& password) {
  return http_request(port, "POST", "/api/login",
                      json{{"name", name}, {"password", password}}.dump(),
                      {{"Content-Type", "application/json"}});
}

HttpReply login_from(const std::string& source, int port, const std::string& name,
                     const std::string& password) {
  return http_request_from(source, port, "POST", "/api/login",
                           json{{"name", name}, {"password", password}}.dump(),
                           {{"Content-Type", "application/json"}});
}

// "boai_session=TOKEN" from a Set-Cookie header, ready to send back.
std::string cookie_of(const HttpReply& reply) {
  auto set = reply.headers.count("set-cookie") ? reply.headers.at("set-cookie") : "";
  return set.substr(0, set.find(';'));
}

HttpReply me(int port, const std::string& cookie) {
  return http_request(port, "GET", "/api/me", "", {{"Cookie", cookie}});
}

std::string error_of(const HttpReply& reply) {
  auto body = json::parse(reply.body, nullptr, false);
  return body.is_object() && body.contains("error") ? body["error"].get<std::string>() : "";
}

struct Server {
  explicit Server(const std::string& url)
      : boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", temp_dir("staff").string(),
              "--database-url", url}) {
    auto p = boai.wait_for_port();
    INFO(boai.output());
    REQUIRE(p);
    port = *p;
  }
  BoaiProcess boai;
  int port = 0;
};

}  // namespace

TEST_CASE("boai user add reads the password from standard input and checks what it is given") {
  auto url = fresh_database("staff_cli");
  auto added = add_user(url, "王站长", "admin", "a long enough password\n");
  INFO(added.output);
  REQUIRE(added.exit_code == 0);
  CHECK(added.output.find("staff user 王站长 (admin) added") != std::string::npos);

  auto again = add_user(url, "王站长", "host", "another password\n");
  CHECK(again.exit_code == 1);
  CHECK(again.output.find("boai: user_exists: ") != std::string::npos);

  auto role = add_user(url, "lily", "owner", "a long enough password\n");
  CHECK(role.exit_code == 1);
  CHECK(role.output.find("boai: role_invalid: ") != std::string::npos);

  auto short_one = add_user(url, "lily", "host", "1234567\n");
  CHECK(short_one.exit_code == 1);
  CHECK(short_one.output.find("boai: password_too_short: ") != std::string::npos);

  auto name = add_user(url, " lily", "host", "a long enough password\n");
  CHECK(name.exit_code == 1);
  CHECK(name.output.find("boai: name_invalid: ") != std::string::npos);

  auto nothing = add_user(url, "lily", "host", "");
  CHECK(nothing.exit_code == 1);
  CHECK(nothing.output.find("boai: password_missing: ") != std::string::npos);

  auto no_role = run_boai({"user", "add", "lily", "--database-url", url}, {}, 60s, "x\n");
  CHECK(no_role.exit_code == 2);
  CHECK(no_role.output.find("user add needs --role") != std::string::npos);

  // Only the hash is stored, in the self-describing scrypt encoding.
  auto conn = boai::sql::Connection::open(url);
  REQUIRE(conn);
  auto rows = conn->exec("SELECT name, role, password_hash FROM staff_users");
  REQUIRE(rows);
  REQUIRE(rows->rows() == 1);
  CHECK(rows->text(0, 1) == "admin");
  CHECK(rows->text(0, 2).starts_with("scrypt$32768$8$1$"));
  CHECK(rows->text(0, 2).find("a long enough password") == std::string_view::npos);
}

TEST_CASE("staff sign in, are known by their cookie, and sign out") {
  auto url = fresh_database("staff_login");
  REQUIRE(add_user(url, "lily", "host", "lily's password\n").exit_code == 0);
  Server server(url);

  auto ok = login(server.port, "lily", "lily's password");
  INFO(ok.body);
  REQUIRE(ok.status == 200);
  CHECK(json::parse(ok.body) == json{{"name", "lily"}, {"role", "host"}});
  CHECK(ok.headers["cache-control"] == "no-store");
  auto set_cookie = ok.headers["set-cookie"];
  CHECK(set_cookie.starts_with("boai_session="));
  CHECK(set_cookie.find("; HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(set_cookie.find("; Path=/") != std::string::npos);
  CHECK(set_cookie.find("; Max-Age=43200") != std::string::npos);
  CHECK(set_cookie.find("Secure") == std::string::npos);  // plain HTTP here
  auto cookie = cookie_of(ok);
  auto token = cookie.substr(cookie.find('=') + 1);
  CHECK(token.size() == 64);

  auto who = me(server.port, "theme=dark; " + cookie);
  CHECK(who.status == 200);
  CHECK(json::parse(who.body) == json{{"name", "lily"}, {"role", "host"}});

  auto nobody = http_get(server.port, "/api/me");
  CHECK(nobody.status == 401);
  CHECK(error_of(nobody) == "not_signed_in");
  CHECK(me(server.port, "boai_session=" + std::string(64, 'a')).status == 401);
  CHECK(me(server.port, "boai_session=' OR 1=1 --").status == 401);

  // The database keeps only the token's SHA-256.
  auto conn = boai::sql::Connection::open(url);
  REQUIRE(conn);
  auto stored = conn->exec(
      "SELECT token_sha256, expires_at - created_at = interval '12 hours' "
      "FROM staff_sessions");
  REQUIRE(stored);
  REQUIRE(stored->rows() == 1);
  CHECK(stored->text(0, 0) != token);
  CHECK(stored->text(0, 0).size() == 64);
  CHECK(stored->boolean(0, 1));

  CHECK(http_get(server.port, "/api/login").status == 405);
  CHECK(http_request(server.port, "GET", "/api/logout").status == 405);
  CHECK(http_request(server.port, "POST", "/api/me").status == 405);

  auto out = http_request(server.port, "POST", "/api/logout", "", {{"Cookie", cookie}});
  CHECK(out.status == 200);
  CHECK(out.headers["set-cookie"].starts_with("boai_session=;"));
  CHECK(out.headers["set-cookie"].find("Max-Age=0") != std::string::npos);
  CHECK(me(server.port, cookie).status == 401);
  // Logging out twice, or without a session, is harmless.
  CHECK(http_request(server.port, "POST", "/api/logout", "", {{"Cookie", cookie}}).status == 200);
  CHECK(http_request(server.port, "POST", "/api/logout").status == 200);

  SECTION("an expired session is no session") {
    auto again = cookie_of(login(server.port, "lily", "lily's password"));
    REQUIRE(me(server.port, again).status == 200);
    REQUIRE(conn->exec("UPDATE staff_sessions SET expires_at = now() - interval '1 second'"));
    CHECK(me(server.port, again).status == 401);
  }
  SECTION("a disabled account can neither sign in nor use its session") {
    auto again = cookie_of(login(server.port, "lily", "lily's password"));
    REQUIRE(me(server.port, again).status == 200);
    REQUIRE(conn->exec("UPDATE staff_users SET disabled = true"));
    CHECK(me(server.port, again).status == 401);
    auto refused = login(server.port, "lily", "lily's password");
    CHECK(refused.status == 401);
    CHECK(error_of(refused) == "login_failed");
  }
}

TEST_CASE("a wrong password and an unknown name look the same, and failures are throttled") {
  auto url = fresh_database("staff_throttle");
  REQUIRE(add_user(url, "lily", "host", "lily's password\n").exit_code == 0);
  REQUIRE(add_user(url, "ming", "finance", "ming's password\n").exit_code == 0);
  Server server(url);

  auto wrong = login(server.port, "lily", "not lily's password");
  auto unknown = login(server.port, "nobody", "not lily's password");
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(error_of(wrong) == "login_failed");
  CHECK(wrong.body == unknown.body);
  CHECK(wrong.headers.count("set-cookie") == 0);

  // Five failures for a name from one address; the sixth try from there waits, even the right
  // password, and is told how long.
  for (int i = 0; i < 4; ++i) {
    CHECK(login(server.port, "lily", "guess " + std::to_string(i)).status == 401);
  }
  auto throttled = login(server.port, "lily", "another guess");
  CHECK(throttled.status == 429);
  CHECK(error_of(throttled) == "login_throttled");
  auto wait = std::stoi(throttled.headers["retry-after"]);
  CHECK(wait >= 1);
  CHECK(wait <= boai::web::kFirstDelaySeconds);
  auto right = login(server.port, "lily", "lily's password");
  CHECK(right.status == 429);
  CHECK(error_of(right) == "login_throttled");
  CHECK(right.headers.count("set-cookie") == 0);

  // A stranger's failures do not lock lily out where she signs in from (another address)...
  auto elsewhere = login_from("127.0.0.2", server.port, "lily", "lily's password");
  CHECK(elsewhere.status == 200);
  // ...and another name from the same address is not held back by lily's failures...
  auto ming = login(server.port, "ming", "ming's password");
  CHECK(ming.status == 200);
  CHECK(json::parse(ming.body)["role"] == "finance");

  // ...until the address itself has failed too often (20 in 15 minutes), whatever the names;
  // other addresses still sign in.
  int failures = 6;  // lily's five and nobody's one; refusals and successes are not failures
  for (int i = 0; failures < 20; ++i, ++failures) {
    CHECK(login(server.port, "stranger" + std::to_string(i), "guess").status == 401);
  }
  auto held = login(server.port, "ming", "ming's password");
  CHECK(held.status == 429);
  CHECK(error_of(held) == "login_throttled");
  CHECK(login_from("127.0.0.3", server.port, "ming", "ming's password").status == 200);
}

TEST_CASE("malformed and oversized sign-in bodies are refused, and the service carries on") {
  auto url = fresh_database("staff_bad");
  REQUIRE(add_user(url, "lily", "host", "lily's password\n").exit_code == 0);
  Server server(url);

  for (const std::string body : {"", "{", "not json", "[]", "\"lily\"", R"({"name":"lily"})",
                                 R"({"name":"lily","password":12345678})",
                                 R"({"name":["lily"],"password":"lily's password"})"}) {
    INFO(body);
    auto r = http_request(server.port, "POST", "/api/login", body);
    CHECK(r.status == 400);
    CHECK(error_of(r) == "bad_json");
  }
  auto huge =
      http_request(server.port, "POST", "/api/login",
                   R"({"name":"lily","password":")" + std::string(70 * 1024, 'x') + R"("})");
  CHECK(huge.status == 413);
  CHECK(error_of(huge) == "too_large");

  // A name no account can have (a control character in it) is an ordinary failure.
  auto odd = http_request(server.port, "POST", "/api/login",
                          std::string(R"({"name":"li\u0000ly","password":"lily's password"})"));
  CHECK(odd.status == 401);

  auto ok = login(server.port, "lily", "lily's password");
  CHECK(ok.status == 200);
  server.boai.signal(SIGTERM);
  CHECK(server.boai.wait_exit(10s) == 0);
}

TEST_CASE("cross-site sign-ins, sign-outs and changes are refused with stable codes") {
  auto url = fresh_database("staff_cross_site");
  REQUIRE(add_user(url, "lily", "finance", "lily's password\n").exit_code == 0);
  Server server(url);
  const std::string body = json{{"name", "lily"}, {"password", "lily's password"}}.dump();
  const std::string own = "http://127.0.0.1:" + std::to_string(server.port);

  // A form of another site posts text/plain: not read at all.
  auto plain = http_request(server.port, "POST", "/api/login", body,
                            {{"Content-Type", "text/plain"}, {"Origin", "http://evil.example"}});
  CHECK(plain.status == 403);
  CHECK(error_of(plain) == "cross_site");
  auto typed =
      http_request(server.port, "POST", "/api/login", body, {{"Content-Type", "text/plain"}});
  CHECK(typed.status == 415);
  CHECK(error_of(typed) == "json_required");
  CHECK(typed.headers.count("set-cookie") == 0);
  auto foreign =
      http_request(server.port, "POST", "/api/login", body, {{"Origin", "http://evil.example"}});
  CHECK(foreign.status == 403);
  CHECK(error_of(foreign) == "cross_site");
  auto fetched =
      http_request(server.port, "POST", "/api/login", body, {{"Sec-Fetch-Site", "cross-site"}});
  CHECK(fetched.status == 403);
  CHECK(error_of(fetched) == "cross_site");

  // The site's own pages, and clients that are no browser, get in.
  auto ours = http_request(server.port, "POST", "/api/login", body, {{"Origin", own}});
  REQUIRE(ours.status == 200);
  auto cookie = cookie_of(ours);

  // Signing someone out, or changing anything, from elsewhere is refused the same way.
  CHECK(error_of(http_request(server.port, "POST", "/api/logout", "",
                              {{"Cookie", cookie}, {"Origin", "http://evil.example"}})) ==
        "cross_site");
  CHECK(error_of(http_request(server.port, "POST", "/api/logout", "",
                              {{"Cookie", cookie}, {"Content-Type", "text/plain"}})) ==
        "json_required");
  CHECK(error_of(http_request(server.port, "POST", "/api/finance/refunds",
                              R"({"reference":"X","amount_fen":1,"reason":"r"})",
                              {{"Cookie", cookie}, {"Origin", "http://evil.example"}})) ==
        "cross_site");
  CHECK(me(server.port, cookie).status == 200);
  // Reading is not changing: a GET from anywhere is answered as before.
  CHECK(http_request(server.port, "GET", "/api/me", "",
                     {{"Cookie", cookie}, {"Origin", "http://evil.example"}})
            .status == 200);
  CHECK(http_request(server.port, "POST", "/api/logout", "", {{"Cookie", cookie}, {"Origin", own}})
            .status == 200);
  CHECK(me(server.port, cookie).status == 401);
}
