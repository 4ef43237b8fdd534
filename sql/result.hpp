// An owned PGresult: the rows of one query, read as text or as the few types we store; and one
// row of COPY ... TO STDOUT, for reading a table row by row in constant memory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_result;

namespace boai::sql {

class Result {
 public:
  Result() = default;
  explicit Result(pg_result* adopted);  // takes ownership

  int rows() const;
  int columns() const;
  bool is_null(int row, int column) const;
  // Text of a field; empty for NULL.
  std::string_view text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;
  std::int64_t int64(int row, int column) const;  // throws on a non-integer: a bug in our SQL
  bool boolean(int row, int column) const;
  int column_index(const char* name) const;  // -1 when absent
  // The index of a column our own SQL names (PQfnumber): look it up once per result, then read
  // rows by it. Throws when absent: a bug in our SQL.
  int column(const char* name) const;
  // Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected() const;

 private:
  struct Free {
    void operator()(pg_result* r) const noexcept;
  };
  std::unique_ptr<pg_result, Free> result_;
};

// One row of COPY ... TO STDOUT in PostgreSQL's text format: fields split at tabs, \N is NULL,
// and backslash escapes (\\, \n, \r, \t, \b, \f, \v, and octal or \x hex bytes) decoded. A
// field with no backslash is a view into the line itself; the row is reused from line to line.
class CopyRow {
 public:
  void parse(std::string_view line);  // the line as the server sent it, its '\n' included or not
  int columns() const { return static_cast<int>(fields_.size()); }
  bool is_null(int column) const;
  // Decoded text of a field; empty for NULL. Valid until the next parse.
  std::string_view text(int column) const;
  std::int64_t int64(int column) const;  // throws on a non-integer: a bug in our SQL
  std::optional<std::int64_t> optional_int64(int column) const;

 private:
  void grow_decoded(std::size_t columns);
  struct Field {
    std::string_view text;
    bool null = false;
    bool decoded = false;  // text is in decoded_
  };
  std::vector<Field> fields_;
  std::vector<std::string> decoded_;  // per column, for fields that held escapes
};

}  // namespace boai::sql
