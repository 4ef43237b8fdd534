// Connection: blocking libpq calls wrapped in RAII and std::expected.
#include "sql/connection.hpp"

#include <poll.h>
#include <unistd.h>

#include "sql/pq_support.hpp"

namespace boai::sql {

namespace detail {

ConnectParams connect_params(const std::string& conninfo) {
  ConnectParams p;
  p.storage = {"dbname",          conninfo, "application_name", "boai/" + std::to_string(getpid()),
               "connect_timeout", "5"};
  for (std::size_t i = 0; i < p.storage.size(); i += 2) {
    p.keywords.push_back(p.storage[i].c_str());
    p.values.push_back(p.storage[i + 1].c_str());
  }
  p.keywords.push_back(nullptr);
  p.values.push_back(nullptr);
  return p;
}

std::vector<const char*> value_pointers(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) {
    values.push_back(p ? p->c_str() : nullptr);
  }
  return values;
}

static std::string trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

DbError error_from_connection(const PGconn* conn) {
  return DbError{"db_unavailable", trimmed(PQerrorMessage(conn)), "", ""};
}

DbError error_from_result(const PGresult* result, const PGconn* conn) {
  if (result == nullptr) {
    return error_from_connection(conn);
  }
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string sqlstate = state != nullptr ? state : "";
  std::string message = trimmed(PQresultErrorMessage(result));
  if (sqlstate.empty() && PQstatus(conn) != CONNECTION_OK) {
    return DbError{"db_unavailable", message, "", ""};
  }
  const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
  return DbError{code_for_sqlstate(sqlstate), message, sqlstate,
                 constraint != nullptr ? constraint : ""};
}

}  // namespace detail

std::string code_for_sqlstate(const std::string& sqlstate) {
  if (sqlstate == "23505") {
    return "unique_violation";
  }
  if (sqlstate == "23503") {
    return "foreign_key_violation";
  }
  if (sqlstate == "23514") {
    return "check_violation";
  }
  if (sqlstate == "40001") {
    return "serialization_failure";
  }
  if (sqlstate == "40P01") {
    return "deadlock";
  }
  if (sqlstate == "BP001") {
    return "period_closed";  // migration 0012's trigger: an entry inside a closed period
  }
  if (sqlstate.starts_with("08") || sqlstate.starts_with("57P")) {
    return "db_unavailable";
  }
  return "db_error";
}

void Connection::Finish::operator()(pg_conn* c) const noexcept {
  PQfinish(c);
}

std::expected<Connection, DbError> Connection::open(const std::string& conninfo) {
  auto p = detail::connect_params(conninfo);
  PGconn* raw = PQconnectdbParams(p.keywords.data(), p.values.data(), 1);
  Connection conn(raw);
  if (raw == nullptr) {
    return std::unexpected(DbError{"db_unavailable", "out of memory", "", ""});
  }
  if (PQstatus(raw) != CONNECTION_OK) {
    return std::unexpected(detail::error_from_connection(raw));
  }
  PQsetNoticeProcessor(
      raw, [](void*, const char*) {}, nullptr);  // NOTICEs are not errors
  return conn;
}

static std::expected<Result, DbError> checked(PGresult* raw, PGconn* conn) {
  Result result(raw);
  auto status = PQresultStatus(raw);
  if (raw == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    return std::unexpected(detail::error_from_result(raw, conn));
  }
  return result;
}

std::expected<Result, DbError> Connection::exec(std::string_view sql, const Params& params) {
  std::string text(sql);
  auto values = detail::value_pointers(params);
  return checked(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0),
                 conn_.get());
}

std::expected<void, DbError> Connection::prepare(const std::string& name, std::string_view sql) {
  std::string text(sql);
  auto r = checked(PQprepare(conn_.get(), name.c_str(), text.c_str(), 0, nullptr), conn_.get());
  if (!r) {
    return std::unexpected(r.error());
  }
  return {};
}

std::expected<Result, DbError> Connection::exec_prepared(const std::string& name,
                                                         const Params& params) {
  auto values = detail::value_pointers(params);
  return checked(PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(values.size()),
                                values.data(), nullptr, nullptr, 0),
                 conn_.get());
}

