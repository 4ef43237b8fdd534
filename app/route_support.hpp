// What the site's JSON routes share: a JSON answer that is never cached, a public one that may be
// (with its ETag), and an error as a stable code with a sentence.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "web/http_types.hpp"

namespace boai::app {

inline web::HttpResponse json_response(int status, const nlohmann::json& body) {
  return {status, "application/json", body.dump(), {{"Cache-Control", "no-store"}}};
}

// FNV-1a of a body as an ETag: the same answer gives the same tag on every node behind a CDN.
inline std::string etag_of(const std::string& body) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : body) {
    h = (h ^ c) * 1099511628211ull;
  }
  char tag[24];
  std::snprintf(tag, sizeof tag, "\"%016llx\"", static_cast<unsigned long long>(h));
  return tag;
}

// A public answer others may cache: its ETag, and 304 with no body when the caller holds it.
inline web::HttpResponse cacheable(const web::HttpRequest& request, std::string json_body,
                                   const std::string& cache_control) {
  std::string tag = etag_of(json_body);
  web::HttpResponse r{200,
                      "application/json",
                      std::move(json_body),
                      {{"Cache-Control", cache_control}, {"ETag", tag}}};
  if (request.header("if-none-match") == tag) {
    r.status = 304;
    r.body.clear();
  }
  return r;
}

inline web::HttpResponse error_response(int status, const std::string& code,
                                        const std::string& message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

}  // namespace boai::app
