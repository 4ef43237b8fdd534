// The migration runner: sql/migrations/NNNN_name.sql applied in order, each in its own
// transaction, recorded in schema_migrations with a SHA-256 checksum. It refuses to run when a
// migration that was already applied has changed since.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace boai::sql {

class Connection;

struct MigrationFile {
  std::string filename;  // "0001_foundation.sql"
  std::string text;
};

struct Migration {
  int version = 0;       // 1
  std::string name;      // "foundation"
  std::string checksum;  // SHA-256 of the text, lowercase hex
  std::string text;
};

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string checksum;
};

// The files compiled into the binary (generated from sql/migrations at build time).
std::vector<MigrationFile> embedded_migrations();

std::string sha256_hex(const std::string& text);

// Parses and orders files; errors: bad_migration_name, duplicate_migration_version.
std::expected<std::vector<Migration>, Error> parse_migrations(std::vector<MigrationFile> files);

// What still has to run, given what the database says ran. Errors: migration_changed (an applied
// migration's text differs), migration_missing (the database knows a version no file has).
std::expected<std::vector<Migration>, Error> pending_migrations(
    const std::vector<Migration>& known, const std::vector<AppliedMigration>& applied);

struct MigrateReport {
  std::vector<std::string> applied;  // "0002_ledger" for each migration run now
};

// Brings the database up to date. Concurrent runners serialise on an advisory lock.
std::expected<MigrateReport, Error> migrate(Connection& conn, const std::vector<Migration>& known);

}  // namespace boai::sql
