// An owned PGresult: the rows of one query, read as text or as the few types we store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace boai::sql
