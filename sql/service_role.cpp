// ensure_service_role and grant_service_role. The role's name is a constant of this file's
// header: GRANT and CREATE ROLE take no parameters, so it is written into the text.
#include "sql/service_role.hpp"

#include <string>

#include "sql/connection.hpp"

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
  // A superuser is a member of every role as far as pg_has_role goes: it grants all the same.
  auto wanted = owner.exec(
      "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AND "
      "(current_user::text <> $1 AND ((SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
      " OR NOT pg_has_role(current_user, $1, 'MEMBER')))",
      params(kServiceRole));
  if (!wanted) {
    return std::unexpected(failed(wanted.error(), "looking for the service role"));
  }
  if (wanted->text(0, 0) != "t") {
    return {};
  }
  const std::string role = kServiceRole;
  for (const std::string& grant :
       {"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role,
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + role,
        "REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM " + role}) {
    if (auto r = owner.exec(grant); !r) {
      return std::unexpected(failed(r.error(), "granting the service role its rights"));
    }
  }
  return {};
}

}  // namespace boai::sql
