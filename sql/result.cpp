// Result: reading PGresult fields without letting libpq's header out of this folder.
#include "sql/result.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <stdexcept>

namespace boai::sql {

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
  auto t = text(row, column);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || end != t.data() + t.size()) {
    throw std::logic_error("column " + std::to_string(column) +
                           " is not an integer: " + std::string(t));
  }
  return value;
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

}  // namespace boai::sql
