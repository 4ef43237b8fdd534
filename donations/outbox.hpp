// The outbox: domain events written in the same transaction as the change they describe, then
// relayed with NOTIFY after commit by OutboxRelay, so NOTIFY's commit-time lock stays off the
// write path. Payloads carry ids only.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

inline constexpr const char* kEventChannel = "boai_events";

struct OutboxEvent {
  std::string topic;
  std::int64_t campaign_id = 0;
  std::int64_t object_id = 0;
};

// Many events in one statement, for batches (and for pipelines).
sql::Statement outbox_statement(const std::vector<OutboxEvent>& events);
std::expected<void, Error> add_outbox_events(sql::Connection& tx,
                                             const std::vector<OutboxEvent>& events);

std::expected<void, Error> add_outbox_event(sql::Connection& tx, const std::string& topic,
                                            std::int64_t campaign_id, std::int64_t object_id);

}  // namespace boai::donations
