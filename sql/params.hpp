// Query parameters: every value reaches PostgreSQL as a parameter, never pasted into SQL text.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boai::sql {

using Param = std::optional<std::string>;  // nullopt is SQL NULL
using Params = std::vector<Param>;

inline Param param(std::string_view text) {
  return std::string(text);
}
inline Param param(const char* text) {
  return std::string(text);
}
inline Param param(const std::string& text) {
  return text;
}
inline Param param(std::integral auto value) {
  if constexpr (std::same_as<decltype(value), bool>) {
    return value ? "true" : "false";
  }
  return std::to_string(value);
}
inline Param param(const std::optional<std::string>& text) {
  return text;
}

template <typename... T>
Params params(const T&... values) {
  return Params{param(values)...};
}

}  // namespace boai::sql
