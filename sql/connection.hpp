// A blocking PostgreSQL connection, for startup work (migrations) and for worker threads that own
// their connection. Never use it on the GLib main loop: use AsyncConnection there.
#pragma once

#include <expected>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/error.hpp"
#include "sql/params.hpp"
#include "sql/result.hpp"

struct pg_conn;

namespace boai::sql {

struct Statement {
  std::string sql;
  Params params;
};

// One field of a COPY text-format row: backslash, tab, newline and carriage return escaped.
void append_copy_field(std::string& row, std::string_view field);

class Connection {
 public:
  // conninfo is a libpq keyword string or a postgresql:// URL.
  static std::expected<Connection, DbError> open(const std::string& conninfo);

  std::expected<Result, DbError> exec(std::string_view sql, const Params& params = {});
  std::expected<void, DbError> prepare(const std::string& name, std::string_view sql);
  std::expected<Result, DbError> exec_prepared(const std::string& name, const Params& params);
  // Sends every statement at once (libpq's pipeline mode) and reads every answer: one round trip
  // for statements that do not need each other's results. After a failure the later ones come
  // back as "pipeline_aborted"; a transaction begun in the pipeline must then be rolled back.
  std::vector<std::expected<Result, DbError>> exec_pipeline(
      const std::vector<Statement>& statements);
  // From now on exec_pipeline prepares each statement text with parameters the first time it
  // sees it, and then runs it by name: no parsing and planning per call. For a connection that
  // sends the same few texts over and over (batch writers).
  void reuse_plans() { reuse_plans_ = true; }
  // Runs `COPY (...) TO STDOUT` (text format) and hands each row to on_row as it arrives, so a
  // table of any size is read in constant memory. COPY takes no parameters: pass values through
  // set_config() in the same transaction and read them with current_setting() (sql/copy_rows.cpp).
  std::expected<std::int64_t, DbError> copy_rows(std::string_view copy_sql,
                                                 const std::function<void(const CopyRow&)>& on_row);
  // Runs `COPY ... FROM STDIN` (text format): begin, then hand over the rows in chunks of any
  // size as they are made (append_copy_field writes a field), then end. end(why) with a reason
  // aborts the COPY, so nothing it sent stays: for a producer that found its input broken.
  std::expected<void, DbError> copy_in_begin(std::string_view copy_sql);
  std::expected<void, DbError> copy_in_put(std::string_view rows);
  std::expected<std::int64_t, DbError> copy_in_end(const char* abort_reason = nullptr);
  // Several statements in one string, without parameters: for migration files only.
  std::expected<void, DbError> exec_script(std::string_view sql);

  bool healthy() const;

  struct Notification {
    std::string channel;
    std::string payload;
  };
  // Waits up to timeout for a NOTIFY on a channel this connection LISTENs to.
  std::optional<Notification> wait_notification(int timeout_ms);

 private:
  struct Finish {
    void operator()(pg_conn* c) const noexcept;
  };
  explicit Connection(pg_conn* adopted) : conn_(adopted) {}
  // The name a statement text is prepared under, or null to send it as text.
  const std::string* prepared_name(const Statement& st);
  std::unique_ptr<pg_conn, Finish> conn_;
  bool reuse_plans_ = false;
  std::map<std::string, std::string> prepared_;  // statement text -> name
};

}  // namespace boai::sql
