// An application/x-www-form-urlencoded body (Alipay's notices) read into decoded name/value
// pairs: '+' is a space, %XX a byte; a bad escape or a name given twice refuses the whole body.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::notices {

// Sorted by name in byte order: the order Alipay signs in. Errors: notice_malformed.
std::expected<std::map<std::string, std::string>, Error> parse_form_body(std::string_view body);

// The inverse, for tests and tools: names and values escaped, joined with '&'.
std::string form_encode(const std::map<std::string, std::string>& fields);

}  // namespace boai::notices
