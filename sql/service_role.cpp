// ensure_service_role and grant_service_role. The role's name is a constant of this file's
// header: GRANT and CREATE ROLE take no parameters, so it is written into the text.
#include "sql/service_role.hpp"

#include <string>

#include "sql/connection.hpp"
#include "sql/transaction.hpp"

namespace boai::sql {

namespace {

Error failed(const DbError& e, const std::string& doing) {
  return make_error("service_role_failed", doing + ": " + e.message);
}

}  // namespace

std::expected<void, Error> ensure_service_role(Connection& admin) {
  auto found = admin.exec("SELECT 1 FROM pg_roles WHERE rolname = $1", params(kServiceRole));
  if (!found) {
    return std::unexpected(failed(found.error(), "looking for the service role"));
  }
  if (found->rows() > 0) {
    return {};
  }
  auto made = admin.exec(std::string("CREATE ROLE ") + kServiceRole +
                         " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
  if (!made && made.error().sqlstate != "42710") {  // 42710: another boai made it meanwhile
    return std::unexpected(failed(made.error(), "creating the service role"));
  }
  return {};
}

std::expected<void, Error> grant_service_role(Connection& owner) {
  // Decided by ownership, not membership: an owner with CREATEROLE that made the role may be a
  // member of it too (PostgreSQL 16), and a node working as the role owns nothing.
  auto wanted = owner.exec(
      "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND "
      "(pg_get_userbyid(c.relowner) = current_user "
      " OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)), "
      "quote_ident(current_schema()), quote_ident(current_database()) "
      "FROM pg_class c WHERE c.oid = 'schema_migrations'::regclass",
      params(kServiceRole));
  if (!wanted) {
    return std::unexpected(failed(wanted.error(), "looking for the service role"));
  }
  if (wanted->rows() == 0 || wanted->text(0, 0) != "t") {
    return {};
  }
  const std::string role = kServiceRole, schema(wanted->text(0, 1)), database(wanted->text(0, 2));
  // Only when something lacks its grant: every GRANT rewrites the catalog rows (and the plans of
  // every session), and two at once on a table fail with "tuple concurrently updated". The lock
  // orders processes that start together; the second finds nothing to do.
  auto in_lock = [&]() -> std::expected<void, Error> {
    if (auto l = owner.exec("SELECT pg_advisory_xact_lock(7405122)"); !l) {
      return std::unexpected(failed(l.error(), "waiting for another grant"));
    }
    auto missing = owner.exec(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p', 'S') AND NOT "
        "CASE WHEN c.relkind = 'S' THEN has_sequence_privilege($1, c.oid, 'USAGE') "
        "ELSE has_table_privilege($1, c.oid, 'SELECT') END",
        params(kServiceRole));
    if (!missing) {
      return std::unexpected(failed(missing.error(), "reading the service role's rights"));
    }
    if (missing->int64(0, 0) == 0) {
      return {};
    }
    for (const std::string& grant :
         {"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
          "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role,
          "REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM " + role,
          // The statement import's staging table; a hardened server may have taken it from PUBLIC.
          "GRANT TEMPORARY ON DATABASE " + database + " TO " + role}) {
      if (auto r = owner.exec(grant); !r) {
        return std::unexpected(failed(r.error(), "granting the service role its rights"));
      }
    }
    return {};
  };
  return in_transaction(owner, [&](Connection&) { return in_lock(); });
}

}  // namespace boai::sql
