// The desk's searches: each filter is a parameter that is either empty (matches everything) or
// compared, so one statement serves every combination and no SQL is built from input.
#include "donations/desk_search.hpp"

#include <array>
#include <string_view>

#include "sql/transaction.hpp"

namespace boai::donations {

namespace {

using sql::param;

constexpr std::array<std::string_view, 6> kStatuses = {"pledged",   "part_paid", "paid",
                                                       "cancelled", "expired",   "refunded"};
constexpr std::array<std::string_view, 4> kProviders = {"wechat", "alipay", "bank", "cash"};

template <std::size_t N>
bool empty_or_one_of(const std::string& value, const std::array<std::string_view, N>& allowed) {
  if (value.empty()) {
    return true;
  }
  for (auto a : allowed) {
    if (value == a) {
      return true;
    }
  }
  return false;
}

// "50%_off" is looked for as written: LIKE's wildcards in the text are escaped.
std::string like_pattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "%";
}

std::expected<void, Error> check_limit(int limit) {
  if (limit < 1 || limit > kDeskPageMax) {
    return std::unexpected(make_error(
        "bad_request", "limit is a whole number from 1 to " + std::to_string(kDeskPageMax)));
  }
  return {};
}

constexpr const char* kPledgeSearch =
    "SELECT p.id, p.reference, (extract(epoch FROM p.created_at) * 1000000)::bigint AS created_us, "
    "c.slug AS campaign, f.slug AS fund, "
    "CASE p.target_kind WHEN 'wish' THEN 'wish' WHEN 'sale' THEN 'sale' ELSE 'gift' END AS kind, "
    "p.amount_fen, p.paid_fen, p.refunded_fen, p.status, p.channel, "
    "p.donor_name, p.anonymous, p.contact, "
    "(SELECT count(*) FROM payments m WHERE m.pledge_id = p.id) AS payments "
    "FROM pledges p JOIN campaigns c ON c.id = p.campaign_id JOIN funds f ON f.id = p.fund_id "
    "WHERE ($1::bigint IS NULL OR p.id < $1) AND ($2 = '' OR p.status = $2) "
    "AND ($3 = '' OR c.slug = $3) "
    "AND ($4 = '' OR p.reference = upper($4) OR p.donor_name ILIKE $5 OR p.contact ILIKE $5) "
    "ORDER BY p.id DESC LIMIT $6";

constexpr const char* kPaymentSearch =
    "SELECT m.id, m.provider, m.provider_txn_id, m.amount_fen, m.fee_fen, "
    "(extract(epoch FROM m.paid_at) * 1000000)::bigint AS paid_us, "
    "coalesce(p.reference, '') AS reference, m.payer_remark "
    "FROM payments m LEFT JOIN pledges p ON p.id = m.pledge_id "
    "WHERE ($1::bigint IS NULL OR m.id < $1) AND ($2 = '' OR m.provider = $2) "
    "AND (NOT $3 OR m.pledge_id IS NULL) "
    "AND ($4 = '' OR m.provider_txn_id = $4 OR p.reference = upper($4) "
    "OR m.payer_remark ILIKE $5) "
    "ORDER BY m.id DESC LIMIT $6";

sql::Param before(const std::optional<std::int64_t>& id) {
  return id ? param(*id) : std::nullopt;
}

}  // namespace

std::expected<std::vector<DeskPledge>, Error> search_pledges(sql::Connection& conn,
                                                             const PledgeFilter& filter) {
  if (!empty_or_one_of(filter.status, kStatuses)) {
    return std::unexpected(make_error("bad_request", "no pledge status \"" + filter.status + "\""));
  }
  if (auto ok = check_limit(filter.limit); !ok) {
    return std::unexpected(ok.error());
  }
  auto r = conn.exec(kPledgeSearch,
                     {before(filter.before_id), param(filter.status), param(filter.campaign),
                      param(filter.text), param(like_pattern(filter.text)), param(filter.limit)});
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  std::vector<DeskPledge> out;
  for (int i = 0; i < r->rows(); ++i) {
    auto text = [&](const char* c) { return std::string(r->text(i, r->column(c))); };
    auto fen = [&](const char* c) { return Money::from_fen(r->int64(i, r->column(c))); };
    out.push_back({r->int64(i, r->column("id")), text("reference"),
                   r->int64(i, r->column("created_us")), text("campaign"), text("fund"),
                   text("kind"), fen("amount_fen"), fen("paid_fen"), fen("refunded_fen"),
                   text("status"), text("channel"), text("donor_name"),
                   r->boolean(i, r->column("anonymous")), text("contact"),
                   static_cast<int>(r->int64(i, r->column("payments")))});
  }
  return out;
}

std::expected<std::vector<DeskPayment>, Error> search_payments(sql::Connection& conn,
                                                               const PaymentFilter& filter) {
  if (!empty_or_one_of(filter.provider, kProviders)) {
    return std::unexpected(make_error("bad_request", "no provider \"" + filter.provider + "\""));
  }
  if (auto ok = check_limit(filter.limit); !ok) {
    return std::unexpected(ok.error());
  }
  auto r = conn.exec(kPaymentSearch, {before(filter.before_id), param(filter.provider),
                                      param(filter.unmatched_only), param(filter.text),
                                      param(like_pattern(filter.text)), param(filter.limit)});
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  std::vector<DeskPayment> out;
  for (int i = 0; i < r->rows(); ++i) {
    auto text = [&](const char* c) { return std::string(r->text(i, r->column(c))); };
    auto fen = [&](const char* c) { return Money::from_fen(r->int64(i, r->column(c))); };
    out.push_back({r->int64(i, r->column("id")), text("provider"), text("provider_txn_id"),
                   fen("amount_fen"), fen("fee_fen"), r->int64(i, r->column("paid_us")),
                   text("reference"), text("payer_remark")});
  }
  return out;
}

}  // namespace boai::donations
