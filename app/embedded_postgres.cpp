// EmbeddedPostgres: where the cluster lives, who owns it, and starting, reusing and stopping it.
#include "app/embedded_postgres.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "app/safe_files.hpp"
#include "app/subprocess.hpp"
#include "sql/connection.hpp"
#include "sql/service_role.hpp"

namespace fs = std::filesystem;

namespace boai::app {

namespace {

constexpr const char* kRole = "boai";
constexpr const char* kDatabase = "boai";
constexpr int kPort = 5432;  // no TCP listener: the number only names the socket file
constexpr std::size_t kMaxSocketPath = 100;  // sun_path is 108 bytes

// Serialises start and stop decisions between boai processes sharing a data directory.
class DataDirLock {
 public:
  explicit DataDirLock(const fs::path& data_dir) {
    fd_ = open((data_dir / "boai.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      flock(fd_, LOCK_EX);
    }
  }
  ~DataDirLock() {
    if (fd_ >= 0) {
      close(fd_);  // closing releases the flock
    }
  }
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

std::string hex_hash(const std::string& text) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across builds and runs
  for (unsigned char c : text) {
    h = (h ^ c) * 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string quote_conninfo(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

std::string quote_conf(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    out += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return out + "'";
}

std::expected<fs::path, Error> find_bindir() {
  if (const char* env = std::getenv("BOAI_PG_BINDIR"); env != nullptr && *env != '\0') {
    if (fs::exists(fs::path(env) / "initdb")) {
      return fs::path(env);
    }
    return std::unexpected(make_error(
        "initdb_missing", std::string("BOAI_PG_BINDIR is ") + env + " but it has no initdb"));
  }
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(e.path() / "bin" / "initdb")) {
      found.push_back(e.path() / "bin");
    }
  }
  if (!found.empty()) {
    // Highest major version first: "15" sorts after "9" numerically, not as text.
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
      return std::stoi(a.parent_path().filename()) < std::stoi(b.parent_path().filename());
    });
    return found.back();
  }
  for (const char* dir : {"/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin"}) {
    if (fs::exists(fs::path(dir) / "initdb")) {
      return fs::path(dir);
    }
  }
  return std::unexpected(make_error(
      "initdb_missing",
      "PostgreSQL's initdb was not found: install PostgreSQL (apt-get install postgresql), set "
      "BOAI_PG_BINDIR, or give --database-url"));
}

std::expected<std::optional<RunAs>, Error> cluster_owner() {
  if (geteuid() != 0) {
    return std::optional<RunAs>{};
  }
  passwd* pw = getpwnam("postgres");
  if (pw == nullptr) {
    return std::unexpected(make_error(
        "postgres_user_missing",
        "running as root, boai runs PostgreSQL as the user 'postgres', which does not exist "
        "(install the postgresql package or run boai as an ordinary user)"));
  }
  return std::optional<RunAs>{RunAs{pw->pw_uid, pw->pw_gid}};
}

bool reachable_by(const fs::path& dir, const std::optional<RunAs>& owner) {
  if (!owner) {
    return true;
  }
  return run_process({"/usr/bin/test", "-x", dir.string()}, owner).exit_code == 0;
}

void give_to(const fs::path& path, const std::optional<RunAs>& owner) {
  if (owner) {
    (void)chown(path.c_str(), owner->uid, owner->gid);
  }
}

std::expected<void, Error> check_writable(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto probe = dir / ".boai-write-test";
  std::ofstream f(probe);
  if (ec || !f) {
    return std::unexpected(make_error("data_dir_unwritable",
                                      "the data directory " + dir.string() + " cannot be written" +
                                          (ec ? ": " + ec.message() : std::string())));
  }
  f.close();
  fs::remove(probe, ec);
  return {};
}

// The pid in postmaster.pid when that process is a live postgres; nullopt otherwise.
std::optional<pid_t> running_postmaster(const fs::path& cluster_dir) {
  std::ifstream pidfile(cluster_dir / "postmaster.pid");
  long pid = 0;
  if (!(pidfile >> pid) || pid <= 0) {
    return std::nullopt;
  }
  if (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) {
    return std::nullopt;
  }
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  if (name != "postgres" && name != "postmaster") {
    return std::nullopt;  // pid reused
  }
  return static_cast<pid_t>(pid);
}

// A cluster another boai has just started may still be refusing connections ("starting up"),
// and libpq has no way to wait for it. Startup and command-line work only: this runs before
// `boai serve` starts its loop, never on it.
std::expected<sql::Connection, sql::DbError> connect_with_retry(const std::string& conninfo,
                                                                std::chrono::seconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    auto c = sql::Connection::open(conninfo);
    if (c || std::chrono::steady_clock::now() > deadline) {
      return c;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

struct EmbeddedPostgres::Layout {
  fs::path bindir;
  std::optional<RunAs> owner;
  fs::path cluster_dir;
  fs::path socket_dir;

  std::string conninfo(const char* database, const char* role = kRole) const {
    return "host=" + quote_conninfo(socket_dir.string()) + " port=" + std::to_string(kPort) +
           " user=" + role + " dbname=" + database;
  }

  ProcessResult pg_ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {(bindir / "pg_ctl").string(), "-D", cluster_dir.string()});
    return run_process(args, owner, cluster_dir.string());
  }

  static std::expected<Layout, Error> of(const fs::path& data_dir) {
    Layout l;
    auto bindir = find_bindir();
    if (!bindir) {
      return std::unexpected(bindir.error());
    }
    l.bindir = *bindir;
    auto owner = cluster_owner();
    if (!owner) {
      return std::unexpected(owner.error());
    }
    l.owner = *owner;
    // PostgreSQL refuses to run as root, and the postgres user cannot enter /root: then the
    // cluster lives in a shared place, named after the data directory it belongs to.
    if (reachable_by(data_dir, l.owner)) {
      l.cluster_dir = data_dir / "pg";
    } else {
      l.cluster_dir = fs::path("/var/lib/boai/clusters") / hex_hash(data_dir.string());
    }
    l.socket_dir = l.cluster_dir;
    if ((l.socket_dir / ".s.PGSQL.5432").string().size() > kMaxSocketPath) {
      l.socket_dir = fs::path("/tmp") / ("boai-" + hex_hash(data_dir.string()));
    }
    return l;
  }

  uid_t owner_uid() const { return owner ? owner->uid : geteuid(); }

  // As root this writes into the postgres user's folder and makes the socket's in /tmp: the
  // folders must be what boai made, and nothing is written through a link (app/safe_files.hpp).
  std::expected<void, Error> write_settings() const {
    for (auto check : {check_folder(cluster_dir.parent_path(), geteuid()),
                       check_folder(cluster_dir, owner_uid())}) {
      if (!check) {
        return check;
      }
    }
    if (socket_dir != cluster_dir) {
      if (auto made = private_folder(socket_dir, owner); !made) {
        return made;
      }
    }
    return replace_file(cluster_dir / "boai.conf",
                        "# Written by boai at every start.\n"
                        "listen_addresses = ''\n"
                        "unix_socket_directories = " +
                            quote_conf(socket_dir.string()) +
                            "\n"
                            "unix_socket_permissions = 0700\n"
                            "port = " +
                            std::to_string(kPort) +
                            "\n"
                            "max_connections = 200\n"
                            "timezone = 'UTC'\n",
                        owner);
  }

  std::expected<void, Error> initdb() const {
    std::error_code ec;
    fs::create_directories(cluster_dir.parent_path(), ec);
    if (auto parent = check_folder(cluster_dir.parent_path(), geteuid()); !parent) {
      return parent;
    }
    // initdb into a scratch directory and rename it into place: a failure leaves nothing behind.
    auto scratch = cluster_dir.parent_path() /
                   (cluster_dir.filename().string() + ".init-" + std::to_string(getpid()));
    fs::remove_all(scratch, ec);
    fs::create_directories(scratch, ec);
    fs::permissions(scratch, fs::perms::owner_all, ec);
    give_to(scratch, owner);
    auto r =
        run_process({(bindir / "initdb").string(), "-D", scratch.string(), "-U", kRole,
                     "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"},
                    owner, scratch.string());
    if (r.exit_code != 0) {
      fs::remove_all(scratch, ec);
      return std::unexpected(
          make_error("initdb_failed", "initdb failed: " + last_lines(r.output, 3)));
    }
    auto included =
        append_file(scratch / "postgresql.conf",
                    "\n# boai's own settings\ninclude_if_exists = 'boai.conf'\n", owner_uid());
    if (!included) {
      fs::remove_all(scratch, ec);
      return included;
    }
    fs::rename(scratch, cluster_dir, ec);
    if (ec) {
      fs::remove_all(scratch, ec);
      return std::unexpected(
          make_error("initdb_failed", "cannot move the new cluster into " + cluster_dir.string()));
    }
    return {};
  }
};

std::expected<std::unique_ptr<EmbeddedPostgres>, Error> EmbeddedPostgres::start(
    const fs::path& data_dir_in) {
  fs::path data_dir = fs::absolute(data_dir_in).lexically_normal();
  if (auto w = check_writable(data_dir); !w) {
    return std::unexpected(w.error());
  }
  DataDirLock lock(data_dir);
  auto layout = Layout::of(data_dir);
  if (!layout) {
    return std::unexpected(layout.error());
  }

  std::unique_ptr<EmbeddedPostgres> pg(new EmbeddedPostgres());
  // Nothing to let go until the start succeeds: release() takes the data directory's lock, which
  // this start holds, so a failure below must not run it (it waited for itself).
  pg->released_ = true;
  pg->data_dir_ = data_dir;
  pg->cluster_dir_ = layout->cluster_dir;
  pg->conninfo_ = layout->conninfo(kDatabase);
  pg->service_conninfo_ = layout->conninfo(kDatabase, sql::kServiceRole);

  if (!fs::exists(layout->cluster_dir / "PG_VERSION")) {
    if (auto r = layout->initdb(); !r) {
      return std::unexpected(r.error());
    }
  }
  if (!running_postmaster(layout->cluster_dir)) {
    std::error_code ec;
    fs::remove(layout->cluster_dir / "postmaster.pid", ec);  // stale, from a crash
    if (auto w = layout->write_settings(); !w) {
      return std::unexpected(w.error());
    }
    auto log = (layout->cluster_dir / "postgres.log").string();
    auto r = layout->pg_ctl({"start", "-w", "-t", "60", "-s", "-l", log});
    if (r.exit_code != 0) {
      std::ifstream f(log);
      std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      return std::unexpected(make_error("postgres_start_failed",
                                        "PostgreSQL in " + layout->cluster_dir.string() +
                                            " did not start: " + last_lines(r.output + text, 3)));
    }
    pg->started_here_ = true;
  }

  auto admin = connect_with_retry(layout->conninfo("postgres"), std::chrono::seconds(15));
  if (!admin) {
    return std::unexpected(make_error("postgres_start_failed", "cannot connect to PostgreSQL in " +
                                                                   layout->cluster_dir.string() +
                                                                   ": " + admin.error().message));
  }
  auto exists = admin->exec("SELECT 1 FROM pg_database WHERE datname = $1", sql::params(kDatabase));
  if (exists && exists->rows() == 0) {
    auto created = admin->exec("CREATE DATABASE boai");
    if (!created && created.error().sqlstate != "42P04") {  // 42P04: created meanwhile
      return std::unexpected(make_error(
          "postgres_start_failed", "cannot create the boai database: " + created.error().message));
    }
  }
  if (auto role = sql::ensure_service_role(*admin); !role) {
    return std::unexpected(make_error("postgres_start_failed", role.error().message));
  }
  auto presence = sql::Connection::open(pg->conninfo_);
  if (!presence) {
    return std::unexpected(make_error("postgres_start_failed", presence.error().message));
  }
  pg->presence_ = std::make_unique<sql::Connection>(std::move(*presence));
  pg->released_ = false;
  return pg;
}

EmbeddedPostgres::~EmbeddedPostgres() {
  release();
}

void EmbeddedPostgres::release() {
  if (released_) {
    return;
  }
  released_ = true;
  presence_.reset();
  DataDirLock lock(data_dir_);
  auto layout = Layout::of(data_dir_);
  if (!layout) {
    return;
  }
  {
    auto conn = sql::Connection::open(layout->conninfo("postgres"));
    if (!conn) {
      return;  // already down
    }
    auto others = conn->exec(
        "SELECT DISTINCT substr(application_name, 6) FROM pg_stat_activity "
        "WHERE application_name LIKE 'boai/%' AND application_name <> $1",
        sql::params("boai/" + std::to_string(getpid())));
    if (!others) {
      return;
    }
    // A backend lingers a moment after its client exits, so only a live process counts.
    for (int i = 0; i < others->rows(); ++i) {
      long pid = std::atol(std::string(others->text(i, 0)).c_str());
      if (pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) {
        return;
      }
    }
  }
  layout->pg_ctl({"stop", "-m", "fast", "-w", "-t", "30", "-s"});
}

std::expected<fs::path, Error> cluster_dir_for_data_dir(const fs::path& data_dir) {
  auto layout = EmbeddedPostgres::Layout::of(fs::absolute(data_dir).lexically_normal());
  if (!layout) {
    return std::unexpected(layout.error());
  }
  return layout->cluster_dir;
}

std::expected<void, Error> pg_ctl_for_data_dir(const fs::path& data_dir_in,
                                               const std::string& action) {
  fs::path data_dir = fs::absolute(data_dir_in).lexically_normal();
  auto layout = EmbeddedPostgres::Layout::of(data_dir);
  if (!layout) {
    return std::unexpected(layout.error());
  }
  std::vector<std::string> args = {action, "-w", "-t", "60", "-s"};
  if (action == "start") {
    args.insert(args.end(), {"-l", (layout->cluster_dir / "postgres.log").string()});
  }
  if (action == "stop") {
    args.insert(args.end(), {"-m", "fast"});
  }
  auto r = layout->pg_ctl(args);
  if (r.exit_code != 0) {
    return std::unexpected(
        make_error("pg_ctl_failed", "pg_ctl " + action + " failed: " + last_lines(r.output, 3)));
  }
  return {};
}

}  // namespace boai::app
