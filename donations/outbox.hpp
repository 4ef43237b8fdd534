// The outbox: domain events written in the same transaction as the change they describe, then
// relayed with NOTIFY after commit by OutboxRelay, so NOTIFY's commit-time lock stays off the
// write path. Payloads carry ids only.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

inline constexpr const char* kEventChannel = "boai_events";

struct OutboxEvent {
  std::string topic;
  std::int64_t campaign_id = 0;
  std::int64_t object_id = 0;            // payload "id"
  std::vector<std::int64_t> object_ids;  // instead, many at once: payload "ids" (a batch)
};

// A batch's ids per outbox row, so that a payload stays far below NOTIFY's 8000 bytes.
inline constexpr std::size_t kOutboxIdsPerRow = 200;

// One row per campaign and kOutboxIdsPerRow objects, instead of one per object: a batch of
// pledges costs a row or two in the outbox, not one each.
std::vector<OutboxEvent> batch_outbox_events(
    const std::string& topic, const std::vector<std::pair<std::int64_t, std::int64_t>>& ids);

// Many events in one statement, for batches (and for pipelines).
sql::Statement outbox_statement(const std::vector<OutboxEvent>& events);
std::expected<void, Error> add_outbox_events(sql::Connection& tx,
                                             const std::vector<OutboxEvent>& events);

std::expected<void, Error> add_outbox_event(sql::Connection& tx, const std::string& topic,
                                            std::int64_t campaign_id, std::int64_t object_id);

}  // namespace boai::donations
