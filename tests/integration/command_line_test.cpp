// The command line's promises: usage on bad input (exit 2), one clear sentence and exit 1 when
// the world is not as expected, and nothing half-written behind.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/boai_process.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::test;
namespace fs = std::filesystem;

TEST_CASE("help and version") {
  auto help = run_boai({"--help"});
  CHECK(help.exit_code == 0);
  for (auto flag :
       {"--listen", "--data-dir", "--database-url", "--static-dir", "serve", "migrate"}) {
    CHECK(help.output.find(flag) != std::string::npos);
  }
  auto version = run_boai({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.output.starts_with("boai "));
}

TEST_CASE("an unknown command or flag prints usage and exits 2") {
  auto args = GENERATE(std::vector<std::string>{"frobnicate"},
                       std::vector<std::string>{"serve", "--no-such-flag"},
                       std::vector<std::string>{"serve", "--listen"},
                       std::vector<std::string>{"serve", "--listen", "nonsense"});
  auto r = run_boai(args);
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("usage: boai") != std::string::npos);
}

TEST_CASE("a port already in use is named, and nothing starts") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(fd, 1) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  auto data = temp_dir("busy");

  auto r = run_boai(
      {"serve", "--listen", "127.0.0.1:" + std::to_string(port), "--data-dir", data.string()});
  close(fd);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("port " + std::to_string(port) + " on 127.0.0.1 is already in use") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(data / "pg"));
}

TEST_CASE("a data directory that cannot be written is named") {
  auto dir = temp_dir("unwritable");
  std::ofstream(dir / "a-file") << "not a directory";
  auto r = run_boai(
      {"serve", "--listen", "127.0.0.1:0", "--data-dir", (dir / "a-file" / "var").string()});
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("data directory") != std::string::npos);
  CHECK(r.output.find("cannot be written") != std::string::npos);
}

TEST_CASE("an unreachable database URL is named") {
  auto r = run_boai({"serve", "--listen", "127.0.0.1:0", "--database-url",
                     "postgresql://boai@127.0.0.1:1/boai?connect_timeout=2"});
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("cannot reach the database") != std::string::npos);
}

TEST_CASE("a missing initdb is named and leaves nothing half-written") {
  auto data = temp_dir("noinitdb");
  auto r = run_boai({"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                    {{"BOAI_PG_BINDIR", "/nonexistent/bin"}});
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("initdb") != std::string::npos);
  CHECK_FALSE(fs::exists(data / "pg"));
}

TEST_CASE("flags beat environment variables") {
  auto r = run_boai({"serve", "--listen", "127.0.0.1:0", "--database-url",
                     "postgresql://boai@127.0.0.1:1/flag?connect_timeout=2"},
                    {{"BOAI_DATABASE_URL", "postgresql://boai@127.0.0.1:2/env"}});
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("127.0.0.1") != std::string::npos);
  CHECK(r.output.find("port 1 failed") != std::string::npos);
  CHECK(r.output.find("port 2") == std::string::npos);
}
