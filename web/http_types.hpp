// An HTTP request as the route handlers see it, and the response they give back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boai::web {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/healthz", without the query
  std::string query;   // "a=1&b=2", url-decoded per argument
  std::string body;
  std::string cookie;  // the Cookie header, as sent
  std::string peer;    // the client's address
  // The headers LiveServiceConfig::request_headers asks for that came, by lower-case name, and
  // if-none-match, origin, host, content-type, authorization and sec-fetch-site.
  std::vector<std::pair<std::string, std::string>> headers;

  // A header's value by lower-case name; "" when it did not come or was not asked for.
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) {
        return v;
      }
    }
    return {};
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Set-Cookie
  // A download: instead of `body`, `file_length` bytes of this file from `file_offset`, read a
  // chunk at a time as the connection takes them (so a replay's MP4 is never held in memory).
  // (Default initializers: the many {status, type, body, headers} answers need not name them.)
  std::string file = {};
  std::uint64_t file_offset = 0;
  std::uint64_t file_length = 0;
};

// Answers a request; may be called later (after a database round trip), but on the loop thread.
using HttpResponder = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(const HttpRequest&, HttpResponder)>;

// What a route's state-changing requests (POST, PUT, DELETE) must show (web/request_guard.hpp).
enum class RequestGuard {
  kJson,     // our own origin, and a body declared application/json (even an empty one)
  kUpload,   // our own origin; the body is a file of any type
  kAnySite,  // from anywhere: payment providers' notices
};

struct HttpRoute {
  std::string prefix;  // "/healthz" matches "/healthz" and "/healthz/..."
  HttpHandler handler;
  std::size_t max_body_bytes = 0;  // a larger body is answered 413; 0: the service's limit
  RequestGuard guard = RequestGuard::kJson;
};

}  // namespace boai::web
