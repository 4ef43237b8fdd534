// Staff routes: JSON in and out at this edge, the blocking account functions on the WorkerPool,
// and every answer given on the loop. Nothing thrown here reaches libwebsockets or GLib.
#include "web/staff_routes.hpp"

#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>

#include "sql/transaction.hpp"

namespace boai::web {

namespace {

using nlohmann::json;

const std::vector<std::pair<std::string, std::string>> kNoStore = {{"Cache-Control", "no-store"}};

HttpResponse json_response(int status, const json& body,
                           std::vector<std::pair<std::string, std::string>> headers = kNoStore) {
  return HttpResponse{status, "application/json", body.dump(), std::move(headers)};
}

HttpResponse error_response(int status, const std::string& code, const std::string& message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

HttpResponse error_response(const Error& e, int retry_after = 0) {
  int status = e.code == "login_failed"                         ? 401
               : e.code == "login_throttled"                    ? 429
               : e.code == "db_unavailable" || e.code == "busy" ? 503
                                                                : 500;
  auto response = error_response(status, e.code, e.message);
  if (status == 429) {
    response.headers.emplace_back("Retry-After", std::to_string(retry_after));
  }
  return response;
}

HttpResponse method_not_allowed(const char* allowed) {
  auto response = error_response(405, "method_not_allowed", std::string("use ") + allowed);
  response.headers.emplace_back("Allow", allowed);
  return response;
}

json who(const StaffSession& s) {
  return {{"name", s.name}, {"role", s.role}};
}

// Runs fn on the loop and answers 500 instead of letting an exception into GLib.
template <typename Fn>
void guarded(const HttpResponder& respond, Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "boai: staff route failed: %s\n", e.what());
    respond(error_response(500, "internal", "the server failed; try again"));
  }
}

// A route answering exactly one path: "/api/me/x" is not /api/me.
HttpRoute exact(std::string path, HttpHandler handler) {
  return {path,
          [path, handler = std::move(handler)](const HttpRequest& request, HttpResponder respond) {
            if (request.path != path) {
              respond(error_response(404, "not_found", "no such API"));
              return;
            }
            handler(request, std::move(respond));
          }};
}

template <typename T>
std::function<T(const sql::DbError&)> unavailable() {
  return [](const sql::DbError& e) { return T(std::unexpect, sql::db_failure(e)); };
}

void handle_login(sql::WorkerPool& pool, bool tls, const HttpRequest& request,
                  HttpResponder respond) {
  if (request.method != "POST") {
    return respond(method_not_allowed("POST"));
  }
  auto body = parse_login_body(request.body);
  if (!body) {
    return respond(error_response(400, body.error().code, body.error().message));
  }
  using Out = std::pair<std::expected<SignedIn, Error>, int>;  // and the seconds to wait
  pool.run<Out>(
      [name = std::move(body->name), password = std::move(body->password),
       peer = request.peer](sql::Connection& conn) -> Out {
        int retry_after = 0;
        try {
          auto in = login(conn, name, password, peer, &retry_after);
          return {std::move(in), retry_after};
        } catch (const std::exception& e) {
          return {std::unexpected(make_error("internal", e.what())), 0};
        }
      },
      [respond, tls](Out result) {
        guarded(respond, [&] {
          auto& out = result.first;
          if (!out) {
            return respond(error_response(out.error(), result.second));
          }
          auto headers = kNoStore;
          headers.emplace_back("Set-Cookie", session_cookie(out->token, tls));
          respond(json_response(200, who(out->session), std::move(headers)));
        });
      },
      [](const sql::DbError& e) { return Out(std::unexpected(sql::db_failure(e)), 0); });
}

void handle_logout(sql::WorkerPool& pool, bool tls, const StaffNotice& signed_out,
                   const HttpRequest& request, HttpResponder respond) {
  if (request.method != "POST") {
    return respond(method_not_allowed("POST"));
  }
  using Out = std::expected<void, Error>;
  auto token = session_token_from_cookie(request.cookie);
  pool.run<Out>(
      [token](sql::Connection& conn) -> Out {
        try {
          return logout(conn, token);
        } catch (const std::exception& e) {
          return std::unexpected(make_error("internal", e.what()));
        }
      },
      [respond, tls, signed_out, token](Out out) {
        guarded(respond, [&] {
          if (signed_out && !token.empty()) {
            signed_out("session " + session_key(token));
          }
          // The browser forgets the cookie either way; the session row may outlive a failure.
          auto response = out ? json_response(200, {{"ok", true}}) : error_response(out.error());
          response.headers.emplace_back("Set-Cookie", session_cookie("", tls));
          respond(std::move(response));
        });
      },
      unavailable<Out>());
}

void handle_me(sql::WorkerPool& pool, const HttpRequest& request, HttpResponder respond) {
  if (request.method != "GET") {
    return respond(method_not_allowed("GET"));
  }
  authenticate(pool, request.cookie, [respond](std::optional<StaffSession> session) {
    guarded(respond, [&] {
      if (!session) {
        return respond(error_response(401, "not_signed_in", "sign in first"));
      }
      respond(json_response(200, who(*session)));
    });
  });
}

}  // namespace

std::string session_cookie(const std::string& token, bool tls) {
  std::string cookie = std::string(kSessionCookie) + "=" + token +
                       "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                       (token.empty() ? "0" : std::to_string(kSessionSeconds));
  if (tls) {
    cookie += "; Secure";
  }
  return cookie;
}

void authenticate(sql::WorkerPool& pool, const std::string& cookie_header,
                  std::function<void(std::optional<StaffSession>)> done) {
  using Out = std::optional<StaffSession>;
  pool.run<Out>(
      [token = session_token_from_cookie(cookie_header)](sql::Connection& conn) -> Out {
        try {
          return session_for_token(conn, token);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "boai: session check failed: %s\n", e.what());
          return std::nullopt;
        }
      },
      [done = std::move(done)](Out session) {
        try {
          done(std::move(session));
        } catch (const std::exception& e) {
          std::fprintf(stderr, "boai: after a session check: %s\n", e.what());
        }
      },
      [](const sql::DbError&) { return Out(); });
}

std::vector<HttpRoute> staff_routes(sql::WorkerPool& pool, bool tls, StaffNotice signed_out) {
  return {
      exact("/api/login",
            [&pool, tls](const HttpRequest& r, HttpResponder respond) {
              handle_login(pool, tls, r, std::move(respond));
            }),
      exact("/api/logout",
            [&pool, tls, signed_out](const HttpRequest& r, HttpResponder respond) {
              handle_logout(pool, tls, signed_out, r, std::move(respond));
            }),
      exact("/api/me", [&pool](const HttpRequest& r,
                               HttpResponder respond) { handle_me(pool, r, std::move(respond)); }),
  };
}

std::expected<LoginBody, Error> parse_login_body(std::string_view body) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("name") ||
      !parsed.contains("password") || !parsed["name"].is_string() ||
      !parsed["password"].is_string()) {
    return std::unexpected(
        make_error("bad_json", R"(send a JSON object {"name": "...", "password": "..."})"));
  }
  return LoginBody{parsed["name"].get<std::string>(), parsed["password"].get<std::string>()};
}

}  // namespace boai::web
