// Internal to notices/: what the verifiers share to read fields and refuse with a stable code.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "donations/money.hpp"

namespace boai::notices {

inline std::unexpected<Error> fail(std::string code, std::string message) {
  return std::unexpected(make_error(std::move(code), std::move(message)));
}

// A string member of an object; nullopt when absent, not a string, or j is not an object.
std::optional<std::string> text_field(const nlohmann::json& j, const char* name);

// An identifier: 1 to 128 bytes of printable UTF-8 without spaces' surprises (no control
// characters). nullopt otherwise.
std::optional<std::string> id_field(const nlohmann::json& j, const char* name);
bool is_identifier(std::string_view text);

// A whole number of fen, more than 0 and at most donations::kMaxPayment. Errors: amount_invalid.
std::expected<donations::Money, Error> fen_field(const nlohmann::json& j, const char* name);

// A notice's Unix timestamp (seconds, as text) within max_skew of now, either way.
// Errors: timestamp_invalid, timestamp_stale.
std::expected<void, Error> check_timestamp(std::string_view text, std::int64_t now_seconds,
                                           std::int64_t max_skew_seconds);

}  // namespace boai::notices
