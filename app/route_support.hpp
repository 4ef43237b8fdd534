// What the site's JSON routes share: a JSON answer that is never cached, and an error as a stable
// code with a sentence.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "web/http_types.hpp"

namespace boai::app {

inline web::HttpResponse json_response(int status, const nlohmann::json& body) {
  return {status, "application/json", body.dump(), {{"Cache-Control", "no-store"}}};
}

inline web::HttpResponse error_response(int status, const std::string& code,
                                        const std::string& message) {
  return json_response(status, {{"error", code}, {"message", message}});
}

}  // namespace boai::app
