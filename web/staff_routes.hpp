// The staff sign-in API (POST /api/login, POST /api/logout, GET /api/me) and the check other web
// code uses to learn who a request comes from. Database work runs on a WorkerPool.
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "sql/worker_pool.hpp"
#include "web/http_types.hpp"
#include "web/staff_accounts.hpp"

namespace boai::web {

// Told on the loop, before a sign-out is answered, the kStaffChannel notice of the session it
// ended: this node's sockets lose its powers before the browser hears "signed out" (other nodes
// hear the database's notice).
using StaffNotice = std::function<void(const std::string& notice)>;

// secure adds Secure to the session cookie (TLS here, or at the proxy in front). pool must outlive
// the routes.
std::vector<HttpRoute> staff_routes(sql::WorkerPool& pool, bool secure,
                                    StaffNotice signed_out = {});

// The staff session of a Cookie header, or nullopt for a viewer (no cookie, unknown or expired
// session, database down). done runs later on the pool's loop, never before this returns.
void authenticate(sql::WorkerPool& pool, const std::string& cookie_header,
                  std::function<void(std::optional<StaffSession>)> done);

// The Set-Cookie value that carries token (or, with an empty token, removes the cookie).
std::string session_cookie(const std::string& token, bool tls);

struct LoginBody {
  std::string name;
  std::string password;
};

// The body of POST /api/login: a JSON object with the strings "name" and "password". Error
// bad_json for anything else.
std::expected<LoginBody, Error> parse_login_body(std::string_view body);

}  // namespace boai::web
