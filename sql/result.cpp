// Result: reading PGresult fields without letting libpq's header out of this folder; CopyRow:
// splitting and decoding COPY's text format.
#include "sql/result.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "base/hex_digit.hpp"

namespace boai::sql {

namespace {

std::int64_t parse_int64(std::string_view t, int column) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || end != t.data() + t.size()) {
    throw std::logic_error("column " + std::to_string(column) +
                           " is not an integer: " + std::string(t));
  }
  return value;
}

// COPY's text escapes (PostgreSQL's "COPY", File Formats, Text Format), decoded into out.
void decode_copy_escapes(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\\' || i + 1 == text.size()) {
      out += c;
      continue;
    }
    char e = text[++i];
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
        if (i + 1 < text.size() && hex_digit_value(text[i + 1]) >= 0) {
          int value = hex_digit_value(text[++i]);
          if (i + 1 < text.size() && hex_digit_value(text[i + 1]) >= 0) {
            value = value * 16 + hex_digit_value(text[++i]);
          }
          out += static_cast<char>(value);
        } else {
          out += e;
        }
        break;
      default:
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          for (int k = 0; k < 2 && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '7';
               ++k) {
            value = value * 8 + (text[++i] - '0');
          }
          out += static_cast<char>(value);
        } else {
          out += e;  // a backslash before any other character stands for that character
        }
    }
  }
}

}  // namespace

void Result::Free::operator()(pg_result* r) const noexcept {
  PQclear(r);
}

Result::Result(pg_result* adopted) : result_(adopted) {}

int Result::rows() const {
  return result_ ? PQntuples(result_.get()) : 0;
}

int Result::columns() const {
  return result_ ? PQnfields(result_.get()) : 0;
}

bool Result::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string_view Result::text(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) {
    return std::nullopt;
  }
  return std::string(text(row, column));
}

std::int64_t Result::int64(int row, int column) const {
  return parse_int64(text(row, column), column);
}

bool Result::boolean(int row, int column) const {
  return text(row, column) == "t";
}

int Result::column_index(const char* name) const {
  return PQfnumber(result_.get(), name);
}

int Result::column(const char* name) const {
  int index = column_index(name);
  if (index < 0) {
    throw std::logic_error(std::string("the result has no column ") + name);
  }
  return index;
}

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(result_.get());
  return (n == nullptr || *n == '\0') ? 0 : std::stoll(n);
}

void CopyRow::parse(std::string_view line) {
  if (!line.empty() && line.back() == '\n') {
    line.remove_suffix(1);
  }
  fields_.clear();
  for (std::size_t start = 0;;) {
    auto tab = line.find('\t', start);
    auto field = line.substr(start, tab == std::string_view::npos ? tab : tab - start);
    auto column = fields_.size();
    if (field.find('\\') == std::string_view::npos) {
      fields_.push_back({field, false, false});
    } else if (field == "\\N") {
      fields_.push_back({{}, true, false});
    } else {
      if (decoded_.size() <= column) {
        grow_decoded(column + 1);
      }
      decode_copy_escapes(field, decoded_[column]);
      fields_.push_back({decoded_[column], false, true});
    }
    if (tab == std::string_view::npos) {
      break;
    }
    start = tab + 1;
  }
}

// Growing moves the decoded texts (short strings live inside their std::string): the fields
// already taken from them are pointed at their new places.
void CopyRow::grow_decoded(std::size_t columns) {
  decoded_.resize(columns);
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].decoded) {
      fields_[i].text = decoded_[i];
    }
  }
}

bool CopyRow::is_null(int column) const {
  return fields_.at(static_cast<std::size_t>(column)).null;
}

std::string_view CopyRow::text(int column) const {
  return fields_.at(static_cast<std::size_t>(column)).text;
}

std::int64_t CopyRow::int64(int column) const {
  return parse_int64(text(column), column);
}

std::optional<std::int64_t> CopyRow::optional_int64(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return int64(column);
}

}  // namespace boai::sql
