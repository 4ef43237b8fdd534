// Relays outbox rows to other nodes with NOTIFY on the boai_events channel, after the writing
// transaction committed: poked by writers, and every second for anything a crash left behind.
#pragma once

#include <condition_variable>
#include <expected>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

// Work that must happen once per event whichever node relays it, in the relaying transaction
// (a payment's thanks in its room, say). Called with every row's topic and payload; a failure is
// rolled back to before it and the row relayed all the same: one event's trouble never holds up
// the rest.
using AlsoOnRelay = std::function<std::expected<void, Error>(
    sql::Connection& tx, const std::string& topic, const std::string& payload)>;

class OutboxRelay {
 public:
  explicit OutboxRelay(std::string conninfo, AlsoOnRelay also = {});
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void poke();  // any thread

  // Relays what is pending now, in id order; returns how many rows went out.
  static std::expected<int, Error> relay_pending(sql::Connection& conn,
                                                 const AlsoOnRelay& also = {});

 private:
  void run();
  std::string conninfo_;
  AlsoOnRelay also_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace boai::donations
