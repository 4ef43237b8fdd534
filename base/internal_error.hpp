// Errors whose words are the machine's (libpq's message with its socket path, an exception's
// text), not written for people: a client gets the stable code and a fixed sentence, the log the
// words. Every edge that answers clients (HTTP routes, room frames) passes its errors through.
#pragma once

#include <array>
#include <string_view>

namespace boai {

inline bool is_internal_error(std::string_view code) {
  static constexpr std::array<std::string_view, 10> kCodes = {
      "internal",         "db_unavailable",        "db_error",
      "unique_violation", "foreign_key_violation", "not_null_violation",
      "check_violation",  "serialization_failure", "deadlock",
      "db_unreachable"};
  for (auto c : kCodes) {
    if (c == code) {
      return true;
    }
  }
  return false;
}

// The sentence a client gets for an internal error's code.
inline const char* internal_error_sentence(std::string_view code) {
  return code == "db_unavailable" || code == "db_unreachable"
             ? "the database is unavailable; try again"
             : "the server failed; try again";
}

}  // namespace boai
