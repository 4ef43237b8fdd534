// The boai binary: parse the command line and hand over to the command.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/options.hpp"

int main(int argc, char** argv) {
  using namespace boai::app;
  std::signal(SIGPIPE, SIG_IGN);  // a peer that hangs up is an error return, not a crash
  std::vector<std::string> args(argv + 1, argv + argc);
  auto inv = parse_command_line(args, current_environment());
  if (!inv) {
    std::fprintf(stderr, "boai: %s\n\n%s", inv.error().message.c_str(), usage_text().c_str());
    return 2;
  }
  switch (inv->command) {
    case Command::kHelp:
      std::printf("%s", usage_text().c_str());
      return 0;
    case Command::kVersion:
      std::printf("boai %s\n", BOAI_VERSION);
      return 0;
    case Command::kServe:
      return run_serve(inv->options);
    case Command::kMigrate:
      return run_migrate(inv->options);
    case Command::kPledgeShow:
      return run_pledge_show(*inv);
    case Command::kUserAdd:
      return run_user_add(*inv);
    case Command::kUserSet:
      return run_user_set(*inv);
    case Command::kRecordingsConvert:
      return run_recordings_convert(*inv);
    case Command::kWishList:
    case Command::kWishReview:
    case Command::kWishFulfil:
      return run_wish_command(*inv);
    case Command::kSaleAdd:
    case Command::kSaleList:
    case Command::kSaleWithdraw:
    case Command::kSaleOrders:
    case Command::kSaleHandOver:
      return run_sale_command(*inv);
    case Command::kReconcileImport:
    case Command::kReconcilePost:
    case Command::kReconcileExceptions:
    case Command::kReconcileOverdue:
    case Command::kReconcileBankProfile:
      return run_reconcile_command(*inv);
    case Command::kPeriodClose:
    case Command::kPeriodList:
    case Command::kReportReconciliation:
    case Command::kReportCloseout:
    case Command::kCorrectionAdd:
      return run_period_command(*inv);
    case Command::kLedgerVerify:
    case Command::kLedgerCheckpoint:
    case Command::kLedgerKey:
      return run_ledger_check_command(*inv);
    default:
      return run_ledger_command(*inv);
  }
  return 2;
}
