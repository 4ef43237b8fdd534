// Whether the database answers right now: a SELECT 1 every second on a non-blocking connection
// that reconnects by itself, so /healthz tells the truth without ever blocking the loop.
#pragma once

#include <memory>
#include <string>

#include "base/loop_timer.hpp"
#include "sql/async_connection.hpp"

namespace boai::app {

class DatabaseHealth {
 public:
  DatabaseHealth(GMainContext* context, const std::string& conninfo);
  ~DatabaseHealth();
  DatabaseHealth(const DatabaseHealth&) = delete;
  DatabaseHealth& operator=(const DatabaseHealth&) = delete;

  bool up() const { return connection_.up() && last_probe_ok_; }

 private:
  void probe();

  sql::AsyncConnection connection_;
  bool last_probe_ok_ = false;
  bool probe_in_flight_ = false;
  std::unique_ptr<LoopTimer> timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace boai::app
