// `boai reconcile import|post|exceptions|overdue|bank-profile`: the finance desk's statements and
// exception queue from the command line, against the same database as `boai serve`.
#include <cstdio>
#include <cstdlib>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "statements/bank_profiles.hpp"
#include "statements/exception_queue.hpp"
#include "statements/statement_import.hpp"
#include "statements/statement_posting.hpp"

namespace boai::app {

namespace {

// A whole number flag within [low, high]. Errors: bad_request.
std::expected<int, Error> count_flag(const Invocation& inv, const std::string& flag,
                                     const std::string& fallback, int low, int high) {
  std::string text = inv.value(flag, fallback);
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < low || n > high) {
    return std::unexpected(make_error(
        "bad_request",
        flag + " is a whole number from " + std::to_string(low) + " to " + std::to_string(high)));
  }
  return static_cast<int>(n);
}

std::string money_text(const std::optional<donations::Money>& m) {
  return m ? m->format() : "-";
}

int import(const Invocation& inv, sql::Connection& conn) {
  auto days = count_flag(inv, "--overdue-days", "7", 1, 3650);
  if (!days) {
    return report(days.error());
  }
  statements::ImportRequest req;
  req.provider = inv.value("--provider");
  req.bank_profile = inv.value("--bank-profile");
  req.file_name = inv.positional[0];
  req.wechat_mchid = inv.options.pay_notices.wechat_mchid;
  req.alipay_seller_id = inv.options.pay_notices.alipay_seller_id;
  req.imported_by = inv.value("--by", "desk");
  req.overdue_days = *days;
  req.post = !inv.switches.contains("--no-post");
  auto file = statements::FileSource::open(req.file_name);
  if (!file) {
    return report(file.error());
  }
  auto r = statements::import_statement(conn, req, **file);
  if (!r) {
    return report(r.error());
  }
  std::printf(
      "import %lld: %lld rows read, %lld matched, %lld exceptions, %lld skipped; "
      "%lld payments recorded%s; %lld pledges newly overdue\n",
      static_cast<long long>(r->import_id), static_cast<long long>(r->rows_read),
      static_cast<long long>(r->matched), static_cast<long long>(r->exceptions + r->post_failed),
      static_cast<long long>(r->skipped), static_cast<long long>(r->posted),
      r->post_failed > 0 ? (", " + std::to_string(r->post_failed) + " refused").c_str() : "",
      static_cast<long long>(r->overdue_added));
  return 0;
}

int post(const Invocation& inv, sql::Connection& conn) {
  auto limit = count_flag(inv, "--limit", "0", 0, 1'000'000'000);
  if (!limit) {
    return report(limit.error());
  }
  auto r = statements::post_statement_lines(conn, 0, *limit);
  if (!r) {
    return report(r.error());
  }
  std::printf("%lld payments recorded, %lld refused\n", static_cast<long long>(r->posted),
              static_cast<long long>(r->failed));
  return 0;
}

int exceptions(const Invocation& inv, sql::Connection& conn) {
  auto list = statements::list_exceptions(conn, inv.value("--kind"));
  if (!list) {
    return report(list.error());
  }
  for (const auto& e : *list) {
    std::printf("#%lld  %-22s %s  %s %s line %lld  pledge %s  expected %s  got %s  %s%s%s%s\n",
                static_cast<long long>(e.id), e.kind.c_str(), e.occurred.c_str(),
                e.provider.empty() ? "-" : e.provider.c_str(), e.txn_id.c_str(),
                static_cast<long long>(e.line_no), e.reference.empty() ? "-" : e.reference.c_str(),
                money_text(e.expected).c_str(), money_text(e.actual).c_str(),
                e.counterparty.c_str(), e.detail.empty() ? "" : ("  " + e.detail).c_str(),
                e.candidates.empty() ? "" : "  candidates: ", e.candidates.c_str());
  }
  return 0;
}

int overdue(const Invocation& inv, sql::Connection& conn) {
  auto days = count_flag(inv, "--overdue-days", "7", 1, 3650);
  if (!days) {
    return report(days.error());
  }
  auto list = statements::list_overdue(conn, *days);
  if (!list) {
    return report(list.error());
  }
  for (const auto& o : *list) {
    std::printf("%s  %s  %lld days  %s  %s  contact %s  (%s, since %s)\n", o.reference.c_str(),
                o.amount.format().c_str(), static_cast<long long>(o.days), o.campaign.c_str(),
                o.donor_name.empty() ? "-" : o.donor_name.c_str(),
                o.contact.empty() ? "-" : o.contact.c_str(),
                ("exception #" + std::to_string(o.exception_id)).c_str(), o.created.c_str());
  }
  return 0;
}

int bank_profile(const Invocation& inv, sql::Connection& conn) {
  auto skip = count_flag(inv, "--skip-lines", "0", 0, 100);
  if (!skip) {
    return report(skip.error());
  }
  statements::BankProfile p{inv.positional[0],
                            inv.value("--date"),
                            inv.value("--amount"),
                            inv.value("--counterparty"),
                            inv.value("--remark"),
                            inv.value("--txn"),
                            inv.value("--encoding", "utf-8"),
                            *skip};
  auto saved = statements::save_bank_profile(conn, p);
  if (!saved) {
    return report(saved.error());
  }
  std::printf("bank profile %s: date %s, amount %s, counterparty %s, remark %s\n",
              saved->name.c_str(), saved->date_column.c_str(), saved->amount_column.c_str(),
              saved->counterparty_column.c_str(), saved->remark_column.c_str());
  return 0;
}

}  // namespace

int run_reconcile_command(const Invocation& inv) {
  return with_database(inv, [&](sql::Connection& conn) -> int {
    switch (inv.command) {
      case Command::kReconcileImport:
        return import(inv, conn);
      case Command::kReconcilePost:
        return post(inv, conn);
      case Command::kReconcileExceptions:
        return exceptions(inv, conn);
      case Command::kReconcileOverdue:
        return overdue(inv, conn);
      default:
        return bank_profile(inv, conn);
    }
  });
}

}  // namespace boai::app
