// The commands `boai` runs; each returns the process exit code.
#pragma once

#include "app/options.hpp"

namespace boai::app {

int run_serve(const Options& options);
int run_migrate(const Options& options);
// fund, campaign, pledge, payment, refund, expenditure and ledger commands.
int run_ledger_command(const Invocation& invocation);
// `ledger verify|checkpoint|key`: checking the books and signing their head.
int run_ledger_check_command(const Invocation& invocation);
// `pledge show REFERENCE`: the pledge, its payments, receipt and notices, for finance.
int run_pledge_show(const Invocation& invocation);
// `user add`: a staff account, its password read from standard input.
int run_user_add(const Invocation& invocation);
// `user set`: a staff account's new role, or disabled or enabled again.
int run_user_set(const Invocation& invocation);
// `recordings convert`: the .mkv files of the recordings folder become replays.
int run_recordings_convert(const Invocation& invocation);
// `wish list`, `wish review`, `wish fulfil`.
int run_wish_command(const Invocation& invocation);
int run_sale_command(const Invocation& invocation);
// `reconcile import|post|exceptions|overdue|bank-profile`: statements and the exception queue.
int run_reconcile_command(const Invocation& invocation);
// `period close|list`, `report reconciliation|closeout`, `correction add`: closing and reports.
int run_period_command(const Invocation& invocation);

}  // namespace boai::app
