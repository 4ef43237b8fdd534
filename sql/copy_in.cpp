// Connection::copy_in_*: COPY ... FROM STDIN fed in chunks as the caller makes them, so a file of
// any size is loaded while only the chunk at hand is held.
#include <cstdlib>

#include "sql/connection.hpp"
#include "sql/pq_support.hpp"

namespace boai::sql {

void append_copy_field(std::string& row, std::string_view field) {
  for (char c : field) {
    switch (c) {
      case '\\':
        row += "\\\\";
        break;
      case '\t':
        row += "\\t";
        break;
      case '\n':
        row += "\\n";
        break;
      case '\r':
        row += "\\r";
        break;
      default:
        row += c;
    }
  }
}

std::expected<void, DbError> Connection::copy_in_begin(std::string_view copy_sql) {
  PGconn* c = conn_.get();
  std::string text(copy_sql);
  PGresult* started = PQexec(c, text.c_str());
  if (PQresultStatus(started) != PGRES_COPY_IN) {
    auto e = detail::error_from_result(started, c);
    PQclear(started);
    return std::unexpected(e);
  }
  PQclear(started);
  return {};
}

std::expected<void, DbError> Connection::copy_in_put(std::string_view rows) {
  if (rows.empty()) {
    return {};
  }
  // Blocking connection: PQputCopyData waits for room, so it returns 1 or -1.
  if (PQputCopyData(conn_.get(), rows.data(), static_cast<int>(rows.size())) != 1) {
    return std::unexpected(detail::error_from_connection(conn_.get()));
  }
  return {};
}

std::expected<std::int64_t, DbError> Connection::copy_in_end(const char* abort_reason) {
  PGconn* c = conn_.get();
  if (PQputCopyEnd(c, abort_reason) != 1) {
    return std::unexpected(detail::error_from_connection(c));
  }
  PGresult* done = PQgetResult(c);
  bool ok = PQresultStatus(done) == PGRES_COMMAND_OK;
  auto error = ok ? DbError{} : detail::error_from_result(done, c);
  std::int64_t rows = ok ? std::atoll(PQcmdTuples(done)) : 0;
  PQclear(done);
  while (PGresult* extra = PQgetResult(c)) {
    PQclear(extra);
  }
  if (!ok) {
    return std::unexpected(error);
  }
  return rows;
}

}  // namespace boai::sql
