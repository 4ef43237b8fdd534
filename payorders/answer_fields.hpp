// What the providers' API clients (wechat_api.cpp, alipay_api.cpp) share in reading answers: an
// error to return, and a string field that is empty when missing or not a string.
#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.hpp"

namespace boai::payorders {

inline std::unexpected<Error> fail(std::string code, std::string message) {
  return std::unexpected(make_error(std::move(code), std::move(message)));
}

inline std::string string_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace boai::payorders
