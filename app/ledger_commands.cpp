// The desk's commands: funds, campaigns, pledges, payments, refunds, expenditures, and the ledger's
// export (verify is in ledger_check_commands.cpp). Each runs against the same database as
// `boai serve` (and while it runs).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "donations/catalog.hpp"
#include "donations/ledger_export.hpp"
#include "donations/payments.hpp"
#include "donations/period_dates.hpp"
#include "donations/pledges.hpp"
#include "openbooks/checkpoints.hpp"
#include "sql/connection.hpp"

namespace boai::app {

namespace {

using namespace boai::donations;

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

void print_pledge(const Pledge& p) {
  std::printf("reference: %s\n", p.reference.c_str());
  std::printf("amount: %s\nfund: %s\ncampaign: %s\nstatus: %s\ndonor shown as: %s\n",
              p.amount.format().c_str(), p.fund.c_str(), p.campaign.c_str(), p.status.c_str(),
              p.public_name.c_str());
  if (p.paid.fen() > 0) {
    std::printf("paid: %s\n", p.paid.format().c_str());
  }
  if (p.refunded.fen() > 0) {
    std::printf("refunded: %s\n", p.refunded.format().c_str());
  }
}

int fund_add(const Invocation& inv, sql::Connection& conn) {
  auto f = add_fund(conn, {inv.positional[0], inv.value("--name"), inv.value("--description")});
  if (!f) {
    return report(f.error());
  }
  std::printf("fund %s (%s) added\n", f->slug.c_str(), f->name.c_str());
  return 0;
}

int campaign_add(const Invocation& inv, sql::Connection& conn) {
  auto goal = money_flag(inv, "--goal");
  if (!goal) {
    return report(goal.error());
  }
  NewCampaign c{inv.positional[0],
                inv.value("--title"),
                *goal,
                inv.value("--fund", "general"),
                split_list(inv.value("--also-fund")),
                inv.has("--live") ? "live" : "draft"};
  auto added = add_campaign(conn, c);
  if (!added) {
    return report(added.error());
  }
  std::printf("campaign %s (%s) added, goal %s, %s\n", added->slug.c_str(), added->title.c_str(),
              added->goal.format().c_str(), added->status.c_str());
  return 0;
}

int campaign_status(const Invocation& inv, sql::Connection& conn) {
  auto c = set_campaign_status(conn, inv.positional[0], inv.value("--set"));
  if (!c) {
    return report(c.error());
  }
  std::printf("campaign %s is %s\n", c->slug.c_str(), c->status.c_str());
  return 0;
}

int pledge_add(const Invocation& inv, sql::Connection& conn) {
  auto amount = money_flag(inv, "--amount");
  if (!amount) {
    return report(amount.error());
  }
  PledgeRequest r;
  r.idempotency_key = inv.value("--idempotency-key");
  r.campaign = inv.value("--campaign");
  r.fund = inv.value("--fund");
  r.amount = *amount;
  r.display_name = inv.value("--name");
  r.anonymous = inv.has("--anonymous");
  r.contact = inv.value("--contact");
  r.message = inv.value("--message");
  r.channel = inv.value("--channel", "desk");
  auto batch = write_pledges(conn, {r}, PledgeLimits{});
  if (!batch) {
    return report(batch.error());
  }
  auto& p = batch->pledges[0];
  if (!p) {
    return report(p.error());
  }
  print_pledge(*p);
  if (p->replayed) {
    std::printf("(recorded before with this idempotency key)\n");
  }
  return 0;
}

int pledge_cancel(const Invocation& inv, sql::Connection& conn) {
  auto p = cancel_pledge(conn, inv.positional[0]);
  if (!p) {
    return report(p.error());
  }
  print_pledge(*p);
  return 0;
}

int payment_add(const Invocation& inv, sql::Connection& conn) {
  auto amount = money_flag(inv, "--amount");
  if (!amount) {
    return report(amount.error());
  }
  auto fee = inv.has("--fee") ? money_flag(inv, "--fee") : Money();
  if (!fee) {
    return report(fee.error());
  }
  PaymentRequest r;
  r.provider = inv.value("--provider");
  r.provider_txn_id = inv.value("--txn");
  r.amount = *amount;
  r.fee = *fee;
  r.reference = inv.value("--reference");
  r.payer_remark = inv.value("--remark");
  r.raw_notice = "entered at the desk";
  if (inv.has("--paid-at")) {
    auto when = parse_local_time(inv.value("--paid-at"));
    if (!when) {
      return report(when.error());
    }
    r.paid_us = *when;
    r.paid_at_typed = true;
  }
  auto p = record_payment(conn, r);
  if (!p) {
    return report(p.error());
  }
  std::printf("payment %lld: %s from %s%s\n", static_cast<long long>(p->id),
              p->amount.format().c_str(), p->provider.c_str(),
              p->replayed ? " (recorded before)" : "");
  if (p->pledge) {
    print_pledge(*p->pledge);
  } else {
    std::printf("unmatched: kept in the general fund for finance to match\n");
  }
  if (p->receipt) {
    std::printf("receipt: %s\n", p->receipt->number.c_str());
  }
  return 0;
}

int refund_add(const Invocation& inv, sql::Connection& conn) {
  auto amount = money_flag(inv, "--amount");
  if (!amount) {
    return report(amount.error());
  }
  auto p = refund_pledge(conn, inv.positional[0], *amount, inv.value("--reason"));
  if (!p) {
    return report(p.error());
  }
  print_pledge(*p);
  return 0;
}

int expenditure_add(const Invocation& inv, sql::Connection& conn) {
  auto amount = money_flag(inv, "--amount");
  if (!amount) {
    return report(amount.error());
  }
  ExpenditureRequest r{inv.value("--fund"),    inv.value("--campaign"), *amount,
                       inv.value("--purpose"), inv.value("--payee"),    inv.value("--approved-by"),
                       inv.value("--evidence")};
  std::optional<std::int64_t> spent_us;
  if (inv.has("--spent-at")) {
    auto when = parse_local_time(inv.value("--spent-at"));
    if (!when) {
      return report(when.error());
    }
    spent_us = *when;
  }
  auto e = record_expenditure(conn, r, spent_us);
  if (!e) {
    return report(e.error());
  }
  std::printf("expenditure %lld: %s for %s\n", static_cast<long long>(e->id),
              e->amount.format().c_str(), e->purpose.c_str());
  return 0;
}

// The signed checkpoints and the key beside the entries, so copies of them live wherever the
// export goes (docs/LEDGER.md "Signed checkpoints").
std::expected<void, Error> write_checkpoints(const Invocation& inv, sql::Connection& conn,
                                             const std::filesystem::path& file) {
  auto key = openbooks::LedgerKey::load_or_create(ledger_key_file(inv.options));
  if (!key) {
    return std::unexpected(key.error());
  }
  auto document = openbooks::checkpoints_document(conn, key->public_key());
  if (!document) {
    return std::unexpected(document.error());
  }
  auto part = file;
  part += ".part";
  std::ofstream(part, std::ios::trunc) << document->dump(2) << "\n";
  std::error_code ec;
  std::filesystem::rename(part, file, ec);
  if (ec) {
    return std::unexpected(Error{"export_unwritable", "cannot write " + file.string()});
  }
  return {};
}

int ledger_export(const Invocation& inv, sql::Connection& conn) {
  std::filesystem::path out = inv.value("--out", ".");
  auto e = export_public_ledger(conn, out);
  if (!e) {
    return report(e.error());
  }
  if (auto written = write_checkpoints(inv, conn, out / "checkpoints.json"); !written) {
    return report(written.error());
  }
  std::printf("wrote %s, %s and %s\n", (out / "ledger.csv").c_str(), (out / "ledger.json").c_str(),
              (out / "checkpoints.json").c_str());
  if (!e->verified) {
    std::printf("ledger: the export says \"verified\": false; run boai ledger verify\n");
  }
  return 0;
}

}  // namespace

int run_ledger_command(const Invocation& inv) {
  static const std::map<Command, int (*)(const Invocation&, sql::Connection&)> kRun = {
      {Command::kFundAdd, fund_add},
      {Command::kCampaignAdd, campaign_add},
      {Command::kCampaignStatus, campaign_status},
      {Command::kPledgeAdd, pledge_add},
      {Command::kPledgeCancel, pledge_cancel},
      {Command::kPaymentAdd, payment_add},
      {Command::kRefundAdd, refund_add},
      {Command::kExpenditureAdd, expenditure_add},
      {Command::kLedgerExport, ledger_export},
  };
  auto run = kRun.find(inv.command);
  if (run == kRun.end()) {
    return 2;
  }
  return with_database(inv, [&](sql::Connection& conn) { return run->second(inv, conn); });
}

}  // namespace boai::app
