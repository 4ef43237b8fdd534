// Writing outbox rows; the payload is a tiny JSON object of ids.
#include "donations/outbox.hpp"

#include <algorithm>
#include <map>

#include "sql/array_param.hpp"

namespace boai::donations {

namespace {
std::string payload_of(const OutboxEvent& e) {
  std::string out =
      "{\"topic\":\"" + e.topic + "\",\"campaign_id\":" + std::to_string(e.campaign_id);
  if (e.object_ids.empty()) {
    return out + ",\"id\":" + std::to_string(e.object_id) + "}";
  }
  out += ",\"ids\":[";
  for (std::size_t i = 0; i < e.object_ids.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += std::to_string(e.object_ids[i]);
  }
  return out + "]}";
}
}  // namespace

std::vector<OutboxEvent> batch_outbox_events(
    const std::string& topic, const std::vector<std::pair<std::int64_t, std::int64_t>>& ids) {
  std::map<std::int64_t, std::vector<std::int64_t>> by_campaign;  // in id order per campaign
  for (const auto& [campaign_id, id] : ids) {
    by_campaign[campaign_id].push_back(id);
  }
  std::vector<OutboxEvent> out;
  for (auto& [campaign_id, all] : by_campaign) {
    for (std::size_t at = 0; at < all.size(); at += kOutboxIdsPerRow) {
      auto end =
          all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), at + kOutboxIdsPerRow));
      out.push_back(
          OutboxEvent{topic, campaign_id, 0, {all.begin() + static_cast<std::ptrdiff_t>(at), end}});
    }
  }
  return out;
}

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
  if (events.empty()) {
    return {};
  }
  auto st = outbox_statement(events);
  auto r = tx.exec(st.sql, st.params);
  if (!r) {
    return std::unexpected(Error{r.error().code, r.error().message});
  }
  return {};
}

std::expected<void, Error> add_outbox_event(sql::Connection& tx, const std::string& topic,
                                            std::int64_t campaign_id, std::int64_t object_id) {
  return add_outbox_events(tx, {OutboxEvent{topic, campaign_id, object_id, {}}});
}

}  // namespace boai::donations
