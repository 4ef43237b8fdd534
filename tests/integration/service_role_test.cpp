// The service's database role: boai serve on its private cluster works as sql::kServiceRole,
// which writes rows but can neither switch the ledger's append-only triggers off nor truncate,
// and a node given that role's URL finds the schema up to date without needing more.
#include "sql/service_role.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "app/database_setup.hpp"
#include "sql/connection.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai;

namespace {

// The SQLSTATE a statement failed with, or "" when it ran.
std::string refusal(sql::Connection& conn, const std::string& statement) {
  auto r = conn.exec(statement);
  return r ? std::string() : r.error().sqlstate;
}

}  // namespace

TEST_CASE("the service cannot switch the ledger's triggers off") {
  app::Options options;
  options.data_dir = test::temp_dir("role").string();
  auto db = app::open_database(options, false);
  INFO((db ? std::string() : db.error().message));
  REQUIRE(db);
  auto conn = sql::Connection::open(db->conninfo);
  REQUIRE(conn);

  auto who = conn->exec("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user");
  REQUIRE(who);
  CHECK(who->text(0, 0) == sql::kServiceRole);
  CHECK(who->text(0, 1) == "f");

  // Its work: the rows of the tables.
  CHECK(conn->exec("SELECT count(*) FROM ledger_entries"));
  CHECK(conn->exec("INSERT INTO funds (slug, name) VALUES ('aed', 'AED')"));

  // Not its work: anything that would let a row of the ledger change or go.
  CHECK(refusal(*conn, "SET session_replication_role = replica") == "42501");
  CHECK(refusal(*conn, "ALTER TABLE ledger_entries DISABLE TRIGGER ALL") == "42501");
  CHECK(refusal(*conn, "TRUNCATE ledger_entries") == "42501");
  CHECK(refusal(*conn, "DROP TABLE ledger_entries") == "42501");
  CHECK(refusal(*conn, "SET ROLE boai") == "42501");
  CHECK(refusal(*conn, "DELETE FROM schema_migrations") == "42501");
  CHECK(refusal(*conn, "CREATE TABLE mine (id int)") == "42501");

  SECTION("a node given the service's own URL migrates nothing and starts") {
    app::Options node;
    node.data_dir = options.data_dir;
    node.database_url = db->conninfo;
    auto again = app::open_database(node, false);
    INFO((again ? std::string() : again.error().message));
    CHECK(again);
  }
}
