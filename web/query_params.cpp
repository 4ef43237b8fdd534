// Query arguments split at '&' and '='; numbers by from_chars after checking every character.
#include "web/query_params.hpp"

#include <algorithm>
#include <charconv>

namespace boai::web {

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto arg = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto eq = arg.find('=');
    if (arg.substr(0, eq) == name) {
      return std::string(eq == std::string_view::npos ? std::string_view() : arg.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_bounded(std::string_view text, std::int64_t max) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace boai::web
