// `boai migrate` against a real database: applies in order, is idempotent, and refuses when an
// applied migration was edited or the database is newer than the build.
#include <catch2/catch.hpp>

#include "sql/connection.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::test;

TEST_CASE("migrate applies every migration once and records its checksum") {
  auto url = fresh_database("migrate");
  auto first = run_boai({"migrate", "--database-url", url});
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(first.output.find("applied migration 0001_foundation") != std::string::npos);

  auto again = run_boai({"migrate", "--database-url", url});
  CHECK(again.exit_code == 0);
  CHECK(again.output.find("up to date") != std::string::npos);

  auto conn = boai::sql::Connection::open(url);
  REQUIRE(conn);
  auto rows =
      conn->exec("SELECT version, name, length(checksum) FROM schema_migrations ORDER BY 1");
  REQUIRE(rows);
  REQUIRE(rows->rows() >= 1);
  CHECK(rows->int64(0, 0) == 1);
  CHECK(rows->text(0, 1) == "foundation");
  CHECK(rows->int64(0, 2) == 64);
}

TEST_CASE("migrate refuses when an applied migration was changed") {
  auto url = fresh_database("migrate_changed");
  REQUIRE(run_boai({"migrate", "--database-url", url}).exit_code == 0);
  auto conn = boai::sql::Connection::open(url);
  REQUIRE(conn);
  REQUIRE(conn->exec("UPDATE schema_migrations SET checksum = $1 WHERE version = 1",
                     boai::sql::params(std::string(64, '0'))));
  auto r = run_boai({"migrate", "--database-url", url});
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("0001_foundation was changed after it was applied") != std::string::npos);

  // serve refuses too, before it listens.
  auto s = run_boai({"serve", "--listen", "127.0.0.1:0", "--database-url", url});
  CHECK(s.exit_code == 1);
  CHECK(s.output.find("listening") == std::string::npos);
}

TEST_CASE("migrate refuses a database that is newer than this build") {
  auto url = fresh_database("migrate_newer");
  REQUIRE(run_boai({"migrate", "--database-url", url}).exit_code == 0);
  auto conn = boai::sql::Connection::open(url);
  REQUIRE(conn);
  REQUIRE(
      conn->exec("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, $1, $2)",
                 boai::sql::params("from_the_future", std::string(64, 'f'))));
  auto r = run_boai({"migrate", "--database-url", url});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("does not know") != std::string::npos);
}
