// `boai serve` for real: a private cluster, real sockets, the database going away and coming back,
// and a clean exit on SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/embedded_postgres.hpp"
#include "tests/support/boai_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::test;
namespace fs = std::filesystem;

namespace {

// Polls until the status of GET path is `status`, or the time is up.
bool eventually_status(int port, const std::string& path, int status,
                       std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (http_get(port, path).status == status) {
      return true;
    }
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

fs::path cluster_of(const fs::path& data_dir) {
  auto dir = boai::app::cluster_dir_for_data_dir(data_dir);
  REQUIRE(dir);
  return *dir;
}

bool cluster_running(const fs::path& cluster_dir) {
  std::ifstream pidfile(cluster_dir / "postmaster.pid");
  long pid = 0;
  return (pidfile >> pid) && pid > 0 && kill(static_cast<pid_t>(pid), 0) == 0;
}

}  // namespace

TEST_CASE("serve answers healthz, pages and metrics on a private cluster") {
  auto data = temp_dir("serve");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);

  auto health = http_get(*port, "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == R"({"status":"ok","db":"ok"})");
  CHECK(health.headers["content-type"] == "application/json");

  auto page = http_get(*port, "/");
  CHECK(page.status == 200);
  CHECK(page.body.find("博爱直播") != std::string::npos);

  auto metrics = http_get(*port, "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("# TYPE boai_database_up gauge\nboai_database_up 1\n") !=
        std::string::npos);
  CHECK(metrics.body.find("boai_http_requests_total") != std::string::npos);

  CHECK(http_get(*port, "/no-such-page").status == 404);

  boai.signal(SIGTERM);
  CHECK(boai.wait_exit(10s) == 0);
}

TEST_CASE("healthz follows the database down and back up without a restart") {
  auto data = temp_dir("dbdown");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  REQUIRE(http_get(*port, "/healthz").status == 200);

  REQUIRE(boai::app::pg_ctl_for_data_dir(data, "stop"));
  CHECK(eventually_status(*port, "/healthz", 503, 10s));
  auto down = http_get(*port, "/healthz");
  CHECK(down.body.find(R"("db":"down")") != std::string::npos);
  CHECK(http_get(*port, "/metrics").body.find("boai_database_up 0\n") != std::string::npos);

  REQUIRE(boai::app::pg_ctl_for_data_dir(data, "start"));
  CHECK(eventually_status(*port, "/healthz", 200, 20s));

  boai.signal(SIGTERM);
  CHECK(boai.wait_exit(10s) == 0);
}

TEST_CASE("SIGTERM and SIGINT stop boai and its private PostgreSQL, leaving no process") {
  auto signal = GENERATE(SIGTERM, SIGINT);
  auto data = temp_dir("sigterm");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  REQUIRE(boai.wait_for_port());
  fs::path cluster = cluster_of(data);
  REQUIRE(cluster_running(cluster));

  auto started = std::chrono::steady_clock::now();
  boai.signal(signal);
  CHECK(boai.wait_exit(10s) == 0);
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  CHECK_FALSE(cluster_running(cluster));
  CHECK_FALSE(fs::exists(cluster / "postmaster.pid"));
}

TEST_CASE("a second boai on the same data directory shares the running cluster") {
  auto data = temp_dir("shared");
  BoaiProcess first({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  REQUIRE(first.wait_for_port());
  BoaiProcess second({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  auto port2 = second.wait_for_port();
  INFO(second.output());
  REQUIRE(port2);
  CHECK(http_get(*port2, "/healthz").status == 200);

  // The first to leave keeps the cluster running for the other; the last turns it off.
  first.signal(SIGTERM);
  REQUIRE(first.wait_exit(10s) == 0);
  CHECK(cluster_running(cluster_of(data)));
  CHECK(http_get(*port2, "/healthz").status == 200);
  second.signal(SIGTERM);
  REQUIRE(second.wait_exit(10s) == 0);
  CHECK_FALSE(cluster_running(cluster_of(data)));
}

TEST_CASE("a stale pid file left by a crash does not stop the next start") {
  auto data = temp_dir("stale");
  {
    BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
    REQUIRE(boai.wait_for_port());
    boai.signal(SIGTERM);
    REQUIRE(boai.wait_exit(10s) == 0);
  }
  // A crashed postmaster leaves its pid file; this pid is certainly not a postgres.
  auto pidfile = cluster_of(data) / "postmaster.pid";
  std::ofstream(pidfile) << "999999\n" << cluster_of(data).string() << "\n";
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  CHECK(http_get(*port, "/healthz").status == 200);
}

TEST_CASE("with a database URL boai starts no cluster of its own") {
  auto url = fresh_database("serve_url");
  auto data = temp_dir("url");
  BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                   {{"BOAI_DATABASE_URL", url}});
  auto port = boai.wait_for_port();
  INFO(boai.output());
  REQUIRE(port);
  CHECK(http_get(*port, "/healthz").status == 200);
  CHECK_FALSE(fs::exists(data / "pg"));
}

TEST_CASE("as root, a data directory the postgres user cannot enter gets its cluster elsewhere") {
  if (geteuid() != 0) {
    return;  // only root runs PostgreSQL as another user
  }
  auto data = temp_dir("private");
  fs::permissions(data, fs::perms::owner_all);  // like a data directory under /root
  auto cluster = cluster_of(data);
  CHECK(cluster.string().starts_with("/var/lib/boai/clusters/"));
  {
    BoaiProcess boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()});
    auto port = boai.wait_for_port();
    INFO(boai.output());
    REQUIRE(port);
    CHECK(http_get(*port, "/healthz").status == 200);
    CHECK(cluster_running(cluster));
    boai.signal(SIGTERM);
    CHECK(boai.wait_exit(10s) == 0);
  }
  CHECK_FALSE(cluster_running(cluster));
  std::error_code ec;
  fs::remove_all(cluster, ec);
}
