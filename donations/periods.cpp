// Periods: the close (after a barrier on the ledger's head, so no entry of the period is still
// being written), the list, and the check of a date typed by a person.
#include "donations/periods.hpp"

#include <nlohmann/json.hpp>

#include "donations/ledger_appender.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/text_rules.hpp"
#include "sql/params.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using nlohmann::json;
using sql::params;

namespace {

Figures figures_from(const json& j) {
  auto money = [&](const char* k) { return Money::from_fen(j.value(k, std::int64_t{0})); };
  Figures f;
  f.pledged = money("pledged_fen");
  f.pledges = j.value("pledges", std::int64_t{0});
  f.cancelled = money("cancelled_fen");
  f.paid = money("paid_fen");
  f.payments = j.value("payments", std::int64_t{0});
  f.settled = money("settled_fen");
  f.fees = money("fees_fen");
  f.refunded = money("refunded_fen");
  f.corrections_received = money("corrections_received_fen");
  f.spent = money("spent_fen");
  f.corrections_spent = money("corrections_spent_fen");
  f.outstanding = money("outstanding_fen");
  return f;
}

Error closed_error(const std::string& period) {
  return make_error("period_closed", period + " is closed: record a correction in an open period");
}

}  // namespace

std::expected<std::optional<std::string>, Error> closed_period_at(sql::Connection& conn,
                                                                  std::int64_t us) {
  auto r = conn.exec(
      "SELECT period FROM accounting_periods WHERE starts_us <= $1 AND ends_us > $1 "
      "ORDER BY kind DESC, period LIMIT 1",
      params(us));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::optional<std::string>{};
  }
  return std::optional<std::string>{std::string(r->text(0, 0))};
}

std::expected<void, Error> check_date_open(sql::Connection& conn, std::int64_t us) {
  auto closed = closed_period_at(conn, us);
  if (!closed) {
    return std::unexpected(closed.error());
  }
  if (*closed) {
    return std::unexpected(closed_error(**closed));
  }
  return {};
}

std::expected<ClosedPeriod, Error> close_period(sql::Connection& conn, const std::string& text,
                                                const std::string& by) {
  auto period = parse_period(text);
  if (!period) {
    return std::unexpected(period.error());
  }
  if (!is_storable_text(by) || trim_text(by).empty() || char_count(by) > 100) {
    return std::unexpected(make_error("text_invalid", "who closes the period is required"));
  }
  if (period->ends_us > now_us()) {
    return std::unexpected(make_error(
        "period_not_ended", period->name + " has not ended yet: a period closes after it ends"));
  }
  // A barrier, not a long lock: once the head has been held and let go, every append that was
  // under way has committed, and every later one is recorded at now, after the period's end. So
  // the report runs without holding the head (live pledges never wait for it), and sees all of
  // the period's entries, which no later entry can change.
  auto barrier = sql::in_transaction(conn, [](sql::Connection& tx) -> std::expected<bool, Error> {
    auto head = LedgerAppender::lock(tx);
    if (!head) {
      return std::unexpected(head.error());
    }
    return true;
  });
  if (!barrier) {
    return std::unexpected(barrier.error());
  }
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<ClosedPeriod, Error> {
    auto covering = tx.exec(
        "SELECT period FROM accounting_periods WHERE starts_us <= $1 AND ends_us >= $2 "
        "ORDER BY kind DESC LIMIT 1",
        params(period->starts_us, period->ends_us));
    if (!covering) {
      return std::unexpected(failed(covering.error()));
    }
    if (covering->rows() > 0) {
      return std::unexpected(
          make_error("period_closed", std::string(covering->text(0, 0)) + " is closed already"));
    }
    auto report = reconciliation(tx, *period);
    if (!report) {
      return std::unexpected(report.error());
    }
    auto ins = tx.exec(
        "INSERT INTO accounting_periods (period, kind, starts_us, ends_us, closed_by, closed_seq, "
        "figures) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) "
        "RETURNING (extract(epoch FROM closed_at) * 1000000)::bigint",
        params(period->name, period->kind, period->starts_us, period->ends_us, by,
               report->ledger_seq, figures_json(report->totals).dump()));
    if (!ins) {
      if (ins.error().code == "unique_violation") {  // closed at the same moment elsewhere
        return std::unexpected(make_error("period_closed", period->name + " is closed already"));
      }
      return std::unexpected(failed(ins.error()));
    }
    return ClosedPeriod{*period, by, ins->int64(0, 0), report->ledger_seq, report->totals};
  });
}

std::expected<PeriodList, Error> list_periods(sql::Connection& conn) {
  auto r = conn.exec(
      "SELECT period, closed_by, (extract(epoch FROM closed_at) * 1000000)::bigint, closed_seq, "
      "figures::text FROM accounting_periods ORDER BY starts_us DESC, kind DESC");
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  PeriodList out;
  for (int i = 0; i < r->rows(); ++i) {
    auto period = parse_period(r->text(i, 0));
    if (!period) {
      return std::unexpected(period.error());
    }
    out.closed.push_back({*period, std::string(r->text(i, 1)), r->int64(i, 2), r->int64(i, 3),
                          figures_from(json::parse(r->text(i, 4)))});
  }
  auto covered = [&](const Period& p) {
    for (const auto& c : out.closed) {
      if (c.period.starts_us <= p.starts_us && c.period.ends_us >= p.ends_us) {
        return true;
      }
    }
    return false;
  };
  auto now = now_us();
  // Months first (newest first), then days: what a desk usually closes next is at the top.
  auto month = month_of(now);
  for (int i = 0; i < 12; ++i) {
    month = month_of(month.starts_us - 1);
    if (!covered(month)) {
      out.closable.push_back(month);
    }
  }
  auto day = day_of(now);
  for (int i = 0; i < 14; ++i) {
    day = day_of(day.starts_us - 1);
    if (!covered(day)) {
      out.closable.push_back(day);
    }
  }
  return out;
}

}  // namespace boai::donations
