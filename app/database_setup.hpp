// Which database a command uses: the one named by --database-url, or the private cluster under
// the data directory, started on demand. Either way the schema is brought up to date.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include "app/embedded_postgres.hpp"
#include "app/options.hpp"
#include "base/error.hpp"

namespace boai::app {

struct Database {
  std::string conninfo;  // the service's: sql::kServiceRole in the private cluster
  std::unique_ptr<EmbeddedPostgres> embedded;  // null when --database-url was given
};

// Errors: db_unreachable, migration_*, service_role_failed and everything EmbeddedPostgres::start
// reports.
std::expected<Database, Error> open_database(const Options& options, bool print_migrations);

}  // namespace boai::app
