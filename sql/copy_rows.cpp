// Connection::copy_rows: COPY ... TO STDOUT read row by row with PQgetCopyData, so that nothing
// but the row at hand is held, however many rows the table has.
#include <memory>

#include "sql/connection.hpp"
#include "sql/pq_support.hpp"

namespace boai::sql {

namespace {

struct FreeCopyData {
  void operator()(char* data) const noexcept { PQfreemem(data); }
};
using CopyData = std::unique_ptr<char, FreeCopyData>;

}  // namespace

std::expected<std::int64_t, DbError> Connection::copy_rows(
    std::string_view copy_sql, const std::function<void(const CopyRow&)>& on_row) {
  PGconn* c = conn_.get();
  std::string text(copy_sql);
  PGresult* started = PQexec(c, text.c_str());
  if (PQresultStatus(started) != PGRES_COPY_OUT) {
    auto e = detail::error_from_result(started, c);
    PQclear(started);
    return std::unexpected(e);
  }
  PQclear(started);
  CopyRow row;
  std::int64_t rows = 0;
  std::exception_ptr thrown;
  for (;;) {
    char* raw = nullptr;
    int n = PQgetCopyData(c, &raw, 0);
    CopyData data(raw);
    if (n < 0) {
      break;  // -1: the rows are done; -2: an error, which the COPY's result carries
    }
    if (thrown) {
      continue;  // drain what is left, so the connection stays usable
    }
    try {
      row.parse(std::string_view(data.get(), static_cast<std::size_t>(n)));
      on_row(row);
      ++rows;
    } catch (...) {
      thrown = std::current_exception();
    }
  }
  PGresult* done = PQgetResult(c);
  bool ok = PQresultStatus(done) == PGRES_COMMAND_OK;
  auto error = ok ? DbError{} : detail::error_from_result(done, c);
  PQclear(done);
  while (PGresult* extra = PQgetResult(c)) {
    PQclear(extra);
  }
  if (thrown) {
    std::rethrow_exception(thrown);
  }
  if (!ok) {
    return std::unexpected(error);
  }
  return rows;
}

}  // namespace boai::sql
