// Writing outbox rows; the payload is a tiny JSON object of ids.
#include "donations/outbox.hpp"

#include "sql/array_param.hpp"

namespace boai::donations {

namespace {
std::string payload_of(const OutboxEvent& e) {
  return "{\"topic\":\"" + e.topic + "\",\"campaign_id\":" + std::to_string(e.campaign_id) +
         ",\"id\":" + std::to_string(e.object_id) + "}";
}
}  // namespace

sql::Statement outbox_statement(const std::vector<OutboxEvent>& events) {
  sql::ArrayParam topics, payloads;
  for (const auto& e : events) {
    topics.add(e.topic);
    payloads.add(payload_of(e));
  }
  return {"INSERT INTO outbox (topic, payload) SELECT * FROM unnest($1::text[], $2::text[])",
          {topics.param(), payloads.param()}};
}

std::expected<void, Error> add_outbox_events(sql::Connection& tx,
                                             const std::vector<OutboxEvent>& events) {
  if (events.empty()) return {};
  auto st = outbox_statement(events);
  auto r = tx.exec(st.sql, st.params);
  if (!r) return std::unexpected(Error{r.error().code, r.error().message});
  return {};
}

std::expected<void, Error> add_outbox_event(sql::Connection& tx, const std::string& topic,
                                            std::int64_t campaign_id, std::int64_t object_id) {
  return add_outbox_events(tx, {OutboxEvent{topic, campaign_id, object_id}});
}

}  // namespace boai::donations
