// Catalog: campaigns and funds in PostgreSQL.
#include "donations/catalog.hpp"

#include "donations/text_rules.hpp"
#include "donations/totals_columns.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using sql::params;

namespace {

Error failed(const sql::DbError& e) {
  return Error{e.code, e.message};
}

std::optional<Error> check_text(const std::string& what, const std::string& text,
                                std::size_t max_chars, bool required) {
  if (!is_storable_text(text)) {
    return make_error("text_invalid", what + " is not valid UTF-8 or has a NUL");
  }
  if (required && trim_text(text).empty()) {
    return make_error("text_invalid", what + " is empty");
  }
  if (char_count(text) > max_chars) {
    return make_error("too_long",
                      what + " is longer than " + std::to_string(max_chars) + " characters");
  }
  return std::nullopt;
}

std::expected<std::int64_t, Error> fund_id(sql::Connection& conn, const std::string& slug) {
  auto r = conn.exec("SELECT id FROM funds WHERE slug = $1", params(slug));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("fund_not_found", "no fund \"" + slug + "\""));
  }
  return r->int64(0, 0);
}

bool valid_status(const std::string& s) {
  return s == "draft" || s == "live" || s == "closed";
}

}  // namespace

bool is_valid_slug(const std::string& slug) {
  if (slug.empty() || slug.size() > 64) {
    return false;
  }
  for (char c : slug) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

std::expected<Fund, Error> add_fund(sql::Connection& conn, const NewFund& f) {
  if (!is_valid_slug(f.slug)) {
    return std::unexpected(make_error("slug_invalid", "a slug is 1-64 of a-z, 0-9, - and _"));
  }
  if (auto e = check_text("the fund's name", f.name, 64, true)) {
    return std::unexpected(*e);
  }
  if (auto e = check_text("the fund's description", f.description, 500, false)) {
    return std::unexpected(*e);
  }
  auto r = conn.exec(
      "INSERT INTO funds (slug, name, description) VALUES ($1, $2, $3) "
      "ON CONFLICT (slug) DO NOTHING RETURNING id",
      params(f.slug, f.name, f.description));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("fund_exists", "a fund \"" + f.slug + "\" exists already"));
  }
  return Fund{r->int64(0, 0), f.slug, f.name, f.description};
}

std::expected<Campaign, Error> add_campaign(sql::Connection& conn, const NewCampaign& c) {
  if (!is_valid_slug(c.slug)) {
    return std::unexpected(make_error("slug_invalid", "a slug is 1-64 of a-z, 0-9, - and _"));
  }
  if (auto e = check_text("the title", c.title, 100, true)) {
    return std::unexpected(*e);
  }
  if (!valid_status(c.status)) {
    return std::unexpected(make_error("status_invalid", "a campaign is draft, live or closed"));
  }
  if (c.goal.fen() < 0) {
    return std::unexpected(make_error("amount_invalid", "the goal is negative"));
  }
  auto created = sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<bool, Error> {
    auto def = fund_id(tx, c.default_fund);
    if (!def) {
      return std::unexpected(def.error());
    }
    auto r = tx.exec(
        "INSERT INTO campaigns (slug, title, goal_fen, status, default_fund_id, starts_at) "
        "VALUES ($1, $2, $3, $4, $5, CASE WHEN $4 = 'live' THEN now() END) "
        "ON CONFLICT (slug) DO NOTHING RETURNING id",
        params(c.slug, c.title, c.goal.fen(), c.status, *def));
    if (!r) {
      return std::unexpected(failed(r.error()));
    }
    if (r->rows() == 0) {
      return std::unexpected(
          make_error("campaign_exists", "a campaign \"" + c.slug + "\" exists already"));
    }
    auto id = r->int64(0, 0);
    std::vector<std::int64_t> funds = {*def};
    for (const auto& slug : c.funds) {
      auto f = fund_id(tx, slug);
      if (!f) {
        return std::unexpected(f.error());
      }
      funds.push_back(*f);
    }
    for (auto f : funds) {
      auto link = tx.exec(
          "INSERT INTO campaign_funds (campaign_id, fund_id) VALUES ($1, $2) ON CONFLICT DO "
          "NOTHING",
          params(id, f));
      if (!link) {
        return std::unexpected(failed(link.error()));
      }
    }
    return true;
  });
  if (!created) {
    return std::unexpected(created.error());
  }
  return find_campaign(conn, c.slug);
}

std::expected<Campaign, Error> set_campaign_status(sql::Connection& conn, const std::string& slug,
                                                   const std::string& status) {
  if (!valid_status(status)) {
    return std::unexpected(make_error("status_invalid", "a campaign is draft, live or closed"));
  }
  auto r = conn.exec(
      "UPDATE campaigns SET status = $2, "
      "starts_at = CASE WHEN $2 = 'live' THEN coalesce(starts_at, now()) ELSE starts_at END, "
      "ends_at = CASE WHEN $2 = 'closed' THEN now() ELSE ends_at END WHERE slug = $1",
      params(slug, status));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->affected() == 0) {
    return std::unexpected(make_error("campaign_not_found", "no campaign \"" + slug + "\""));
  }
  return find_campaign(conn, slug);
}

