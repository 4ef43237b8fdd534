// Rules for the text people give us: valid UTF-8, lengths counted in characters, and the masked
// names that public surfaces show instead of a donor's own.
#pragma once

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::donations {

bool is_valid_utf8(std::string_view text);
// Valid UTF-8 without NUL, which PostgreSQL's text cannot hold: what we may store.
bool is_storable_text(std::string_view text);
// Characters (code points) in valid UTF-8 text.
std::size_t char_count(std::string_view text);
// Leading and trailing ASCII and ideographic spaces removed.
std::string trim_text(std::string_view text);

inline constexpr std::string_view kAnonymousName = "爱心人士";

// A text field a person typed, trimmed: valid UTF-8 without NUL (text_invalid), not empty when
// required (bad_request), at most max_chars characters (too_long). `what` names it in messages.
std::expected<std::string, Error> checked_text(const char* what, const std::string& text,
                                               std::size_t max_chars, bool required = true);

// "张三" -> "张*", "Lily" -> "L***", anonymous or empty -> "爱心人士".
std::string mask_name(std::string_view name, bool anonymous);

}  // namespace boai::donations
