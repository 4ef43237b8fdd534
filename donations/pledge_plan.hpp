// Internal to donations/: planning a pledge batch, the first phases of the batch write: the
// checks that need no database, the batch's campaigns (read, or from the writer's cache), and
// the requests that go in (pledge_writer.cpp writes them).
#pragma once

#include <expected>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/pledges.hpp"
#include "sql/connection.hpp"

namespace boai::donations::detail {

using Outcome = std::optional<std::expected<Pledge, Error>>;  // empty until the batch decides

// The batch after the checks that need no database: they decide which campaigns to look up.
struct BatchPlan {
  std::vector<Outcome> results;                    // one per request
  std::map<std::string, std::size_t> lead_of_key;  // the first request with each key
  std::vector<std::size_t> leads;                  // requests to write
  std::vector<std::size_t> followers;              // requests that repeat a key seen before
  std::vector<std::string> slugs;                  // the leads' campaigns, sorted, once each
};

// A campaign as the batch read it, or why it cannot take pledges.
struct CampaignInfo {
  std::optional<Campaign> campaign;
  std::optional<Error> error;
};

struct BatchCampaigns {
  std::map<std::string, CampaignInfo> by_slug;
  bool from_cache = false;              // then the INSERT's round trip reads them again
  std::vector<sql::Statement> opening;  // BEGIN and the campaigns' reads
};

// A request that passed its checks, with what the batch resolved for it.
struct Accepted {
  std::size_t index;  // into the requests
  const Campaign* campaign;
  const Fund* fund;
  std::string digest;
  std::string reference;
  std::int64_t id = 0;
};

BatchPlan plan_batch(const std::vector<PledgeRequest>& requests, const PledgeLimits& limits);

// Round trip 1: BEGIN and the campaigns' reads, unless every campaign is in the cache: then the
// statements wait in `opening` for the INSERT's round trip. Errors: the database's.
std::expected<BatchCampaigns, Error> read_campaigns(sql::Connection& conn, const BatchPlan& plan,
                                                    CampaignCache& cache);

// The leads whose campaign and fund take pledges, in key order (so that two writers never wait
// for each other in turn); the others get their refusal in plan.results.
std::vector<Accepted> accept_leads(const std::vector<PledgeRequest>& requests, BatchPlan& plan,
                                   const BatchCampaigns& campaigns);

}  // namespace boai::donations::detail
