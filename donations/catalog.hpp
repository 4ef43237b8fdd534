// Campaigns and funds: adding them, opening and closing campaigns, and looking them up.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct NewFund {
  std::string slug;
  std::string name;
  std::string description;
};

struct NewCampaign {
  std::string slug;
  std::string title;
  Money goal;
  std::string default_fund = "general";  // slug
  std::vector<std::string> funds;        // more funds donors may choose
  std::string status = "draft";
};

// Errors: slug_invalid, text_invalid, fund_exists.
std::expected<Fund, Error> add_fund(sql::Connection& conn, const NewFund& fund);
// Errors: slug_invalid, text_invalid, campaign_exists, fund_not_found, status_invalid.
std::expected<Campaign, Error> add_campaign(sql::Connection& conn, const NewCampaign& campaign);
// Errors: campaign_not_found, status_invalid, fund_not_found.
std::expected<Campaign, Error> set_campaign_status(sql::Connection& conn, const std::string& slug,
                                                   const std::string& status);
std::expected<Campaign, Error> add_campaign_fund(sql::Connection& conn, const std::string& campaign,
                                                 const std::string& fund);
std::expected<Campaign, Error> find_campaign(sql::Connection& conn, const std::string& slug);
std::expected<std::vector<Campaign>, Error> list_campaigns(sql::Connection& conn);

struct CampaignWithTotals {
  Campaign campaign;  // without its funds
  Totals totals;      // what campaign_totals gives
};
// Every campaign, by id, with its totals: one query however many campaigns there are.
std::expected<std::vector<CampaignWithTotals>, Error> list_campaigns_with_totals(
    sql::Connection& conn);
// The campaign's totals over all its funds, and per fund.
std::expected<Totals, Error> campaign_totals(sql::Connection& conn, std::int64_t campaign_id);

bool is_valid_slug(const std::string& slug);

// The same lookups in two halves, for callers that pipeline statements.
sql::Statement find_campaign_statement(const std::string& slug);
std::optional<Campaign> campaign_from_result(const sql::Result& rows);  // nullopt: no such campaign
sql::Statement campaign_totals_statement(std::int64_t campaign_id);
Totals totals_from_result(const sql::Result& row);

}  // namespace boai::donations
