// refuse_cross_site: Origin against the Host or the allowed list, then the body's media type.
#include "web/request_guard.hpp"

#include <algorithm>
#include <cctype>

namespace boai::web {

namespace {

bool changes_state(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool same_origin(const HttpRequest& r, const std::vector<std::string>& allowed) {
  auto origin = r.header("origin");
  if (origin.empty()) {
    // No Origin: a browser that still says where the request comes from is believed.
    auto site = r.header("sec-fetch-site");
    return site.empty() || site == "same-origin" || site == "none";
  }
  if (allowed.empty()) {
    auto host = r.header("host");
    return !host.empty() && (origin == "http://" + host || origin == "https://" + host);
  }
  return std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

// "application/json" with any parameters ("; charset=utf-8"), in any case.
bool is_json(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  auto end = type.find(';');
  type = type.substr(0, end);
  while (!type.empty() && type.back() == ' ') {
    type.pop_back();
  }
  return type == "application/json";
}

HttpResponse refusal(int status, const std::string& code, const std::string& message) {
  return {status,
          "application/json",
          R"({"error":")" + code + R"(","message":")" + message + R"("})",
          {{"Cache-Control", "no-store"}}};
}

}  // namespace

std::optional<HttpResponse> refuse_cross_site(const HttpRequest& request, RequestGuard guard,
                                              const std::vector<std::string>& allowed_origins) {
  if (guard == RequestGuard::kAnySite || !changes_state(request.method)) {
    return std::nullopt;
  }
  if (!same_origin(request, allowed_origins)) {
    return refusal(403, "cross_site", "requests from another site are refused");
  }
  if (guard == RequestGuard::kJson && !is_json(request.header("content-type"))) {
    return refusal(415, "json_required", "send the body as application/json");
  }
  return std::nullopt;
}

}  // namespace boai::web
