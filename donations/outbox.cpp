// Writing outbox rows; the payload is a tiny JSON object of ids.
#include "donations/outbox.hpp"

namespace boai::donations {

std::expected<void, Error> add_outbox_event(sql::Connection& tx, const std::string& topic,
                                            std::int64_t campaign_id, std::int64_t object_id) {
  std::string payload = "{\"topic\":\"" + topic + "\",\"campaign_id\":" +
                        std::to_string(campaign_id) + ",\"id\":" + std::to_string(object_id) + "}";
  auto r = tx.exec("INSERT INTO outbox (topic, payload) VALUES ($1, $2)",
                   sql::params(topic, payload));
  if (!r) return std::unexpected(Error{r.error().code, r.error().message});
  return {};
}

}  // namespace boai::donations
