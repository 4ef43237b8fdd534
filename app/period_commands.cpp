// `boai period close|list`, `boai report reconciliation|closeout` and `boai correction add`: the
// finance desk's closing and reports from the command line (docs/FINANCE.md "Closing and
// reports"), against the same database as `boai serve`.
#include <cstdio>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "donations/corrections.hpp"
#include "donations/periods.hpp"
#include "donations/report_csv.hpp"
#include "donations/reports.hpp"

namespace boai::app {

namespace {

using namespace boai::donations;

std::string local_time(std::int64_t us) {
  auto day = day_of(us);
  auto minutes = static_cast<int>((us - day.starts_us) / 60'000'000);  // 0 to 1439
  char buf[32];
  std::snprintf(buf, sizeof buf, " %02d:%02d", minutes / 60, minutes % 60);
  return day.name + buf;
}

void print_figures(const char* group, const std::string& key, const Figures& f) {
  std::printf("%-9s %-14s %14s %5lld %12s %14s %5lld %14s %10s %12s %12s %12s %12s %14s\n", group,
              key.empty() ? "-" : key.c_str(), f.pledged.format().c_str(),
              static_cast<long long>(f.pledges), f.cancelled.format().c_str(),
              f.paid.format().c_str(), static_cast<long long>(f.payments),
              f.settled.format().c_str(), f.fees.format().c_str(), f.refunded.format().c_str(),
              f.corrections_received.format().c_str(), f.spent.format().c_str(),
              f.corrections_spent.format().c_str(), f.outstanding.format().c_str());
}

int report_reconciliation(const Invocation& inv, sql::Connection& conn) {
  std::expected<Period, Error> period = std::unexpected(
      make_error("bad_request", "give --period 2026-11 (or a day) or --from DAY --to DAY"));
  if (inv.has("--period") && !inv.has("--from") && !inv.has("--to")) {
    period = parse_period(inv.value("--period"));
  } else if (!inv.has("--period") && inv.has("--from") && inv.has("--to")) {
    period = day_range(inv.value("--from"), inv.value("--to"));
  }
  if (!period) {
    return report(period.error());
  }
  auto r = reconciliation(conn, *period);
  if (!r) {
    return report(r.error());
  }
  if (inv.has("--csv")) {
    auto csv = reconciliation_csv(*r);
    std::fwrite(csv.data(), 1, csv.size(), stdout);
    return 0;
  }
  std::printf("reconciliation %s: %s to %s Beijing time; ledger to entry %lld\n",
              r->period.name.c_str(), local_time(r->period.starts_us).c_str(),
              local_time(r->period.ends_us).c_str(), static_cast<long long>(r->ledger_seq));
  std::printf("%-9s %-14s %14s %5s %12s %14s %5s %14s %10s %12s %12s %12s %12s %14s\n", "group",
              "key", "pledged", "n", "cancelled", "paid", "n", "settled", "fees", "refunded",
              "corr. recv", "spent", "corr. spent", "outstanding");
  for (const auto& row : r->rows) {
    print_figures(row.group.c_str(), row.key, row.figures);
  }
  print_figures("total", "", r->totals);
  return 0;
}

int report_closeout(const Invocation& inv, sql::Connection& conn) {
  auto c = closeout(conn, inv.value("--campaign"));
  if (!c) {
    return report(c.error());
  }
  if (inv.has("--csv")) {
    auto csv = closeout_csv(*c);
    std::fwrite(csv.data(), 1, csv.size(), stdout);
    return 0;
  }
  std::printf("close-out of %s (%s), %s, as of %s Beijing time\n", c->campaign.c_str(),
              c->title.c_str(), c->status.c_str(), local_time(c->as_of_us).c_str());
  std::printf("pledged on air: %lld, %s\n", static_cast<long long>(c->pledges),
              c->pledged.format().c_str());
  std::printf("arrived: %s (%lld paid in full); refunded %s\n", c->arrived.format().c_str(),
              static_cast<long long>(c->paid_pledges), c->refunded.format().c_str());
  std::printf("cancelled or expired: %lld, %s\n", static_cast<long long>(c->cancelled_pledges),
              c->cancelled.format().c_str());
  std::printf("outstanding: %lld, %s\n", static_cast<long long>(c->outstanding_pledges),
              c->outstanding.format().c_str());
  for (const auto& p : c->owing) {
    std::printf("  %s %12s owes %12s  %s  %s  %s\n", p.reference.c_str(), p.amount.format().c_str(),
                Money::from_fen(p.amount.fen() - p.paid.fen()).format().c_str(),
                local_time(p.created_us).c_str(), p.donor_name.c_str(), p.contact.c_str());
  }
  return 0;
}

int period_close(const Invocation& inv, sql::Connection& conn) {
  auto closed = close_period(conn, inv.positional[0], inv.value("--by"));
  if (!closed) {
    return report(closed.error());
  }
  std::printf("%s closed by %s at ledger entry %lld: pledged %s, paid %s, outstanding %s\n",
              closed->period.name.c_str(), closed->closed_by.c_str(),
              static_cast<long long>(closed->closed_seq), closed->figures.pledged.format().c_str(),
              closed->figures.paid.format().c_str(), closed->figures.outstanding.format().c_str());
  return 0;
}

int period_list(const Invocation&, sql::Connection& conn) {
  auto list = list_periods(conn);
  if (!list) {
    return report(list.error());
  }
  for (const auto& c : list->closed) {
    std::printf("%-10s closed by %s on %s at ledger entry %lld\n", c.period.name.c_str(),
                c.closed_by.c_str(), local_time(c.closed_us).c_str(),
                static_cast<long long>(c.closed_seq));
  }
  if (list->closed.empty()) {
    std::printf("no period is closed\n");
  }
  return 0;
}

int correction_add(const Invocation& inv, sql::Connection& conn) {
  if (inv.has("--received") == inv.has("--spent")) {
    return report(make_error("bad_request", "give one of --received YUAN or --spent YUAN"));
  }
  const char* flag = inv.has("--received") ? "--received" : "--spent";
  auto amount = parse_signed_yuan(inv.value(flag));
  if (!amount) {
    return report(
        make_error(amount.error().code, std::string(flag) + ": " + amount.error().message));
  }
  CorrectionRequest r{inv.value("--period"), inv.has("--received"),   *amount,
                      inv.value("--fund"),   inv.value("--campaign"), inv.value("--reason"),
                      inv.value("--by")};
  auto c = record_correction(conn, r);
  if (!c) {
    return report(c.error());
  }
  std::printf("correction %lld: %s %s, ledger entry %lld: %s\n", static_cast<long long>(c->id),
              c->kind.c_str(), c->amount.format().c_str(), static_cast<long long>(c->seq),
              c->memo.c_str());
  return 0;
}

}  // namespace

int run_period_command(const Invocation& inv) {
  int (*run)(const Invocation&, sql::Connection&) = nullptr;
  switch (inv.command) {
    case Command::kPeriodClose:
      run = period_close;
      break;
    case Command::kPeriodList:
      run = period_list;
      break;
    case Command::kReportReconciliation:
      run = report_reconciliation;
      break;
    case Command::kReportCloseout:
      run = report_closeout;
      break;
    case Command::kCorrectionAdd:
      run = correction_add;
      break;
    default:
      return 2;
  }
  return with_database(inv, [&](sql::Connection& conn) { return run(inv, conn); });
}

}  // namespace boai::app
