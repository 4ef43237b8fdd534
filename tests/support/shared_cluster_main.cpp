// `test_shared_cluster start|stop DIR`: one PostgreSQL for a whole ctest run. ctest runs every
// integration test case as its own process; without this each would initdb and start a cluster
// of its own (seconds each). `start` leaves the cluster running and writes its conninfo to
// DIR/conninfo, which fresh_database reads (BOAI_TEST_CLUSTER_DIR); `stop` stops it and removes
// DIR.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/embedded_postgres.hpp"
#include "sql/connection.hpp"

namespace fs = std::filesystem;

namespace {

int fail(const std::string& what) {
  std::fprintf(stderr, "test_shared_cluster: %s\n", what.c_str());
  return 1;
}

// Stopped the quick way (SIGQUIT, no shutdown checkpoint): the cluster is thrown away, and a
// checkpoint of every test's database can take minutes on a busy disk. A cluster a killed run left
// behind is stopped the same way first: each run starts from nothing.
void stop(const fs::path& dir) {
  std::ifstream pid_file(dir / "pg" / "postmaster.pid");
  pid_t pid = 0;
  if (pid_file >> pid && pid > 0 && kill(pid, SIGQUIT) == 0) {
    // Waiting for a condition (the postmaster gone), with a generous bound for a busy machine.
    for (int i = 0; i < 6000 && kill(pid, 0) == 0; ++i) {
      usleep(10'000);
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

// Nothing in a throw-away cluster needs to survive a power cut: no waiting for the disk.
int skip_fsync(const std::string& conninfo) {
  auto conn = boai::sql::Connection::open(conninfo);
  if (!conn) {
    return fail(conn.error().message);
  }
  for (const char* sql :
       {"ALTER SYSTEM SET fsync = off", "ALTER SYSTEM SET synchronous_commit = off",
        "ALTER SYSTEM SET full_page_writes = off", "SELECT pg_reload_conf()"}) {
    if (auto r = conn->exec(sql); !r) {
      return fail(r.error().message);
    }
  }
  return 0;
}

int start(const fs::path& dir) {
  stop(dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  // As root, the postgres user must be able to enter it.
  fs::permissions(dir, fs::perms::others_exec | fs::perms::group_exec, fs::perm_options::add, ec);
  auto pg = boai::app::EmbeddedPostgres::start(dir);
  if (!pg) {
    return fail(pg.error().message);
  }
  if (int failed = skip_fsync((*pg)->conninfo()); failed != 0) {
    return failed;
  }
  std::ofstream(dir / "conninfo.part") << (*pg)->conninfo();
  fs::rename(dir / "conninfo.part", dir / "conninfo", ec);
  if (ec) {
    return fail("cannot write " + (dir / "conninfo").string());
  }
  std::printf("shared test cluster: %s\n", (*pg)->conninfo().c_str());
  std::fflush(stdout);
  // Leave without releasing it: the cluster runs on for the tests, until `stop`.
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    return fail("usage: test_shared_cluster start|stop DIR");
  }
  std::string action = argv[1];
  if (action == "start") {
    return start(argv[2]);
  }
  if (action == "stop") {
    stop(argv[2]);
    return 0;
  }
  return fail("unknown action " + action);
}
