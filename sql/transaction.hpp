// Running a function inside BEGIN ... COMMIT on a blocking Connection: committed when it returns a
// value, rolled back when it returns an error or throws.
#pragma once

#include <expected>
#include <type_traits>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::sql {

inline Error db_failure(const DbError& e) {
  return Error{e.code, e.message};
}

// fn(Connection&) -> std::expected<T, Error>. A failed COMMIT is reported as db_unavailable:
// the caller cannot know whether it landed and must retry idempotently.
template <typename Fn>
auto in_transaction(Connection& conn, Fn&& fn) -> std::invoke_result_t<Fn, Connection&> {
  using Out = std::invoke_result_t<Fn, Connection&>;
  if (auto b = conn.exec("BEGIN"); !b) {
    return Out(std::unexpect, db_failure(b.error()));
  }
  try {
    Out out = fn(conn);
    if (!out) {
      (void)conn.exec("ROLLBACK");
      return out;
    }
    if (auto c = conn.exec("COMMIT"); !c) {
      return Out(std::unexpect, db_failure(c.error()));
    }
    return out;
  } catch (...) {
    (void)conn.exec("ROLLBACK");
    throw;
  }
}

}  // namespace boai::sql
