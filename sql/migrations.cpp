// The migration runner: pure planning (parse, order, compare checksums) and the apply loop.
#include "sql/migrations.hpp"

#include <glib.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "sql/connection.hpp"

namespace boai::sql {

namespace {
// Any constant works; it only has to be the same for every runner.
constexpr const char* kMigrationLockKey = "7405121";

std::string label(const Migration& m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04d", m.version);
  return std::string(buf) + "_" + m.name;
}
}  // namespace

std::string sha256_hex(const std::string& text) {
  gchar* hex = g_compute_checksum_for_data(
      G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(text.data()), text.size());
  std::string out(hex);
  g_free(hex);
  return out;
}

std::expected<std::vector<Migration>, Error> parse_migrations(std::vector<MigrationFile> files) {
  std::vector<Migration> out;
  std::map<int, std::string> seen;
  for (auto& f : files) {
    const std::string& n = f.filename;
    bool well_formed =
        n.size() > 9 && n.ends_with(".sql") && n[4] == '_' &&
        std::all_of(n.begin(), n.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    if (!well_formed) {
      return std::unexpected(
          make_error("bad_migration_name", "migration file " + n + " is not named NNNN_name.sql"));
    }
    Migration m;
    std::from_chars(n.data(), n.data() + 4, m.version);
    m.name = n.substr(5, n.size() - 9);
    if (auto [it, fresh] = seen.emplace(m.version, n); !fresh) {
      return std::unexpected(make_error(
          "duplicate_migration_version",
          "migrations " + it->second + " and " + n + " share version " + n.substr(0, 4)));
    }
    m.checksum = sha256_hex(f.text);
    m.text = std::move(f.text);
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  return out;
}

std::expected<std::vector<Migration>, Error> pending_migrations(
    const std::vector<Migration>& known, const std::vector<AppliedMigration>& applied) {
  std::map<int, const Migration*> by_version;
  for (const auto& m : known) {
    by_version[m.version] = &m;
  }
  std::map<int, bool> done;
  for (const auto& a : applied) {
    auto it = by_version.find(a.version);
    if (it == by_version.end()) {
      return std::unexpected(make_error(
          "migration_missing", "the database has migration " + std::to_string(a.version) + " (" +
                                   a.name + ") that this build does not know: is it older?"));
    }
    if (it->second->checksum != a.checksum) {
      return std::unexpected(make_error(
          "migration_changed", "migration " + label(*it->second) +
                                   " was changed after it was applied; add a new migration "
                                   "instead of editing a landed one"));
    }
    done[a.version] = true;
  }
  std::vector<Migration> todo;
  for (const auto& m : known) {
    if (!done.contains(m.version)) {
      todo.push_back(m);
    }
  }
  return todo;
}

static Error db(const DbError& e, const std::string& doing) {
  return make_error("migration_failed", doing + ": " + e.message);
}

std::expected<MigrateReport, Error> migrate(Connection& conn, const std::vector<Migration>& known) {
  // Asked first: a role without CREATE on the schema (the service's own) may not even say
  // CREATE TABLE IF NOT EXISTS, and finds the table there.
  auto there = conn.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!there) {
    return std::unexpected(db(there.error(), "looking for schema_migrations"));
  }
  if (there->text(0, 0) != "t") {
    auto created = conn.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
    // Two runners creating the table at once: the loser sees a duplicate type; the table is there.
    if (!created && created.error().sqlstate != "23505" && created.error().sqlstate != "42P07") {
      return std::unexpected(db(created.error(), "creating schema_migrations"));
    }
  }
  if (auto l = conn.exec("SELECT pg_advisory_lock($1::bigint)", params(kMigrationLockKey)); !l) {
    return std::unexpected(db(l.error(), "taking the migration lock"));
  }
  auto unlock = [&] {
    (void)conn.exec("SELECT pg_advisory_unlock($1::bigint)", params(kMigrationLockKey));
  };

  auto rows = conn.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  if (!rows) {
    unlock();
    return std::unexpected(db(rows.error(), "reading schema_migrations"));
  }
  std::vector<AppliedMigration> applied;
  for (int r = 0; r < rows->rows(); ++r) {
    applied.push_back({static_cast<int>(rows->int64(r, 0)), std::string(rows->text(r, 1)),
                       std::string(rows->text(r, 2))});
  }
  auto todo = pending_migrations(known, applied);
  if (!todo) {
    unlock();
    return std::unexpected(todo.error());
  }
  MigrateReport report;
  for (const auto& m : *todo) {
    auto step = [&]() -> std::expected<void, DbError> {
      if (auto r = conn.exec("BEGIN"); !r) {
        return std::unexpected(r.error());
      }
      if (auto r = conn.exec_script(m.text); !r) {
        return std::unexpected(r.error());
      }
      if (auto r = conn.exec(
              "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
              params(m.version, m.name, m.checksum));
          !r) {
        return std::unexpected(r.error());
      }
      if (auto r = conn.exec("COMMIT"); !r) {
        return std::unexpected(r.error());
      }
      return {};
    }();
    if (!step) {
      (void)conn.exec("ROLLBACK");
      unlock();
      return std::unexpected(db(step.error(), "applying migration " + label(m)));
    }
    report.applied.push_back(label(m));
  }
  unlock();
  return report;
}

}  // namespace boai::sql
