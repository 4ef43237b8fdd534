// The migration runner's planning: names, order, checksums, and what it refuses.
#include "sql/migrations.hpp"

#include <catch2/catch.hpp>

using namespace boai::sql;

TEST_CASE("migrations are ordered by version, whatever the file order") {
  auto m = parse_migrations({{"0010_ten.sql", "SELECT 10;"},
                             {"0002_two.sql", "SELECT 2;"},
                             {"0001_one.sql", "SELECT 1;"}});
  REQUIRE(m);
  REQUIRE(m->size() == 3);
  CHECK((*m)[0].version == 1);
  CHECK((*m)[0].name == "one");
  CHECK((*m)[1].version == 2);
  CHECK((*m)[2].version == 10);
  CHECK((*m)[2].name == "ten");
}

TEST_CASE("a migration's checksum is the SHA-256 of its text") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto m = parse_migrations({{"0001_a.sql", "abc"}});
  REQUIRE(m);
  CHECK((*m)[0].checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("badly named or duplicate migrations are refused") {
  for (const char* bad : {"1_short.sql", "0001-dash.sql", "0001_.sql", "abcd_name.sql",
                          "0001_name.txt", "0001_name"}) {
    auto m = parse_migrations({{bad, ""}});
    INFO(bad);
    REQUIRE_FALSE(m);
    CHECK(m.error().code == "bad_migration_name");
  }
  auto dup = parse_migrations({{"0003_a.sql", ""}, {"0003_b.sql", ""}});
  REQUIRE_FALSE(dup);
  CHECK(dup.error().code == "duplicate_migration_version");
}

TEST_CASE("pending migrations are those not yet applied, in order") {
  auto known = *parse_migrations({{"0001_a.sql", "A"}, {"0002_b.sql", "B"}, {"0003_c.sql", "C"}});
  auto none = pending_migrations(known, {});
  REQUIRE(none);
  CHECK(none->size() == 3);

  auto some = pending_migrations(known, {{1, "a", sha256_hex("A")}});
  REQUIRE(some);
  REQUIRE(some->size() == 2);
  CHECK((*some)[0].version == 2);

  auto all = pending_migrations(
      known, {{1, "a", sha256_hex("A")}, {2, "b", sha256_hex("B")}, {3, "c", sha256_hex("C")}});
  REQUIRE(all);
  CHECK(all->empty());
}

TEST_CASE("an applied migration whose text changed is refused") {
  auto known = *parse_migrations({{"0001_a.sql", "A"}, {"0002_b.sql", "B edited"}});
  auto r = pending_migrations(known, {{1, "a", sha256_hex("A")}, {2, "b", sha256_hex("B")}});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "migration_changed");
  CHECK(r.error().message.find("0002_b") != std::string::npos);
}

TEST_CASE("a database that knows a migration this build lacks is refused") {
  auto known = *parse_migrations({{"0001_a.sql", "A"}});
  auto r = pending_migrations(known, {{1, "a", sha256_hex("A")}, {2, "b", sha256_hex("B")}});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "migration_missing");
}

TEST_CASE("the embedded migrations parse") {
  auto m = parse_migrations(embedded_migrations());
  REQUIRE(m);
  REQUIRE_FALSE(m->empty());
  CHECK(m->front().version == 1);
}
