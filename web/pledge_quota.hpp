// Live pledges counted across connections and nodes (table pledge_quota): per session and per
// address, so 60 connections of one phone, or of one address, share one count.
#pragma once

#include <expected>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::web {

struct PledgeQuota {
  int per_session_hour = 20;
  int per_address_hour = 120;  // a hall's phones often share one address
};

// Counts a pledge for the session and the address. Error rate_limited when either is past its
// limit this hour (the attempt still counts: a flood stays refused).
std::expected<void, Error> take_pledge_quota(sql::Connection& conn, const std::string& session,
                                             const std::string& address, const PledgeQuota& quota);

}  // namespace boai::web
