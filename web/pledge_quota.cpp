// take_pledge_quota: one statement counts both keys (an upsert per key) and drops past windows.
#include "web/pledge_quota.hpp"

#include "sql/array_param.hpp"
#include "sql/params.hpp"

namespace boai::web {

std::expected<void, Error> take_pledge_quota(sql::Connection& conn, const std::string& session,
                                             const std::string& address, const PledgeQuota& quota) {
  sql::ArrayParam keys;
  keys.add("session:" + session).add("address:" + address);
  auto r = conn.exec(
      "WITH gone AS (DELETE FROM pledge_quota WHERE window_start < now() - interval '2 hours') "
      "INSERT INTO pledge_quota AS q (key, window_start, pledges) "
      "SELECT k, date_bin(interval '1 hour', now(), timestamptz '2000-01-01'), 1 "
      "FROM unnest($1::text[]) AS k "
      "ON CONFLICT (key, window_start) DO UPDATE SET pledges = q.pledges + 1 "
      "RETURNING key LIKE 'session:%', pledges",
      sql::params(keys.param()));
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  for (int i = 0; i < r->rows(); ++i) {
    bool by_session = r->boolean(i, 0);
    auto limit = by_session ? quota.per_session_hour : quota.per_address_hour;
    if (r->int64(i, 1) > limit) {
      return std::unexpected(
          make_error("rate_limited", by_session ? "too many pledges from this phone this hour"
                                                : "too many pledges from this address this hour"));
    }
  }
  return {};
}

}  // namespace boai::web
