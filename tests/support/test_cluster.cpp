// The shared test cluster: the one ctest started for the run (BOAI_TEST_CLUSTER_DIR, see
// shared_cluster_main.cpp) or, run by hand, one EmbeddedPostgres per test binary, released at exit.
#include "tests/support/test_cluster.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "app/embedded_postgres.hpp"
#include "sql/connection.hpp"

namespace fs = std::filesystem;

namespace boai::test {

namespace {

struct Cleanup {
  std::mutex mutex;
  std::vector<fs::path> dirs;
  std::unique_ptr<app::EmbeddedPostgres> cluster;
  ~Cleanup() {
    if (cluster) {
      cluster->release();
    }
    cluster.reset();
    std::error_code ec;
    for (const auto& d : dirs) {
      fs::remove_all(d, ec);
    }
  }
};

Cleanup& cleanup() {
  static Cleanup c;
  return c;
}

// The conninfo of the run's cluster, when ctest started one; "" otherwise.
std::string run_cluster() {
  const char* dir = std::getenv("BOAI_TEST_CLUSTER_DIR");
  if (dir == nullptr || *dir == '\0') {
    return "";
  }
  std::ifstream in(fs::path(dir) / "conninfo");
  std::string conninfo;
  std::getline(in, conninfo);
  if (conninfo.empty()) {
    throw std::runtime_error(std::string("no running test cluster in ") + dir);
  }
  return conninfo;
}

}  // namespace

fs::path temp_dir(const std::string& prefix) {
  std::string pattern = "/tmp/boai-" + prefix + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  // mkdtemp makes 0700; as root, the postgres user must be able to enter a data directory.
  fs::permissions(pattern, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
  std::lock_guard lock(cleanup().mutex);
  cleanup().dirs.emplace_back(pattern);
  return pattern;
}

std::string fresh_database(const std::string& hint) {
  static std::atomic<int> counter{0};
  auto& c = cleanup();
  std::string base = run_cluster();
  if (base.empty()) {
    std::lock_guard lock(c.mutex);
    if (!c.cluster) {
      std::string pattern = "/tmp/boai-cluster-XXXXXX";
      if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
      }
      fs::permissions(pattern, fs::perms::others_exec | fs::perms::group_exec,
                      fs::perm_options::add);
      c.dirs.emplace_back(pattern);
      auto pg = app::EmbeddedPostgres::start(pattern);
      if (!pg) {
        throw std::runtime_error("test cluster: " + pg.error().message);
      }
      c.cluster = std::move(*pg);
    }
    base = c.cluster->conninfo();
  }
  std::string name = "t_" + hint + "_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  for (auto& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) {
      ch = '_';
    }
  }
  auto admin = sql::Connection::open(base);
  if (!admin) {
    throw std::runtime_error("test cluster: " + admin.error().message);
  }
  // CREATE DATABASE takes an identifier; name holds only [A-Za-z0-9_] by construction.
  if (auto r = admin->exec("CREATE DATABASE " + name); !r) {
    throw std::runtime_error("test cluster: " + r.error().message);
  }
  return base + " dbname=" + name;
}

}  // namespace boai::test
