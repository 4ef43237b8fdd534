// A record's width and header, checked the same way by every parser.
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "statements/csv_reader.hpp"

namespace boai::statements {

// The record has exactly `want` fields. Errors: columns_missing, columns_extra, file_truncated
// (fewer fields on a last line that has no line break: the file was cut there).
std::expected<void, Error> check_width(const CsvRecord& record, std::size_t want);

// The record is this header, each name after trimming spaces, tabs and a backtick. Errors:
// encoding_invalid, the width's, header_mismatch (naming the first column that differs).
std::expected<void, Error> check_header(const CsvRecord& record,
                                        std::span<const std::string_view> names);

// A value as the providers write it: spaces and tabs trimmed, one leading backtick dropped.
std::string_view bill_value(std::string_view text);

}  // namespace boai::statements
