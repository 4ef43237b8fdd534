// Internal to sql/: shared libpq glue for Connection and AsyncConnection.
#pragma once

#include <libpq-fe.h>

#include <expected>
#include <string>
#include <vector>

#include "sql/error.hpp"
#include "sql/params.hpp"

namespace boai::sql::detail {

// Keyword/value arrays for PQconnectdbParams/PQconnectStartParams: the user's conninfo expanded,
// plus an application_name of "boai/<pid>" so a cluster can tell which processes use it.
struct ConnectParams {
  std::vector<std::string> storage;
  std::vector<const char*> keywords;
  std::vector<const char*> values;
};
ConnectParams connect_params(const std::string& conninfo);

// Pointers into params for PQexecParams and friends; valid while params lives.
std::vector<const char*> value_pointers(const Params& params);

// The error a failed result or connection carries.
DbError error_from_result(const PGresult* result, const PGconn* conn);
DbError error_from_connection(const PGconn* conn);

}  // namespace boai::sql::detail
