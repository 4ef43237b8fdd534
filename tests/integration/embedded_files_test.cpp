// The embedded cluster's files as root writes them: a link planted where boai.conf goes, or in
// place of the socket's folder in /tmp, is never followed (nothing is written or handed over
// through it), and a folder boai did not make is refused.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/embedded_postgres.hpp"
#include "tests/support/test_cluster.hpp"

using namespace boai::test;
namespace fs = std::filesystem;

namespace {

// The socket folder boai falls back to for a long data directory: /tmp/boai-<FNV-1a of its path>.
fs::path socket_fallback(const fs::path& data_dir) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data_dir.string()) {
    h = (h ^ c) * 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return fs::path("/tmp") / ("boai-" + std::string(buf));
}

struct stat status_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(stat(p.c_str(), &st) == 0);
  return st;
}

std::string read_all(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("links planted where the embedded cluster's files go are not followed") {
  // Long enough that the socket cannot live in the cluster folder (sun_path is 108 bytes).
  auto data = temp_dir("files") / std::string(90, 'd');
  fs::create_directories(data);
  data = fs::absolute(data).lexically_normal();
  auto victim = temp_dir("victim");
  fs::permissions(victim, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  std::ofstream(victim / "secret") << "victim\n";
  auto before = status_of(victim);

  auto socket_dir = socket_fallback(data);
  std::error_code ec;
  fs::remove_all(socket_dir, ec);
  fs::create_directory_symlink(victim, socket_dir);
  auto refused = boai::app::EmbeddedPostgres::start(data);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == "unsafe_path");
  auto after = status_of(victim);
  CHECK(after.st_uid == before.st_uid);
  CHECK((after.st_mode & 07777) == (before.st_mode & 07777));

  // Made by someone else as a real folder, open to all: refused too.
  fs::remove(socket_dir);
  fs::create_directory(socket_dir);
  fs::permissions(socket_dir, fs::perms::all);
  auto open_folder = boai::app::EmbeddedPostgres::start(data);
  REQUIRE_FALSE(open_folder);
  CHECK(open_folder.error().code == "unsafe_path");
  fs::remove(socket_dir);

  // boai.conf as a link to another file: replaced by a file of its own, the other left alone.
  auto cluster = boai::app::cluster_dir_for_data_dir(data);
  REQUIRE(cluster);
  fs::remove(*cluster / "boai.conf", ec);
  fs::create_symlink(victim / "secret", *cluster / "boai.conf");
  {
    auto pg = boai::app::EmbeddedPostgres::start(data);
    INFO((pg ? std::string() : pg.error().message));
    REQUIRE(pg);
    (*pg)->release();
  }
  CHECK(read_all(victim / "secret") == "victim\n");
  CHECK(status_of(victim / "secret").st_uid == before.st_uid);
  CHECK_FALSE(fs::is_symlink(*cluster / "boai.conf"));
  CHECK(read_all(*cluster / "boai.conf").find("unix_socket_directories") != std::string::npos);
  fs::remove_all(socket_dir, ec);
}