std::expected<Campaign, Error> add_campaign_fund(sql::Connection& conn, const std::string& campaign,
                                                 const std::string& fund) {
  auto c = find_campaign(conn, campaign);
  if (!c) {
    return c;
  }
  auto f = fund_id(conn, fund);
  if (!f) {
    return std::unexpected(f.error());
  }
  auto r = conn.exec(
      "INSERT INTO campaign_funds (campaign_id, fund_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      params(c->id, *f));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  return find_campaign(conn, campaign);
}

sql::Statement find_campaign_statement(const std::string& slug) {
  // One round trip: a row per fund, the default fund first.
  return {
      "SELECT c.id, c.slug, c.title, c.goal_fen, c.status, c.default_fund_id, "
      "f.id AS fund_id, f.slug AS fund_slug, f.name AS fund_name, "
      "f.description AS fund_description FROM campaigns c "
      "JOIN campaign_funds cf ON cf.campaign_id = c.id JOIN funds f ON f.id = cf.fund_id "
      "WHERE c.slug = $1 ORDER BY f.id = c.default_fund_id DESC, f.id",
      params(slug)};
}

std::optional<Campaign> campaign_from_result(const sql::Result& r) {
  if (r.rows() == 0) {
    return std::nullopt;
  }
  Campaign c{r.int64(0, r.column("id")),
             std::string(r.text(0, r.column("slug"))),
             std::string(r.text(0, r.column("title"))),
             Money::from_fen(r.int64(0, r.column("goal_fen"))),
             std::string(r.text(0, r.column("status"))),
             r.int64(0, r.column("default_fund_id")),
             {}};
  int id = r.column("fund_id"), slug = r.column("fund_slug"), name = r.column("fund_name"),
      description = r.column("fund_description");
  for (int i = 0; i < r.rows(); ++i) {
    c.funds.push_back(Fund{r.int64(i, id), std::string(r.text(i, slug)),
                           std::string(r.text(i, name)), std::string(r.text(i, description))});
  }
  return c;
}

std::expected<Campaign, Error> find_campaign(sql::Connection& conn, const std::string& slug) {
  auto st = find_campaign_statement(slug);
  auto r = conn.exec(st.sql, st.params);
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  auto c = campaign_from_result(*r);
  if (!c) {
    return std::unexpected(make_error("campaign_not_found", "no campaign \"" + slug + "\""));
  }
  return *c;
}

std::expected<std::vector<Campaign>, Error> list_campaigns(sql::Connection& conn) {
  auto r = conn.exec("SELECT slug FROM campaigns ORDER BY id");
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  std::vector<Campaign> out;
  for (int i = 0; i < r->rows(); ++i) {
    auto c = find_campaign(conn, std::string(r->text(i, 0)));
    if (!c) {
      return std::unexpected(c.error());
    }
    out.push_back(std::move(*c));
  }
  return out;
}

namespace {

// The one place that maps ledger_totals' columns to Totals: the sums a query selects (over the
// rows of one campaign, or of each campaign in a GROUP BY) and how a row of them is read. The
// columns are totals_columns.hpp's list.
std::string totals_sums() {
  std::string sums;
  for (const char* name : kTotalsColumnNames) {
    sums += std::string(sums.empty() ? "" : ", ") + "coalesce(sum(t." + name + "), 0) AS " + name;
  }
  return sums;
}

Totals totals_from_row(const sql::Result& r, int row) {
  auto fen = [&](TotalsColumn c) {
    return r.int64(row, r.column(kTotalsColumnNames[static_cast<std::size_t>(c)]));
  };
  auto money = [&fen](TotalsColumn c) { return Money::from_fen(fen(c)); };
  Totals t;
  t.pledged = money(TotalsColumn::kPledged);
  t.cancelled = money(TotalsColumn::kCancelled);
  t.received = money(TotalsColumn::kReceived);
  t.refunded = money(TotalsColumn::kRefunded);
  t.spent = money(TotalsColumn::kSpent);
  t.pledge_count = fen(TotalsColumn::kPledgeCount);
  t.sold = money(TotalsColumn::kSold);
  t.sale_cancelled = money(TotalsColumn::kSaleCancelled);
  t.sale_received = money(TotalsColumn::kSaleReceived);
  t.sale_refunded = money(TotalsColumn::kSaleRefunded);
  t.sale_count = fen(TotalsColumn::kSaleCount);
  return t;
}

}  // namespace

sql::Statement campaign_totals_statement(std::int64_t campaign_id) {
  return {"SELECT " + totals_sums() + " FROM ledger_totals t WHERE t.campaign_id = $1",
          params(campaign_id)};
}

Totals totals_from_result(const sql::Result& r) {
  return totals_from_row(r, 0);
}

std::expected<std::vector<CampaignWithTotals>, Error> list_campaigns_with_totals(
    sql::Connection& conn) {
  auto r = conn.exec(std::string("SELECT c.id, c.slug, c.title, c.goal_fen, c.status, "
                                 "c.default_fund_id, ") +
                     totals_sums() +
                     " FROM campaigns c LEFT JOIN ledger_totals t ON t.campaign_id = c.id "
                     "GROUP BY c.id ORDER BY c.id");
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  int id = r->column("id"), slug = r->column("slug"), title = r->column("title"),
      goal = r->column("goal_fen"), status = r->column("status"),
      fund = r->column("default_fund_id");
  std::vector<CampaignWithTotals> out;
  out.reserve(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    Campaign c{r->int64(i, id),
               std::string(r->text(i, slug)),
               std::string(r->text(i, title)),
               Money::from_fen(r->int64(i, goal)),
               std::string(r->text(i, status)),
               r->int64(i, fund),
               {}};
    out.push_back({std::move(c), totals_from_row(*r, i)});
  }
  return out;
}

std::expected<Totals, Error> campaign_totals(sql::Connection& conn, std::int64_t campaign_id) {
  auto st = campaign_totals_statement(campaign_id);
  auto r = conn.exec(st.sql, st.params);
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  return totals_from_result(*r);
}

}  // namespace boai::donations