const std::string* Connection::prepared_name(const Statement& st) {
  if (!reuse_plans_ || st.params.empty()) {
    return nullptr;
  }
  if (auto it = prepared_.find(st.sql); it != prepared_.end()) {
    return &it->second;
  }
  // Prepared before the pipeline starts, once per text; a prepared statement outlives the
  // transaction it was made in. If it fails (an aborted transaction), the text goes as it is.
  std::string name = "boai_p" + std::to_string(prepared_.size() + 1);
  if (!prepare(name, st.sql)) {
    return nullptr;
  }
  return &prepared_.emplace(st.sql, std::move(name)).first->second;
}

std::vector<std::expected<Result, DbError>> Connection::exec_pipeline(
    const std::vector<Statement>& statements) {
  std::vector<std::expected<Result, DbError>> out;
  PGconn* c = conn_.get();
  auto fail_all = [&](const DbError& e) {
    out.clear();
    for (std::size_t i = 0; i < statements.size(); ++i) {
      out.emplace_back(std::unexpected(e));
    }
    return std::move(out);
  };
  std::vector<const std::string*> names;
  names.reserve(statements.size());
  for (const auto& st : statements) {
    names.push_back(prepared_name(st));
  }
  if (PQenterPipelineMode(c) != 1) {
    return fail_all(detail::error_from_connection(c));
  }
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const auto& st = statements[i];
    auto values = detail::value_pointers(st.params);
    auto n = static_cast<int>(values.size());
    int sent =
        names[i] != nullptr
            ? PQsendQueryPrepared(c, names[i]->c_str(), n, values.data(), nullptr, nullptr, 0)
            : PQsendQueryParams(c, st.sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
    if (sent != 1) {
      PQexitPipelineMode(c);
      return fail_all(detail::error_from_connection(c));
    }
  }
  if (PQpipelineSync(c) != 1) {
    return fail_all(detail::error_from_connection(c));
  }
  // Each statement's results end with a null; the sync point ends the pipeline.
  while (out.size() < statements.size()) {
    PGresult* raw = PQgetResult(c);
    if (raw == nullptr) {
      if (PQstatus(c) != CONNECTION_OK) {
        break;
      }
      continue;
    }
    auto status = PQresultStatus(raw);
    if (status == PGRES_PIPELINE_ABORTED) {
      out.emplace_back(
          std::unexpected(DbError{"pipeline_aborted", "an earlier statement failed", "", ""}));
      PQclear(raw);
    } else if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      out.emplace_back(Result(raw));
    } else {
      out.emplace_back(std::unexpected(detail::error_from_result(raw, c)));
      PQclear(raw);
    }
    while (PGresult* extra = PQgetResult(c)) {
      PQclear(extra);  // up to the statement's null
    }
  }
  for (;;) {
    PGresult* raw = PQgetResult(c);
    if (raw == nullptr) {
      if (PQstatus(c) != CONNECTION_OK) {
        break;
      }
      continue;
    }
    bool sync = PQresultStatus(raw) == PGRES_PIPELINE_SYNC;
    PQclear(raw);
    if (sync) {
      break;
    }
  }
  PQexitPipelineMode(c);
  while (out.size() < statements.size()) {
    out.emplace_back(std::unexpected(detail::error_from_connection(c)));
  }
  return out;
}

std::expected<void, DbError> Connection::exec_script(std::string_view sql) {
  std::string text(sql);
  auto r = checked(PQexec(conn_.get(), text.c_str()), conn_.get());
  if (!r) {
    return std::unexpected(r.error());
  }
  return {};
}

std::optional<Connection::Notification> Connection::wait_notification(int timeout_ms) {
  auto take = [&]() -> std::optional<Notification> {
    PQconsumeInput(conn_.get());
    PGnotify* n = PQnotifies(conn_.get());
    if (n == nullptr) {
      return std::nullopt;
    }
    Notification out{n->relname, n->extra};
    PQfreemem(n);
    return out;
  };
  if (auto n = take()) {
    return n;
  }
  pollfd fd{PQsocket(conn_.get()), POLLIN, 0};
  if (fd.fd < 0 || poll(&fd, 1, timeout_ms) <= 0) {
    return std::nullopt;
  }
  return take();
}

bool Connection::healthy() const {
  return conn_ && PQstatus(conn_.get()) == CONNECTION_OK;
}

}  // namespace boai::sql
