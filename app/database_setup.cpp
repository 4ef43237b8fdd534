// open_database: choose the server, connect once to check it, run the migrations.
#include "app/database_setup.hpp"

#include <cstdio>

#include "sql/connection.hpp"
#include "sql/migrations.hpp"
#include "sql/service_role.hpp"

namespace boai::app {

std::expected<Database, Error> open_database(const Options& options, bool print_migrations) {
  Database db;
  std::string owner;  // who migrates: the private cluster's superuser, or the URL's role
  if (options.database_url) {
    db.conninfo = owner = *options.database_url;
  } else {
    auto pg = EmbeddedPostgres::start(options.data_dir);
    if (!pg) {
      return std::unexpected(pg.error());
    }
    owner = (*pg)->conninfo();
    db.conninfo = (*pg)->service_conninfo();
    db.embedded = std::move(*pg);
  }
  auto conn = sql::Connection::open(owner);
  if (!conn) {
    return std::unexpected(
        make_error("db_unreachable", "cannot reach the database: " + conn.error().message));
  }
  auto known = sql::parse_migrations(sql::embedded_migrations());
  if (!known) {
    return std::unexpected(known.error());
  }
  auto report = sql::migrate(*conn, *known);
  if (!report) {
    return std::unexpected(report.error());
  }
  if (auto granted = sql::grant_service_role(*conn); !granted) {
    return std::unexpected(granted.error());
  }
  if (print_migrations) {
    for (const auto& m : report->applied) {
      std::printf("boai: applied migration %s\n", m.c_str());
    }
    if (report->applied.empty()) {
      std::printf("boai: the database schema is up to date\n");
    }
  }
  return db;
}

}  // namespace boai::app
