// The private PostgreSQL cluster that `boai serve` runs when no database URL is given: initdb on
// first use, pg_ctl start on a Unix socket inside the data directory (no TCP port), stopped when
// the last boai process that uses it lets go. As root, the cluster runs as the `postgres` user.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "base/error.hpp"

namespace boai::sql {
class Connection;
}

namespace boai::app {

class EmbeddedPostgres {
 public:
  // Errors: data_dir_unwritable, initdb_missing, postgres_user_missing, initdb_failed,
  // postgres_start_failed, socket_path_too_long, unsafe_path (a folder boai did not make as it
  // would have, or a link where it writes).
  static std::expected<std::unique_ptr<EmbeddedPostgres>, Error> start(
      const std::filesystem::path& data_dir);
  ~EmbeddedPostgres();
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // The superuser's (migrations, tests); the service works as sql::kServiceRole.
  const std::string& conninfo() const { return conninfo_; }
  const std::string& service_conninfo() const { return service_conninfo_; }
  const std::filesystem::path& cluster_dir() const { return cluster_dir_; }
  bool started_here() const { return started_here_; }

  // Stops the cluster unless another boai process is still connected to it. Idempotent.
  void release();

  struct Layout;

 private:
  EmbeddedPostgres() = default;
  std::filesystem::path data_dir_;
  std::filesystem::path cluster_dir_;
  std::string conninfo_;
  std::string service_conninfo_;
  bool started_here_ = false;
  bool released_ = false;
  std::unique_ptr<sql::Connection> presence_;  // tells other boai processes we use the cluster
};

// Where the cluster of a data directory lives: <data-dir>/pg, or, when boai runs as root and the
// postgres user cannot enter the data directory, /var/lib/boai/clusters/<hash of its path>.
std::expected<std::filesystem::path, Error> cluster_dir_for_data_dir(
    const std::filesystem::path& data_dir);

// For operators and tests: stop or start the cluster of a data directory by hand, as its owner.
std::expected<void, Error> pg_ctl_for_data_dir(const std::filesystem::path& data_dir,
                                               const std::string& action);

}  // namespace boai::app
