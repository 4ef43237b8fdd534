// The role the service works as. It reads and writes the rows of every table but owns none of them
// and is no superuser: a session of it (a leaked password, an injected statement) cannot switch
// the ledger's append-only triggers off, since session_replication_role needs a superuser and
// ALTER TABLE ... DISABLE TRIGGER and TRUNCATE need the owner. The owner runs the migrations and
// grants the role its rights after each run.
#pragma once

#include <expected>

#include "base/error.hpp"

namespace boai::sql {

class Connection;

inline constexpr const char* kServiceRole = "boai_service";

// Creates the role when it is missing: LOGIN and nothing more. For a cluster boai runs itself,
// on a superuser's connection. Errors: service_role_failed.
std::expected<void, Error> ensure_service_role(Connection& admin);

// Gives the role the rows of every table and sequence in the current schema (schema_migrations
// read only) and temporary tables, when the role exists, the connection owns the tables (or is a
// superuser) and something lacks its grant: a node working as the role grants nothing. Errors:
// service_role_failed.
std::expected<void, Error> grant_service_role(Connection& owner);

}  // namespace boai::sql
