// DatabaseHealth: a timer on the loop and one probe in flight at a time.
#include "app/database_health.hpp"

#include <glib.h>

namespace boai::app {

DatabaseHealth::DatabaseHealth(GMainContext* context, const std::string& conninfo)
    : connection_(context, conninfo) {
  connection_.on_state_change([this](bool is_up) { last_probe_ok_ = is_up; });
  connection_.start();
  timer_ = std::make_unique<LoopTimer>(context, std::chrono::seconds(1), [this] { probe(); });
}

DatabaseHealth::~DatabaseHealth() {
  *alive_ = false;
}

void DatabaseHealth::probe() {
  if (!connection_.up() || probe_in_flight_) {
    return;
  }
  probe_in_flight_ = true;
  connection_.query("SELECT 1", {}, [this, alive = alive_](auto result) {
    if (!*alive) {
      return;
    }
    probe_in_flight_ = false;
    last_probe_ok_ = result.has_value();
  });
}

}  // namespace boai::app
