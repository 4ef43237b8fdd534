// hide_internal_words: the error read back from the answer's JSON, the words swapped when its code
// is internal.
#include "web/internal_words.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/internal_error.hpp"

namespace boai::web {

void hide_internal_words(HttpResponse& response, const std::string& path) {
  if (response.status < 400 || !response.content_type.starts_with("application/json")) {
    return;
  }
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("error")) {
    return;
  }
  auto& error = body["error"];
  auto code = error.is_string() ? error.get<std::string>()
              : error.is_object() && error.contains("code") && error["code"].is_string()
                  ? error["code"].get<std::string>()
                  : std::string();
  if (!is_internal_error(code)) {
    return;
  }
  auto& holder = error.is_object() ? error : body;
  if (holder.contains("message") && holder["message"].is_string()) {
    std::fprintf(stderr, "boai: %s answered %s: %s\n", path.c_str(), code.c_str(),
                 holder["message"].get<std::string>().c_str());
  }
  holder["message"] = internal_error_sentence(code);
  response.body = body.dump();
}

}  // namespace boai::web
