// Planning a pledge batch: checks, campaigns, the requests that go in.
#include "donations/pledge_plan.hpp"

#include <algorithm>
#include <set>

#include "donations/catalog.hpp"
#include "donations/pledge_rows.hpp"

namespace boai::donations::detail {

BatchPlan plan_batch(const std::vector<PledgeRequest>& requests, const PledgeLimits& limits) {
  BatchPlan plan;
  plan.results.resize(requests.size());
  std::set<std::string> slugs;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (auto e = validate_pledge(requests[i], limits)) {
      plan.results[i] = std::unexpected(*e);
    } else if (!plan.lead_of_key.emplace(requests[i].idempotency_key, i).second) {
      plan.followers.push_back(i);
    } else {
      plan.leads.push_back(i);
      slugs.insert(requests[i].campaign);
    }
  }
  plan.slugs.assign(slugs.begin(), slugs.end());
  return plan;
}

// Round trip 1: begin, read the campaigns. The chain head is locked only once the pledges are in
// (round trip 2), so a second batch writer inserts its pledges while the first one appends to the
// ledger and commits. A transaction holding the head never waits for a pledge being inserted, and
// batches insert their keys in one order, so this cannot deadlock. With every campaign cached,
// this round trip goes with the INSERT's (checked there).
std::expected<BatchCampaigns, Error> read_campaigns(sql::Connection& conn, const BatchPlan& plan,
                                                    CampaignCache& cache) {
  BatchCampaigns out;
  out.opening = {{"BEGIN", {}}};
  for (const auto& slug : plan.slugs) {
    out.opening.push_back(find_campaign_statement(slug));
  }
  out.from_cache = !plan.slugs.empty() &&
                   std::all_of(plan.slugs.begin(), plan.slugs.end(),
                               [&](const std::string& slug) { return cache.contains(slug); });
  if (out.from_cache) {
    for (const auto& slug : plan.slugs) {
      out.by_slug[slug] = CampaignInfo{cache.at(slug), std::nullopt};
    }
    return out;
  }
  auto opened = conn.exec_pipeline(out.opening);
  for (const auto& r : opened) {
    if (!r) {
      return std::unexpected(failed(r.error()));
    }
  }
  for (std::size_t k = 0; k < plan.slugs.size(); ++k) {
    const auto& slug = plan.slugs[k];
    auto c = campaign_from_result(*opened[1 + k]);
    if (c) {
      cache[slug] = *c;
    }
    out.by_slug[slug] = c ? CampaignInfo{std::move(*c), std::nullopt}
                          : CampaignInfo{std::nullopt, make_error("campaign_not_found",
                                                                  "no campaign \"" + slug + "\"")};
  }
  return out;
}

namespace {

// Resolves the campaign and fund of a checked request, or says why not.
std::expected<std::pair<const Campaign*, const Fund*>, Error> resolve(
    const std::map<std::string, CampaignInfo>& campaigns, const PledgeRequest& req) {
  const auto& info = campaigns.at(req.campaign);
  if (info.error) {
    return std::unexpected(*info.error);
  }
  const Campaign& campaign = *info.campaign;
  if (campaign.status != "live") {
    return std::unexpected(
        campaign.status == "closed"
            ? make_error("campaign_closed", "the campaign \"" + campaign.title + "\" has closed")
            : make_error("campaign_not_open",
                         "the campaign \"" + campaign.title + "\" has not opened yet"));
  }
  for (const auto& f : campaign.funds) {
    if (req.fund.empty() ? f.id == campaign.default_fund_id : f.slug == req.fund) {
      return std::make_pair(&campaign, &f);
    }
  }
  return std::unexpected(
      make_error("fund_not_found", "the campaign has no fund \"" + req.fund + "\""));
}

}  // namespace

std::vector<Accepted> accept_leads(const std::vector<PledgeRequest>& requests, BatchPlan& plan,
                                   const BatchCampaigns& campaigns) {
  std::vector<Accepted> pending;
  for (auto i : plan.leads) {
    auto where = resolve(campaigns.by_slug, requests[i]);
    if (!where) {
      plan.results[i] = std::unexpected(where.error());
      continue;
    }
    pending.push_back(Accepted{i, where->first, where->second, request_digest(requests[i]), "", 0});
  }
  std::sort(pending.begin(), pending.end(), [&](const Accepted& a, const Accepted& b) {
    return requests[a.index].idempotency_key < requests[b.index].idempotency_key;
  });
  return pending;
}

}  // namespace boai::donations::detail
