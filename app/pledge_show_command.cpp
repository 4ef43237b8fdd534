// `boai pledge show REFERENCE`: what finance asks of one pledge: is it paid, by which payments,
// under which receipt, which notices named it (with those waiting in the exception queue), and
// the orders made with the providers for it.
#include <cstdio>

#include "app/command_support.hpp"
#include "app/commands.hpp"
#include "donations/payments.hpp"
#include "donations/pledge_payments.hpp"
#include "donations/pledges.hpp"
#include "notices/notice_store.hpp"
#include "payorders/order_store.hpp"

namespace boai::app {

namespace {

using donations::Pledge;

void print_summary(const Pledge& p) {
  std::printf("reference: %s\nstatus: %s\namount: %s\npaid: %s\n", p.reference.c_str(),
              p.status.c_str(), p.amount.format().c_str(), p.paid.format().c_str());
  if (p.refunded.fen() > 0) {
    std::printf("refunded: %s\n", p.refunded.format().c_str());
  }
  std::printf("campaign: %s\nfund: %s\nchannel: %s\ndonor shown as: %s\n", p.campaign.c_str(),
              p.fund.c_str(), p.channel.c_str(), p.public_name.c_str());
}

void print_payments(const std::vector<donations::PaymentLine>& payments) {
  std::printf("payments: %zu\n", payments.size());
  for (const auto& p : payments) {
    std::printf("  #%lld %s %s %s%s at %s\n", static_cast<long long>(p.id), p.provider.c_str(),
                p.provider_txn_id.c_str(), p.amount.format().c_str(),
                p.fee.fen() > 0 ? (" (fee " + p.fee.format() + ")").c_str() : "",
                p.paid_at.c_str());
  }
}

void print_notices(const std::vector<notices::StoredNotice>& list) {
  std::printf("payment notices: %zu\n", list.size());
  for (const auto& n : list) {
    std::printf("  #%lld %s %s %s %s: %s%s (%lld deliveries, first %s)\n",
                static_cast<long long>(n.id), n.via.c_str(), n.txn_id.c_str(), n.state.c_str(),
                n.amount.format().c_str(), n.outcome.c_str(),
                notices::is_exception(n.outcome) ? ", waits for finance" : "",
                static_cast<long long>(n.deliveries), n.received_at.c_str());
  }
}

void print_orders(const std::vector<payorders::PayOrder>& list) {
  std::printf("provider orders: %zu\n", list.size());
  for (const auto& o : list) {
    std::printf("  %s %s %s %s%s%s\n", o.provider.c_str(), o.method.c_str(),
                o.amount.format().c_str(), o.status.c_str(), o.detail.empty() ? "" : ": ",
                o.detail.c_str());
  }
}

}  // namespace

int run_pledge_show(const Invocation& inv) {
  return with_database(inv, [&](sql::Connection& conn) {
    auto pledge = donations::find_pledge(conn, inv.positional[0]);
    if (!pledge) {
      return report(pledge.error());
    }
    auto payments = donations::pledge_payments(conn, pledge->id);
    auto receipt = donations::receipt_for(conn, pledge->id);
    auto notices = notices::notices_for_reference(conn, pledge->reference);
    auto orders = payorders::orders_for(conn, pledge->reference);
    if (!payments || !receipt || !notices || !orders) {
      return report(!payments  ? payments.error()
                    : !receipt ? receipt.error()
                    : !notices ? notices.error()
                               : orders.error());
    }
    print_summary(*pledge);
    if (*receipt) {
      std::printf("receipt: %s (%s, %s)\n", (*receipt)->number.c_str(),
                  (*receipt)->amount.format().c_str(), (*receipt)->status.c_str());
    } else {
      std::printf("receipt: none\n");
    }
    print_payments(*payments);
    print_notices(*notices);
    print_orders(*orders);
    return 0;
  });
}

}  // namespace boai::app
