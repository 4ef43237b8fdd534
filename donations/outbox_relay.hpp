// Relays outbox rows to other nodes with NOTIFY on the boai_events channel, after the writing
// transaction committed: poked by writers, and every second for anything a crash left behind.
#pragma once

#include <condition_variable>
#include <expected>
#include <mutex>
#include <string>
#include <thread>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

class OutboxRelay {
 public:
  explicit OutboxRelay(std::string conninfo);
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void poke();  // any thread

  // Relays what is pending now, in id order; returns how many rows went out.
  static std::expected<int, Error> relay_pending(sql::Connection& conn);

 private:
  void run();
  std::string conninfo_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace boai::donations
