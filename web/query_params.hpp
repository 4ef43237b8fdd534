// Reading an HTTP query ("a=1&b=2", each argument already url-decoded) and the numbers in it, as
// the routes that page through lists take them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace boai::web {

// The value of the first argument called `name`; nullopt when there is none.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

// A whole number from 0 to max in decimal digits only (no sign, no spaces, at most 18 digits);
// nullopt for anything else.
std::optional<std::int64_t> parse_bounded(std::string_view text, std::int64_t max);

}  // namespace boai::web
