// Width and header checks shared by the parsers.
#include "statements/column_check.hpp"

#include "statements/bill_fields.hpp"

namespace boai::statements {

std::expected<void, Error> check_width(const CsvRecord& record, std::size_t want) {
  std::size_t got = record.fields.size();
  if (got == want) {
    return {};
  }
  std::string counts = std::to_string(got) + " columns where " + std::to_string(want) + " belong";
  if (got < want && !record.terminated) {
    return std::unexpected(line_error(record.line, "file_truncated",
                                      "the file ends in the middle of a row (" + counts + ")"));
  }
  return std::unexpected(
      line_error(record.line, got < want ? "columns_missing" : "columns_extra", counts));
}

std::expected<void, Error> check_header(const CsvRecord& record,
                                        std::span<const std::string_view> names) {
  for (const auto& f : record.fields) {
    if (auto ok = check_utf8(f, record.line); !ok) {
      return ok;
    }
  }
  if (auto w = check_width(record, names.size()); !w) {
    return w;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (bill_value(record.fields[i]) != names[i]) {
      return std::unexpected(line_error(record.line, "header_mismatch",
                                        "column " + std::to_string(i + 1) + " is \"" +
                                            std::string(bill_value(record.fields[i])) +
                                            "\" where \"" + std::string(names[i]) + "\" belongs"));
    }
  }
  return {};
}

std::string_view bill_value(std::string_view text) {
  text = trimmed(text);
  if (text.starts_with('`')) {
    text.remove_prefix(1);
  }
  return text;
}

}  // namespace boai::statements
